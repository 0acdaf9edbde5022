"""Sync over the large data set: full export, full import into an empty file, incremental.

    python -m benchmarks.sync [--scale 1.0] [--db PATH]

Targets (issue 6): full export ≤ 15 s, full import into an empty file ≤ 30 s, an incremental
bundle of 1,000 changes exported and imported ≤ 1 s. The data set is the one
``benchmarks.run`` makes (reused when present); it is copied first (SQLite backup API), so
the data set itself is never changed. The copy gets its own replica id, as any copied file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import REPO, prepare
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.service import SyncService

PASSPHRASE = "benchmark passphrase"
CHANGES = 1_000


def _copy(source: Path, target: Path) -> None:
    connection = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            connection.backup(destination)
        finally:
            destination.close()
    finally:
        connection.close()


def _timed(label: str, target: float | None, action: object) -> tuple[float, object]:
    started, cpu = time.perf_counter(), time.process_time()
    result = action()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    verdict = "" if target is None else ("PASS" if seconds <= target else "SLOW")
    limit = "" if target is None else f"(target ≤ {target:g} s)"
    print(f"{label:<58} {seconds:7.2f} s {limit:>16} {verdict}  (CPU of this process "
          f"{cpu:.2f} s; load average {os.getloadavg()[0]:.1f})", flush=True)
    return seconds, result


def main(argv: list[str] | None = None) -> int:
    """Run the three scenarios; exit 1 when one is slower than its target."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sync", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", type=Path, help="data set file (default: benchmarks/data/)")
    args = parser.parse_args(argv)
    dataset = (args.db or REPO / "benchmarks" / "data" / f"bench-scale{args.scale:g}.sqlite3")
    dataset = dataset.expanduser().resolve()
    dataset.parent.mkdir(parents=True, exist_ok=True)
    prepare(dataset, args.scale)
    folder = Path(tempfile.mkdtemp(prefix="kankei-sync-bench-"))
    slow = 0
    try:
        _copy(dataset, folder / "a.sqlite3")
        a = Services(open_database(folder / "a.sqlite3"))
        b = Services(open_database(folder / "b.sqlite3"))
        sync_a, sync_b = SyncService(a), SyncService(b)
        bundle = folder / "full.kankei"
        seconds, exported = _timed("full export (encrypted)", 15.0, lambda: sync_a.export(
            bundle, passphrase=PASSPHRASE))
        slow += seconds > 15.0
        print(f"    {exported.total:,} rows, {bundle.stat().st_size / 1e6:.1f} MB")  # type: ignore[attr-defined]
        seconds, _report = _timed("full import into an empty file (verify + backup + apply)",
                                  30.0, lambda: sync_b.import_(bundle, PASSPHRASE))
        slow += seconds > 30.0
        # A learns what B has (B's bundle for A carries only B's version vector).
        sync_b.export(folder / "ack.kankei", peer=str(a.context.replica_id), passphrase=None)
        sync_a.import_(folder / "ack.kankei", None, allow_unencrypted=True, backup=False)
        people = a.people.find(limit=CHANGES)
        for index, person in enumerate(people):
            draft = PersonDraft.of(person)
            draft.job_title = f"bench {index}"
            a.people.update(person.id, draft)
        inc = folder / "inc.kankei"

        def incremental(with_backup: bool) -> object:
            sync_a.export(inc, peer=str(b.context.replica_id), passphrase=PASSPHRASE)
            return sync_b.import_(inc, PASSPHRASE, backup=with_backup)
        seconds, report = _timed(f"incremental {CHANGES:,} changes: export + import (merge)",
                                 1.0, lambda: incremental(False))
        slow += seconds > 1.0
        print(f"    changed rows: {report.changes}")  # type: ignore[attr-defined]
        for index, person in enumerate(people):
            draft = PersonDraft.of(a.people.get(person.id))
            draft.job_title = f"again {index}"
            a.people.update(person.id, draft)
        _timed(f"incremental {CHANGES:,} changes, with the pre-import backup copy", None,
               lambda: incremental(True))
        same = dump_text(a) == dump_text(b)
        print("dumps identical after the exchanges:", same)
        slow += not same
        a.database.close()
        b.database.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
