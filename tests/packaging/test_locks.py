"""The two lock files: the run-time one holds no development tool, the development one the same
run-time pins, and every pin satisfies pyproject.toml (so PySide6 6.12.0 cannot come back)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
DEV_TOOLS = {"pytest", "pytest-qt", "hypothesis", "ruff", "mypy", "import-linter",
             "pip-tools", "pyinstaller"}


def pins(name: str) -> dict[str, str]:
    """``{canonical name: version}`` of the ``name==version`` lines of a lock file."""
    found: dict[str, str] = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)", line.strip())
        if match:
            found[canonicalize_name(match[1])] = match[2]
    return found


def declared() -> tuple[list[Requirement], list[Requirement]]:
    """(run-time requirements, development requirements) of pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return ([Requirement(text) for text in project["dependencies"]],
            [Requirement(text) for group in extras.values() for text in group])


def test_runtime_lock_holds_no_development_tool() -> None:
    runtime = pins("requirements.lock")
    assert not DEV_TOOLS & set(runtime)
    # pypdf is a run-time dependency: printing replays the PDF's own pages as vectors.
    assert {"pyside6-essentials", "sqlalchemy", "reportlab", "japancode", "pypdf"} <= set(runtime)


def test_development_lock_has_the_same_runtime_pins_plus_the_tools() -> None:
    runtime, development = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: development.get(name) for name in runtime} == runtime
    assert set(development) >= DEV_TOOLS


def test_every_requirement_is_pinned_within_its_range() -> None:
    runtime_requirements, dev_requirements = declared()
    for lock, requirements in (("requirements.lock", runtime_requirements),
                               ("requirements-dev.lock", runtime_requirements + dev_requirements)):
        locked = pins(lock)
        for requirement in requirements:
            version = locked.get(canonicalize_name(requirement.name))
            assert version is not None, f"{requirement.name} missing from {lock}"
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock}: {requirement.name}=={version} is outside {requirement.specifier}")


def test_pyside6_excludes_only_the_broken_release() -> None:
    runtime_requirements, _ = declared()
    for requirement in runtime_requirements:
        if requirement.name.lower().startswith("pyside6"):
            assert "6.12.0" not in requirement.specifier
            assert {"6.11.3", "6.12.1", "6.13.0"} <= set(
                requirement.specifier.filter(["6.11.3", "6.12.0", "6.12.1", "6.13.0"]))
