"""Killing the application in the middle of long writes loses nothing that was committed.

A child process writes through the services (each ``create`` is one committed transaction,
reported on stdout only after it returned) and is SIGKILLed at random moments. Afterwards
the file opens, passes ``kankei check``, and holds every record reported as saved. Run on a
local disk (WAL) and as on a network share (rollback journal).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.integrity import check_file
from tests.robustness.helpers import add_people, people_names

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5

WRITER = textwrap.dedent("""
    import sys
    from kankei_desktop.core.storage.database import open_database
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.services.people import PersonDraft

    database = open_database(sys.argv[1])
    services = Services(database)
    prefix = sys.argv[2]
    print("ready", flush=True)
    notes = "長い記録 " * 800
    for number in range(100_000):
        name = f"{prefix}-{number}"
        services.people.create(PersonDraft(family_name=name, notes=notes))
        print(name, flush=True)
""")


@pytest.mark.parametrize("share", [False, True], ids=["local-wal", "share-rollback"])
def test_kill_during_long_writes_keeps_everything_committed(
    db_path: Path, share: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if share:
        monkeypatch.setenv("KANKEI_ASSUME_NETWORK_SHARE", "1")
    open_database(db_path).close()
    chance = random.Random(20261123 + share)
    committed: set[str] = set()
    for round_number in range(ROUNDS):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), f"r{round_number}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env=dict(os.environ))
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready", writer.stderr
        time.sleep(chance.uniform(0.05, 1.5))
        writer.send_signal(signal.SIGKILL)
        output, _errors = writer.communicate(timeout=60)
        reported = {line.strip() for line in output.splitlines() if line.strip()}
        committed |= reported

        # As the user does: open the file again (the lock died with the process; a crashed
        # write is rolled back), then `kankei check` it.
        database = open_database(db_path)
        database.close()
        report = check_file(db_path)
        assert report.ok, report.problems
        names = people_names(db_path)
        assert committed <= names, f"round {round_number}: lost {sorted(committed - names)[:5]}"
    assert len(committed) > ROUNDS, "the writer must have saved records before the kills"


HALF_WRITE = textwrap.dedent("""
    import sqlite3, sys, time
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("PRAGMA cache_size=1")  # spill changed pages into the file early
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE person SET notes = hex(randomblob(3000))")
    print("half-written", flush=True)
    time.sleep(600)
""")


def test_crash_mid_transaction_on_a_share_is_rolled_back_at_next_open(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANKEI_ASSUME_NETWORK_SHARE", "1")
    database = open_database(db_path)
    add_people(Services(database), 40)
    database.close()
    before = people_names(db_path)
    writer = subprocess.Popen([sys.executable, "-c", HALF_WRITE, str(db_path)],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "half-written"
    writer.kill()
    writer.wait(timeout=60)
    assert db_path.with_name(db_path.name + "-journal").stat().st_size > 0, "a hot journal"

    reopened = open_database(db_path)  # not "damaged": the cut-off write is undone
    try:
        assert Services(reopened).people.count() == 40
    finally:
        reopened.close()
    assert check_file(db_path).ok
    assert people_names(db_path) == before
