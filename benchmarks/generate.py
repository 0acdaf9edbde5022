"""A large, reproducible data set for the benchmarks, loaded in one transaction.

At scale 1.0: 2,000 organisations (100 municipalities from the master), 100,000 people,
500 clubs with about 5 memberships per person, 50,000 meetings over FY2019–FY2026 (85 % held,
10 % planned after the data set's "today", 5 % cancelled) and about 1,000,000 attendance rows,
plus partners and KPI targets. The schema comes from the real migrations (the file is created by
:func:`open_database`); rows are stamped and keyed as the services would.

Where the OS can fork, the rows are made in a child process and inserted by this one, so
Python and SQLite work on two cores at once; elsewhere the same rows are made in-process.

    python -m benchmarks.generate PATH [--scale 1.0] [--seed N] [--force] [--no-fork]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import sys
import time
import uuid
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

from benchmarks.dataset import Dataset, counts_for
from benchmarks.rows import PipeSink, Stamper, Writer, receive, self_check
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.journal import journal_mode_for
from kankei_desktop.core.writes.bulk_mode import figure_triggers_suspended, refresh_statistics

SEED = 20190401
GENERATOR_VERSION = 1
META_KEY = "benchmark.dataset"
SIDE_FILES = ("-wal", "-shm", "-journal", ".lock")


def generate(path: Path, scale: float = 1.0, seed: int = SEED, *, fork: bool = True
             ) -> dict[str, Any]:
    """Create ``path`` (which must not exist) and fill it; return the marker written."""
    started, cpu_started = time.perf_counter(), time.process_time()
    if path.exists():
        raise FileExistsError(f"{path} exists; remove it or use --force")
    self_check()
    database = open_database(path)
    try:
        raw = database.engine.raw_connection()
        try:
            connection = cast(sqlite3.Connection, raw.driver_connection)
            marker = _load(connection, database.replica_id, path, scale, seed,
                           fork and "fork" in multiprocessing.get_all_start_methods())
        finally:
            raw.close()
    finally:
        database.close()
    marker["seconds"].update(total=round(time.perf_counter() - started, 2),
                             loader_cpu=round(time.process_time() - cpu_started, 2))
    return marker


def _make(counts: dict[str, int], seed: int, replica_id: uuid.UUID, sender: Connection) -> None:
    """In the child process: make every row and send it to the parent."""
    sink = PipeSink(sender)
    dataset = Dataset(counts, seed, Stamper(replica_id), sink)
    dataset.load()
    sink.finish(dataset.info() | {"maker_cpu": round(time.process_time(), 2)})


def _fill(writer: Writer, counts: dict[str, int], seed: int, replica_id: uuid.UUID,
          fork: bool) -> dict[str, Any]:
    """Make and insert every row; return the data set's info."""
    if not fork:
        dataset = Dataset(counts, seed, Stamper(replica_id), writer)
        dataset.load()
        return dataset.info()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_make, args=(counts, seed, replica_id, sender), daemon=True)
    child.start()
    sender.close()
    try:
        info = receive(receiver, writer)
    finally:
        receiver.close()
        if child.is_alive():
            child.join(timeout=30)
        if child.is_alive():
            child.kill()
    return info


def _load(connection: sqlite3.Connection, replica_id: uuid.UUID, path: Path, scale: float,
          seed: int, fork: bool) -> dict[str, Any]:
    isolation = connection.isolation_level
    connection.isolation_level = None  # explicit BEGIN/COMMIT below
    try:
        # Bulk-load settings for this connection; the journal mode is put back below.
        connection.execute("PRAGMA journal_mode=MEMORY").fetchall()
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-524288")  # 512 MiB
        connection.execute("PRAGMA temp_store=MEMORY")
        connection.execute("BEGIN")
        try:
            # Secondary indexes are dropped and rebuilt from their own CREATE statements:
            # building an index from sorted data is much faster than a million random inserts.
            indexes = connection.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).fetchall()
            for name, _ in indexes:
                connection.execute(f'DROP INDEX "{name}"')
            writer = Writer(connection)
            # As the application's own bulk path (a full bundle): the figure triggers set
            # aside and what they keep rebuilt in one statement each at the end (after the
            # indexes, which that rebuild reads). Row by row, with the indexes gone, an
            # absent row's trigger re-read the whole attendance.
            with figure_triggers_suspended(connection):
                info = _fill(writer, counts_for(scale), seed, replica_id, fork)
                index_started = time.perf_counter()
                for _, sql in indexes:
                    connection.execute(sql)
                writer.seconds["(indexes)"] = time.perf_counter() - index_started
                rebuild_started = time.perf_counter()
            writer.seconds["(figure tables)"] = time.perf_counter() - rebuild_started
            marker: dict[str, Any] = {"version": GENERATOR_VERSION, "scale": scale,
                                      "seed": seed, **info, "rows": dict(writer.counts),
                                      "forked": fork}
            connection.execute('INSERT INTO meta ("key", value) VALUES (?, ?)',
                               (META_KEY, json.dumps(marker, ensure_ascii=False)))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        finishing = time.perf_counter()
        mode = journal_mode_for(path)
        connection.execute(f"PRAGMA journal_mode={mode}").fetchall()
        connection.execute("PRAGMA synchronous=NORMAL" if mode == "WAL" else
                           "PRAGMA synchronous=FULL")
        # The statistics the application takes after its own bulk writes (foreign keys stayed
        # on, so every row was checked on insert).
        refresh_statistics(connection)
        writer.seconds["(journal, ANALYZE)"] = time.perf_counter() - finishing
    finally:
        connection.isolation_level = isolation
    marker["seconds"] = {name: round(value, 2) for name, value in writer.seconds.items()}
    return marker


def read_marker(path: Path) -> dict[str, Any] | None:
    """The generator's marker in ``path`` (None: not a benchmark file, or no file)."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute('SELECT value FROM meta WHERE "key" = ?',
                                     (META_KEY,)).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return cast(dict[str, Any], json.loads(row[0])) if row else None


def remove_database(path: Path) -> None:
    """Delete a database file and its journal, WAL and lock files."""
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        candidate.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="database file to create")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiplies every count (0.01 for a quick run)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--force", action="store_true",
                        help="replace the file if it is a data set made by this generator")
    parser.add_argument("--no-fork", action="store_true",
                        help="make the rows in this process (slower; same data)")
    args = parser.parse_args(argv)
    path: Path = args.path.expanduser().resolve()
    if path.exists():
        if not args.force:
            parser.error(f"{path} exists (use --force to replace a generated data set)")
        if read_marker(path) is None:
            parser.error(f"{path} was not made by this generator; refusing to replace it")
        remove_database(path)
    marker = generate(path, args.scale, args.seed, fork=not args.no_fork)
    seconds = marker["seconds"]
    for table, count in marker["rows"].items():
        print(f"{table:>14}: {count:>9,} rows, {seconds.get(table, 0):5.1f} s inserting")
    for step in ("(indexes)", "(figure tables)", "(journal, ANALYZE)"):
        print(f"{step:>20}: {seconds[step]:5.1f} s")
    maker = f", row maker {marker['maker_cpu']:.1f} s CPU" if "maker_cpu" in marker else ""
    print(f"data set 'today': {marker['as_of']}")
    print(f"generate+load: {seconds['total']:.1f} s wall; loader {seconds['loader_cpu']:.1f} s "
          f"CPU{maker}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
