"""The installer inputs say what the issue asks (they cannot all be run here)."""

from __future__ import annotations

import configparser
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
FROZEN = ROOT / "dist" / "kankei-desktop"


def test_spec_ships_resources_catalogs_and_migrations() -> None:
    spec = (PACKAGING / "kankei-desktop.spec").read_text(encoding="utf-8")
    for needed in ('"resources"', '"i18n"', "kankei_desktop.core.storage.migrations", "jpholiday",
                   "japancode", "tzdata", 'name="kankei"', 'name="kankei-desktop"'):
        assert needed in spec, needed
    compile(spec, "kankei-desktop.spec", "exec")  # at least valid Python


def test_resources_the_build_ships_exist() -> None:
    resources = ROOT / "resources"
    for path in ("fonts/ipaexg.ttf", "demo/demo.json", "icons/app.svg", "icons/app.png",
                 "icons/app.ico"):
        assert (resources / path).is_file(), path
    assert (ROOT / "i18n" / "ja" / "LC_MESSAGES" / "kankei.po").is_file()
    versions = ROOT / "kankei_desktop" / "core" / "storage" / "migrations" / "versions"
    assert list(versions.glob("0001_*.py"))


def test_windows_icon_holds_every_size_windows_asks_for() -> None:
    data = (ROOT / "resources" / "icons" / "app.ico").read_bytes()
    reserved, kind, count = int.from_bytes(data[0:2], "little"), data[2], data[4]
    assert (reserved, kind) == (0, 1)
    sizes = {data[6 + 16 * index] or 256 for index in range(count)}
    assert {16, 32, 48, 256} <= sizes


def test_inno_setup_script_installs_per_user_and_keeps_data() -> None:
    iss = (PACKAGING / "windows" / "kankei-desktop.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", iss, re.MULTILINE)
    assert "DefaultDirName={localappdata}\\Programs\\{#AppName}" in iss
    assert '#define AppName "Kankei Desktop"' in iss
    assert "{autoprograms}\\{#AppName}" in iss, "Start-menu entry"
    assert "ChangesAssociations=yes" in iss
    assert 'Subkey: "Software\\Classes\\.kankei\\OpenWithProgids"' in iss
    assert all(line.startswith("Root: HKA") for line in iss.splitlines()
               if line.startswith("Root:")), "per-user registry only"
    assert '""%1""' in iss, "the double-clicked file is passed to the program"
    assert not re.search(r"^\[UninstallDelete\]", iss, re.MULTILINE), "keep the user's data"
    assert "{localappdata}\\Kankei" not in iss.split("[Files]")[1]


def test_workflow_builds_tests_and_packs_on_windows() -> None:
    text = (ROOT / ".github" / "workflows" / "windows-installer.yml").read_text(encoding="utf-8")
    assert "\t" not in text, "YAML forbids tabs"
    assert re.search(r"^    runs-on: windows-latest$", text, re.MULTILINE)
    commands = "\n".join(line.strip() for line in text.splitlines())
    assert "packaging/build.py" in commands
    assert "--test" in commands
    assert "ISCC.exe" in commands
    assert "kankei-desktop.iss" in commands


def test_desktop_entry_is_complete() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PACKAGING / "linux" / "kankei-desktop.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].startswith("kankei-desktop ")
    assert entry["Icon"] == "kankei-desktop"
    assert entry["Categories"].endswith(";")
    assert "application/x-kankei-bundle" in entry["MimeType"]


@pytest.mark.skipif(not (FROZEN / "kankei").exists() or not os.environ.get("KANKEI_TEST_FROZEN"),
                    reason="set KANKEI_TEST_FROZEN=1 after packaging/build.py to test the build")
def test_frozen_build_passes_its_self_test(tmp_path: Path) -> None:
    env = dict(os.environ, KANKEI_DATA_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([str(FROZEN / "kankei-desktop"), "--self-test"], env=env,
                            capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
