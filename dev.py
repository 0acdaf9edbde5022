#!/usr/bin/env python3
"""Developer entry point: sets up ``.venv`` from the lock file, then runs the app or the tests.

    python3 dev.py app [options for kankei-desktop]   start the application
    python3 dev.py test [options for pytest]          run the test suite
    python3 dev.py lint                               ruff, mypy and the import contract
    python3 dev.py lock                               refresh both lock files
    python3 dev.py i18n [--ja FILE.json]              refresh catalogs (tools/i18n_update.py)

Two lock files: ``requirements.lock`` holds what the application needs at run time, and
``requirements-dev.lock`` the same pins plus the test, lint, translation and packaging tools
(pytest, ruff, mypy, import-linter, pip-tools, PyInstaller). ``app`` installs only the first;
``test``, ``lint``, ``i18n`` and ``lock`` install the second into the same ``.venv``. Each level
has its own stamp, so a level is (re)installed only when its lock files or ``pyproject.toml``
changed since it was last installed. Works on Windows and Linux with Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"

#: level → (the lock file it installs, the files whose change means reinstalling it)
LEVELS = {
    "run": (LOCK, (LOCK, PYPROJECT)),
    "dev": (DEV_LOCK, (LOCK, DEV_LOCK, PYPROJECT)),
}
COMMAND_LEVEL = {"app": "run", "test": "dev", "lint": "dev", "i18n": "dev", "lock": "dev"}


def venv_python() -> Path:
    """The virtual environment's interpreter."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _stamp(level: str) -> Path:
    return VENV / f".kankei-installed-{level}"


def _fingerprint(level: str) -> str:
    digest = hashlib.sha256()
    for path in LEVELS[level][1]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _installed(level: str) -> bool:
    stamp = _stamp(level)
    return stamp.exists() and stamp.read_text(encoding="utf-8") == _fingerprint(level)


def ensure_environment(level: str = "dev") -> Path:
    """Create or refresh ``.venv`` so it matches the lock file of *level*; return its python.

    ``"run"`` is what the application needs; ``"dev"`` adds the development tools.
    """
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under any python3
        sys.exit("Kankei Desktop needs Python 3.11 or newer.")
    python = venv_python()
    if not python.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if _installed(level):
        return python
    lock = LEVELS[level][0]
    print(f"Installing the locked dependencies from {lock.name} (first run only) ...", flush=True)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(lock)], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    # The development lock is compiled against the run-time lock (same pins), so installing it
    # also installs the run-time level.
    for done in ("run", "dev") if level == "dev" else ("run",):
        _stamp(done).write_text(_fingerprint(done), encoding="utf-8")
    return python


def lock(python: str) -> int:
    """Recompile ``requirements.lock``, then ``requirements-dev.lock`` constrained by it."""
    compile_ = [python, "-m", "piptools", "compile", "-q", "--strip-extras",
                "--no-emit-index-url", "--no-emit-find-links"]
    # Relative paths: pip-compile writes its command line into the header of the file.
    steps = [
        [*compile_, "-o", LOCK.name, PYPROJECT.name],
        [*compile_, "--extra", "test", "--extra", "packaging", "-c", LOCK.name,
         "-o", DEV_LOCK.name, PYPROJECT.name],
    ]
    for step in steps:
        code = subprocess.call(step, cwd=ROOT)
        if code:
            return code
    return 0


def main(argv: list[str]) -> int:
    """Dispatch ``app``, ``test``, ``lint``, ``i18n`` or ``lock``."""
    if not argv or argv[0] not in COMMAND_LEVEL:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = str(ensure_environment(COMMAND_LEVEL[command]))
    env = dict(os.environ)
    if command == "app":
        return subprocess.call([python, "-m", "kankei_desktop.app", *rest], cwd=ROOT)
    if command == "test":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        return subprocess.call([python, "-m", "pytest", *rest], cwd=ROOT, env=env)
    if command == "i18n":
        return subprocess.call([python, str(ROOT / "tools" / "i18n_update.py"), *rest], cwd=ROOT)
    if command == "lint":
        steps = [
            [python, "-m", "ruff", "check", "."],
            [python, "-m", "mypy"],
            [python, "-c", "import sys; from importlinter.cli import lint_imports_command;"
                           " sys.exit(lint_imports_command())"],
        ]
        return max(subprocess.call(step, cwd=ROOT, env=env) for step in steps)
    return lock(python)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
