"""Portable mode: a ``portable`` file beside the program keeps data and settings beside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kankei_desktop.core.storage import paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def stick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder playing the USB stick, with no KANKEI_DATA_DIR set."""
    folder = tmp_path / "USB" / "Kankei Desktop"
    folder.mkdir(parents=True)
    monkeypatch.delenv("KANKEI_DATA_DIR", raising=False)
    monkeypatch.setenv("KANKEI_PORTABLE_ROOT", str(folder))
    return folder


def test_without_the_marker_the_normal_folder_is_used(stick: Path) -> None:
    assert paths.portable_data_dir() is None
    assert paths.apply_portable_mode() is None
    assert "KANKEI_DATA_DIR" not in os.environ


def test_with_the_marker_data_lives_beside_the_program(stick: Path) -> None:
    (stick / "portable").write_text("", encoding="utf-8")

    assert paths.user_data_dir() == stick / "data"
    assert paths.default_database_path() == stick / "data" / "kankei.sqlite3"
    assert paths.user_cache_dir() == stick / "data" / "cache"
    assert paths.apply_portable_mode() == stick / "data"
    assert os.environ["KANKEI_DATA_DIR"] == str(stick / "data")


def test_explicit_data_dir_wins_over_portable(stick: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (stick / "portable").write_text("", encoding="utf-8")
    monkeypatch.setenv("KANKEI_DATA_DIR", str(tmp_path / "elsewhere"))
    assert paths.user_data_dir() == tmp_path / "elsewhere"


def test_frozen_build_looks_beside_the_executable(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KANKEI_PORTABLE_ROOT", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "kankei-desktop.exe"))
    assert paths.portable_data_dir() is None
    (tmp_path / "portable").write_text("", encoding="utf-8")
    assert paths.portable_data_dir() == tmp_path / "data"


def test_cli_in_portable_mode_writes_its_default_file_on_the_stick(stick: Path) -> None:
    (stick / "portable").write_text("", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "KANKEI_DATA_DIR"}
    env["KANKEI_PORTABLE_ROOT"] = str(stick)
    result = subprocess.run([sys.executable, "-m", "kankei_desktop.commands.cli", "init"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert (stick / "data" / "kankei.sqlite3").is_file()
