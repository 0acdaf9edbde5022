"""``dev.py``: ``app`` installs only the run-time lock, the other commands the development lock,
each level once until its lock files or pyproject.toml change (pip is replaced by a recorder)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, list[str]]:
    """dev.py copied into an empty checkout with an existing .venv; returns it and pip's log."""
    shutil.copy(ROOT / "dev.py", tmp_path / "dev.py")
    for name, text in (("requirements.lock", "sqlalchemy==2.1.9\n"),
                       ("requirements-dev.lock", "sqlalchemy==2.1.9\nmypy==2.4.1\n"),
                       ("pyproject.toml", "[project]\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("dev_under_test", tmp_path / "dev.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    python = module.venv_python()
    python.parent.mkdir(parents=True)
    python.write_text("", encoding="utf-8")
    installed: list[str] = []

    def fake_run(command: list[str], **_: Any) -> None:
        if "-r" in command:
            installed.append(Path(command[command.index("-r") + 1]).name)

    monkeypatch.setattr(module.subprocess, "run", fake_run)
    return module, installed


def test_app_installs_only_the_runtime_lock(dev: tuple[ModuleType, list[str]]) -> None:
    module, installed = dev
    module.ensure_environment("run")
    assert installed == ["requirements.lock"]
    module.ensure_environment("run")
    assert installed == ["requirements.lock"], "nothing changed: no second install"


def test_test_after_app_adds_the_tools_and_app_after_test_installs_nothing(
    dev: tuple[ModuleType, list[str]],
) -> None:
    module, installed = dev
    module.ensure_environment("run")
    module.ensure_environment("dev")
    module.ensure_environment("run")
    module.ensure_environment("dev")
    assert installed == ["requirements.lock", "requirements-dev.lock"]


def test_a_changed_lock_reinstalls_the_levels_that_use_it(
    dev: tuple[ModuleType, list[str]],
) -> None:
    module, installed = dev
    module.ensure_environment("dev")
    module.DEV_LOCK.write_text("sqlalchemy==2.1.9\nmypy==2.5.0\n", encoding="utf-8")
    module.ensure_environment("run")
    assert installed == ["requirements-dev.lock"], "the run-time level is still current"
    module.ensure_environment("dev")
    module.LOCK.write_text("sqlalchemy==2.1.10\n", encoding="utf-8")
    module.ensure_environment("run")
    module.ensure_environment("dev")
    assert installed == ["requirements-dev.lock"] * 2 + ["requirements.lock",
                                                         "requirements-dev.lock"]


def test_every_command_has_a_level(dev: tuple[ModuleType, list[str]]) -> None:
    module, _ = dev
    assert module.COMMAND_LEVEL == {"app": "run", "test": "dev", "lint": "dev", "i18n": "dev",
                                    "lock": "dev"}
