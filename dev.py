#!/usr/bin/env python3
"""Developer entry point: sets up ``.venv`` from the lock file, then runs the app or the tests.

    python3 dev.py app [options for kankei-desktop]   start the application
    python3 dev.py test [options for pytest]          run the test suite
    python3 dev.py lint                               ruff, mypy and the import contract
    python3 dev.py lock                               refresh requirements.lock
    python3 dev.py i18n [--ja FILE.json]              refresh catalogs (tools/i18n_update.py)

The virtual environment is (re)installed only when ``requirements.lock`` or
``pyproject.toml`` changed since the last run. Works on Windows and Linux with Python 3.11+.
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
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".kankei-installed"


def venv_python() -> Path:
    """The virtual environment's interpreter."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_environment() -> Path:
    """Create or refresh ``.venv`` so it matches the lock file; return its python."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under any python3
        sys.exit("Kankei Desktop needs Python 3.11 or newer.")
    python = venv_python()
    if not python.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _fingerprint()
    if STAMP.exists() and STAMP.read_text(encoding="utf-8") == wanted:
        return python
    print("Installing the locked dependencies (first run only) ...", flush=True)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(LOCK)], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    STAMP.write_text(wanted, encoding="utf-8")
    return python


def main(argv: list[str]) -> int:
    """Dispatch ``app``, ``test``, ``lint`` or ``lock``."""
    if not argv or argv[0] not in {"app", "test", "lint", "lock", "i18n"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = str(ensure_environment())
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
    return subprocess.call(
        [python, "-m", "piptools", "compile", "-q", "--extra", "test", "--extra", "packaging",
         "--strip-extras",
         "--no-emit-index-url", "--no-emit-find-links", "-o", str(LOCK), "pyproject.toml"],
        cwd=ROOT,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
