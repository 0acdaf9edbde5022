"""A second copy of the application opening the same file gets a clear "in use" message."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from tests.robustness.helpers import add_people, people_names

ROOT = Path(__file__).resolve().parents[2]

SECOND_COPY = textwrap.dedent("""
    import sys
    from kankei_desktop.core.storage.database import open_database
    from kankei_desktop.core.errors import DatabaseInUseError
    from kankei_desktop.core.i18n import set_language
    set_language("en")
    try:
        open_database(sys.argv[1]).close()
    except DatabaseInUseError as exc:
        print(exc.message)
        raise SystemExit(3)
    print("opened")
""")


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KANKEI_LANG="en")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120, check=False)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KANKEI_LANG="en")
    return subprocess.run([sys.executable, "-m", "kankei_desktop.commands.cli", *args],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
                          check=False)


def test_second_process_is_refused_with_a_sentence_while_the_first_keeps_working(
    db_path: Path,
) -> None:
    first = open_database(db_path)
    try:
        result = run_python(SECOND_COPY, str(db_path))
        assert result.returncode == 3, result.stderr
        assert "open in another running copy of Kankei Desktop" in result.stdout
        assert str(db_path) in result.stdout
        add_people(Services(first), 1)  # the first copy is undisturbed
    finally:
        first.close()

    assert run_python(SECOND_COPY, str(db_path)).stdout.strip() == "opened"
    assert people_names(db_path) == {"試験0"}


def test_cli_while_the_window_has_the_file_open_exits_1_with_one_sentence(
    db_path: Path,
) -> None:
    first = open_database(db_path)
    try:
        result = run_cli("--db", str(db_path), "list", "people")
    finally:
        first.close()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "another running copy" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_lock_is_released_when_the_holder_is_killed(db_path: Path) -> None:
    open_database(db_path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sys, time
            from kankei_desktop.core.storage.database import open_database
            database = open_database(sys.argv[1])
            print("holding", flush=True)
            time.sleep(600)
        """), str(db_path)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        assert run_python(SECOND_COPY, str(db_path)).returncode == 3
    finally:
        holder.kill()
        holder.wait(timeout=60)
    assert run_python(SECOND_COPY, str(db_path)).stdout.strip() == "opened"
