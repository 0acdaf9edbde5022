"""Build the one-folder application with PyInstaller, then smoke-test the result.

Usage (from the repository root; PyInstaller comes with the development lock, so run
``python3 dev.py test`` or ``lint`` once, or ``pip install -r requirements-dev.lock``)::

    .venv/bin/python packaging/build.py            # build into dist/kankei-desktop/
    .venv/bin/python packaging/build.py --test     # ... and run --self-test + the CLI in it
    .venv/bin/python packaging/build.py --archive  # ... and pack it (Linux: .tar.gz)

Every run ends with the size of the folder, its largest parts and the archive's size (what a
user downloads; figures in ``benchmarks/README.md``). What the build leaves out is
``packaging/slim.py``. The work folder goes to the system temp folder; ``dist/`` is
git-ignored. On Windows the same script runs in CI before Inno Setup
(``packaging/windows/kankei-desktop.iss``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
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


def folder_size(path: Path) -> int:
    """Bytes of the files under ``path`` (symbolic links not followed)."""
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(item.lstat().st_size for item in path.rglob("*") if not item.is_dir())


def size_report(folder: Path, largest: int = 12) -> list[str]:
    """The folder's size and its largest parts (the entries of ``_internal`` and beside it)."""
    entries = [item for item in folder.iterdir() if item.name != "_internal"]
    if (folder / "_internal").is_dir():
        entries += list((folder / "_internal").iterdir())
    sizes = sorted(((folder_size(item), item) for item in entries), reverse=True)
    lines = [f"{folder}: {folder_size(folder) / 2**20:.1f} MiB"]
    lines += [f"  {size / 2**20:7.1f} MiB  {item.relative_to(folder)}"
              for size, item in sizes[:largest]]
    return lines


def archive(folder: Path) -> Path:
    """Pack the folder as users download it: a .tar.gz (a .zip on Windows) beside it."""
    from kankei_desktop import __version__

    system = "windows" if sys.platform == "win32" else sys.platform.rstrip("0123456789")
    base = folder.parent / f"KankeiDesktop-{__version__}-{system}-{platform.machine().lower()}"
    kind = "zip" if sys.platform == "win32" else "gztar"
    return Path(shutil.make_archive(str(base), kind, root_dir=folder.parent,
                                    base_dir=folder.name))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "kankei-pyinstaller")
    parser.add_argument("--test", action="store_true", help="run the frozen self-test after")
    parser.add_argument("--skip-build", action="store_true", help="only test an existing build")
    parser.add_argument("--archive", action="store_true",
                        help="pack the folder into an archive (Linux .tar.gz, Windows .zip)")
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
    if not folder.is_dir():
        print(f"No build at {folder}: run packaging/build.py without --skip-build first.",
              file=sys.stderr)
        return 2
    failed = bool(args.test and smoke_test(folder))
    print("\n".join(size_report(folder)), flush=True)
    if failed:
        return 1
    if args.archive:
        packed = archive(folder)
        print(f"{packed}: {packed.stat().st_size / 2**20:.1f} MiB", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
