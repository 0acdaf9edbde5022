"""The background-check child processes never outlive the command (issue 23 item 6, issue 25
item 8): they end with their parent, even when the parent is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.sync.service import SyncService

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(),
                                reason="finds the processes through /proc")


def tagged(tag: str) -> set[int]:
    """Processes whose environment carries ``tag`` (the command and all it started)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if f"KANKEI_TEST_TAG={tag}".encode() in environment.split(b"\0") and state != "Z":
            found.add(int(entry.name))
    return found


def wait_until(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return bool(condition())  # type: ignore[operator]


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    source = Services(open_database(tmp_path / "source.sqlite3"))
    for index in range(30):
        source.people.create(PersonDraft(family_name=f"人{index}"))
    path = tmp_path / "b.kankei"
    SyncService(source).export(path, passphrase=None, image=False)
    source.database.close()
    return path


PARENT = textwrap.dedent("""
    import sys, time
    from kankei_desktop.sync import background_check, merge
    merge.PARALLEL_ROWS = 1
    if sys.argv[1] == "stall":
        from tests.sync.slow_check import slow_child
        background_check._child = slow_child
    from kankei_desktop.commands.cli import main
    sys.exit(main(sys.argv[2:]))
""")


def _start(tag: str, mode: str, db: Path, bundle: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, KANKEI_TEST_TAG=tag, KANKEI_LANG="en")
    return subprocess.Popen([sys.executable, "-c", PARENT, mode, "--db", str(db), "bundle",
                             "import", str(bundle), "--allow-unencrypted"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_the_checking_child_dies_with_a_killed_parent(bundle: Path, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex
    db = tmp_path / "target.sqlite3"
    open_database(db).close()
    parent = _start(tag, "stall", db, bundle)
    try:
        assert wait_until(lambda: len(tagged(tag) - {parent.pid}) >= 1, 60), \
            "the checking child never started"
        time.sleep(1.0)  # the child is past its start-up, checking (stalled)
        assert parent.poll() is None
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
        assert wait_until(lambda: not tagged(tag), 10), (
            f"still running after the parent was killed: {tagged(tag)}")
    finally:
        for pid in tagged(tag):
            os.kill(pid, signal.SIGKILL)


def test_nothing_is_left_running_after_an_import_in_two_processes(bundle: Path,
                                                                  tmp_path: Path) -> None:
    tag = uuid.uuid4().hex
    db = tmp_path / "target.sqlite3"
    open_database(db).close()
    parent = _start(tag, "normal", db, bundle)
    try:
        _out, err = parent.communicate(timeout=120)
        assert parent.returncode == 0, err
        assert not tagged(tag), f"left running after the command ended: {tagged(tag)}"
    finally:
        for pid in tagged(tag):
            os.kill(pid, signal.SIGKILL)
