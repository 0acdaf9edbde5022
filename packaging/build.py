"""Build the one-folder application with PyInstaller, then smoke-test the result.

Usage (from the repository root; PyInstaller comes with the development lock, so run
``python3 dev.py test`` or ``lint`` once, or ``pip install -r requirements-dev.lock``)::

    .venv/bin/python packaging/build.py            # build into dist/kankei-desktop/
    .venv/bin/python packaging/build.py --test     # ... and run --self-test + the CLI in it

The work folder goes to the system temp folder; ``dist/`` is git-ignored. On Windows the
same script runs in CI before Inno Setup (``packaging/windows/kankei-desktop.iss``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "kankei-desktop.spec"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def pyinstaller() -> list[str]:
    """PyInstaller of the running interpreter (the project's virtual environment)."""
    return [sys.executable, "-m", "PyInstaller"]


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller; return the application folder."""
    command = [*pyinstaller(), "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)
    return dist / "kankei-desktop"


def smoke_test(folder: Path) -> int:
    """Run the frozen self-test and a CLI round on a temporary file (never the user's).

    Every command runs even after a failure; returns how many failed.
    """
    failures = 0
    with tempfile.TemporaryDirectory(prefix="kankei-frozen-") as temp:
        env = dict(os.environ, KANKEI_DATA_DIR=str(Path(temp) / "data"),
                   QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        database = Path(temp) / "cli.sqlite3"
        desktop = folder / f"kankei-desktop{EXE_SUFFIX}"
        cli = folder / f"kankei{EXE_SUFFIX}"
        for command in (
            [str(desktop), "--self-test"],
            [str(cli), "--db", str(database), "init"],
            [str(cli), "--db", str(database), "demo"],
            [str(cli), "--db", str(database), "check"],
            [str(cli), "--db", str(database), "--lang", "ja", "list", "clubs"],
            [str(desktop), "--cli", "--db", str(database), "stats", "--fy", "2024", "--json"],
        ):
            print("+", " ".join(command), flush=True)
            code = subprocess.run(command, check=False, env=env, timeout=900).returncode
            if code != 0:
                print(f"FAILED (exit code {code}): {' '.join(command)}", flush=True)
                failures += 1
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "kankei-pyinstaller")
    parser.add_argument("--test", action="store_true", help="run the frozen self-test after")
    parser.add_argument("--skip-build", action="store_true", help="only test an existing build")
    args = parser.parse_args()
    started = time.monotonic()
    folder = args.dist / "kankei-desktop"
    if not args.skip_build and importlib.util.find_spec("PyInstaller") is None:
        print("PyInstaller is not installed in this environment. It is a development tool: run "
              "`python3 dev.py test` (or `lint`) once, or "
              f"`{sys.executable} -m pip install -r requirements-dev.lock`, then build again.",
              file=sys.stderr)
        return 2
    if not args.skip_build:
        folder = build(args.dist, args.work)
        print(f"built {folder} in {time.monotonic() - started:.0f} s", flush=True)
    if args.test and smoke_test(folder):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
