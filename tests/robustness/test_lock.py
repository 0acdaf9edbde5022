"""Who may open a file beside whom, with real second processes (issue 25, item 4).

On a local disk the command line reads beside the open window and a second writer waits for
the first one's save (with a message) instead of being refused; a second window is still
told at once who has the file; on a network share everything stays exclusive.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database, read_meta
from tests.robustness.helpers import add_people, people_names

ROOT = Path(__file__).resolve().parents[2]

SECOND_WINDOW = textwrap.dedent("""
    import sys
    from kankei_desktop.core.storage.database import open_database, read_meta
    from kankei_desktop.core.storage.filelock import Mode
    from kankei_desktop.core.errors import DatabaseInUseError
    from kankei_desktop.core.i18n import set_language
    set_language("en")
    try:
        open_database(sys.argv[1], mode=Mode.WINDOW).close()
    except DatabaseInUseError as exc:
        print(exc.message)
        raise SystemExit(3)
    print("opened")
""")

#: A window that holds the file open; with "write SECONDS" it saves for that long first.
WINDOW = textwrap.dedent("""
    import sys, time
    from kankei_desktop.core.storage.database import open_database, read_meta
    from kankei_desktop.core.storage.filelock import Mode
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.services.people import PersonDraft
    database = open_database(sys.argv[1], mode=Mode.WINDOW)
    services = Services(database)
    services.people.create(PersonDraft(family_name="窓"))
    if len(sys.argv) > 2:
        with database.transaction() as session:
            print("saving", flush=True)
            from kankei_desktop.core.models import Meta
            session.add(Meta(key="window.note", value="long save"))
            session.flush()
            time.sleep(float(sys.argv[3]))
    print("holding", flush=True)
    time.sleep(600)
""")


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KANKEI_LANG="en")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120, check=False)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, KANKEI_LANG="en", **(env or {}))
    return subprocess.run([sys.executable, "-m", "kankei_desktop.commands.cli", *args],
                          capture_output=True, text=True, cwd=ROOT, env=environment,
                          timeout=120, check=False)


@contextmanager
def window_process(db_path: Path, *extra: str,
                   env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    """A second process with the file open as a window (until the block ends)."""
    environment = dict(os.environ, KANKEI_LANG="en", **(env or {}))
    holder = subprocess.Popen([sys.executable, "-c", WINDOW, str(db_path), *extra],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT, env=environment)
    try:
        assert holder.stdout is not None
        first = holder.stdout.readline().strip()
        assert first in {"holding", "saving"}, first
        yield holder
    finally:
        holder.kill()
        holder.wait(timeout=60)
        if holder.stdout is not None:
            holder.stdout.close()


def test_a_second_window_is_refused_with_a_sentence_while_the_first_keeps_working(
    db_path: Path,
) -> None:
    open_database(db_path).close()
    with window_process(db_path):
        result = run_python(SECOND_WINDOW, str(db_path))
        assert result.returncode == 3, result.stderr
        assert "open in another running copy of Kankei Desktop" in result.stdout
        assert str(db_path) in result.stdout
    assert run_python(SECOND_WINDOW, str(db_path)).stdout.strip() == "opened"


def test_readers_run_beside_the_open_window(db_path: Path) -> None:
    open_database(db_path).close()
    with window_process(db_path):
        listed = run_cli("--db", str(db_path), "list", "people")
        assert listed.returncode == 0, listed.stderr
        assert "窓" in listed.stdout
        stats = run_cli("--db", str(db_path), "stats", "--fy", "2021", "--json")
        assert stats.returncode == 0, stats.stderr
        dump = run_cli("--db", str(db_path), "dump")
        assert dump.returncode == 0, dump.stderr
        assert "窓" in dump.stdout


def test_a_second_writer_waits_for_the_window_to_finish_saving(db_path: Path) -> None:
    open_database(db_path).close()
    with window_process(db_path, "write", "3") as window:
        started = time.monotonic()
        named = run_cli("--db", str(db_path), "replica-name", "企画課")
        waited = time.monotonic() - started
        assert named.returncode == 0, named.stderr
        assert "waiting for it to finish" in named.stderr
        assert "Traceback" not in named.stderr
        assert waited >= 1.0  # it really waited for the save
        assert window.poll() is None  # the window is still there, undisturbed
    database = open_database(db_path)
    try:
        assert read_meta(database, "window.note") == "long save"  # the window's save kept
    finally:
        database.close()
    named = run_cli("--db", str(db_path), "replica-name")
    assert named.stdout.strip() == "企画課"


def test_the_lock_is_released_when_the_window_is_killed(db_path: Path) -> None:
    open_database(db_path).close()
    with window_process(db_path):
        assert run_python(SECOND_WINDOW, str(db_path)).returncode == 3
    assert run_python(SECOND_WINDOW, str(db_path)).stdout.strip() == "opened"


def test_on_a_network_share_every_opening_has_the_file_to_itself(db_path: Path) -> None:
    share = {"KANKEI_ASSUME_NETWORK_SHARE": "1"}
    open_database(db_path).close()
    with window_process(db_path, env=share):
        result = run_cli("--db", str(db_path), "list", "people", env=share)
        assert result.returncode == 1
        assert "another running copy" in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().count("\n") == 0


def test_a_command_and_the_window_both_save(db_path: Path) -> None:
    window = open_database(db_path)
    try:
        add_people(Services(window), 1)
        result = run_cli("--db", str(db_path), "replica-name", "企画課")
        assert result.returncode == 0, result.stderr
        add_people(Services(window), 1, prefix="後")
    finally:
        window.close()
    assert people_names(db_path) == {"試験0", "後0"}
