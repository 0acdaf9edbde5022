"""The large data set on a shared PostgreSQL database, against the same targets as the file.

    python -m benchmarks.shared [--scale 0.1] [--repeat 5] [--clients 20] [--writes 25] [--ui]

A throwaway PostgreSQL server is started (``tests.postgres_server``: initdb + pg_ctl on a
Unix socket, as the ``postgres`` user when run as root) and removed at the end. The data set
file (``benchmarks/data/bench-scale<S>.sqlite3``, made when missing) is loaded into it the way
an office would: a full bundle exported from the file and imported into the shared database.
Then, on the shared database: a fiscal year's figures after a write (computed live there), a
club's figures, the three people searches (one keystroke: list 200 + count), and 20 clients —
separate processes, each with its own connection — recording attendance at once (throughput
and the worst latency). ``--ui`` adds the window scenarios (start, search keystroke, page
switch) of ``benchmarks.ui_scenarios`` on the shared database.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from benchmarks.generate import read_marker
from benchmarks.run import FISCAL_YEAR, REPO, Result, prepare, print_table, scenarios, time_calls
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.sync.service import SyncService


def _load(path: Path, url: str, results: list[Result]) -> None:
    """File → full bundle → shared database, both steps timed."""
    with tempfile.TemporaryDirectory() as folder:
        bundle = Path(folder) / "full.kankei"
        source = open_database(path, lock=False)
        try:
            started = time.perf_counter()
            exported = SyncService(Services(source)).export(bundle)
            results.append(Result("export", "full bundle from the file", None,
                                  [time.perf_counter() - started],
                                  note=f"{sum(exported.counts.values()):,} rows"))
        finally:
            source.close()
        target = open_database(url)
        try:
            started = time.perf_counter()
            SyncService(Services(target)).import_(bundle, None, allow_unencrypted=True)
            results.append(Result("import", "full bundle into the shared database", None,
                                  [time.perf_counter() - started]))
        finally:
            target.close()


def _client(url: str, pairs: list[tuple[str, str]], queue: multiprocessing.Queue,
            go: Any) -> None:
    """One user's process: connect, wait for the start, record attendance for ``pairs``;
    report each save's latency."""
    database = open_database(url)
    services = Services(database)
    services.people.count()  # connected and warm
    queue.put("ready")
    go.wait()
    latencies = []
    try:
        for meeting, person in pairs:
            started = time.perf_counter()
            services.attendance.set(uuid.UUID(hex=meeting), uuid.UUID(hex=person),
                                    status="absent")
            latencies.append(time.perf_counter() - started)
    finally:
        database.close()
    queue.put(latencies)


def _clients(url: str, clients: int, writes: int) -> Result:
    """``clients`` processes recording ``writes`` attendances each, all at once."""
    database = open_database(url)
    try:
        with database.reading() as session:
            rows = session.execute(text(
                "SELECT a.meeting_id, a.person_id FROM attendance a JOIN meeting m "
                "ON m.id = a.meeting_id WHERE m.status = 'held' AND a.status = 'attended' "
                "ORDER BY a.id LIMIT :n"), {"n": clients * writes}).all()
    finally:
        database.close()
    pairs = [(str(uuid.UUID(str(meeting))).replace("-", ""),
              str(uuid.UUID(str(person))).replace("-", "")) for meeting, person in rows]
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue = context.Queue()
    go = context.Event()
    workers = [context.Process(target=_client, args=(url, pairs[index::clients], queue, go))
               for index in range(clients)]
    for worker in workers:  # connected before the clock: starting up is not recording
        worker.start()
    for _worker in workers:
        assert queue.get(timeout=600) == "ready"
    go.set()
    started = time.perf_counter()
    latencies: list[float] = []
    for _worker in workers:
        latencies.extend(queue.get(timeout=600))
    wall = time.perf_counter() - started
    for worker in workers:
        worker.join()
    return Result("clients", f"{clients} clients recording attendance at once", None,
                  [max(latencies)],
                  note=f"{len(latencies)} saves in {wall:.1f} s "
                       f"({len(latencies) / wall:.0f}/s); worst latency "
                       f"{max(latencies) * 1000:.0f} ms, median "
                       f"{sorted(latencies)[len(latencies) // 2] * 1000:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.shared", description=__doc__)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--writes", type=int, default=25, help="saves per client")
    parser.add_argument("--ui", action="store_true", help="also the window scenarios")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from tests.postgres_server import TemporaryPostgres

    path = REPO / "benchmarks" / "data" / f"bench-scale{args.scale:g}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    prepare(path, args.scale)
    marker = read_marker(path) or {}
    server = TemporaryPostgres().start()
    results: list[Result] = []
    try:
        server.template()
        url = server.new_database("bench")
        _load(path, url, results)
        database = open_database(url)
        try:
            services = Services(database)
            cases = scenarios(services, marker)

            def stats() -> str:
                with database.transaction() as session:  # any write: nothing kept to reuse
                    session.execute(text("UPDATE attendance SET note = note WHERE id = "
                                         "(SELECT id FROM attendance ORDER BY id LIMIT 1)"))
                total = services.figures.fiscal_year(FISCAL_YEAR).total
                return (f"held {total.meetings_held:,}, person-times {total.person_times:,}, "
                        f"unique {total.unique_persons:,} (live in PostgreSQL)")

            cases["stats"] = (f"stats --fy {FISCAL_YEAR} after a write (in-process)", 0.3,
                              stats)
            for name in ("stats", "stats-club", "search-hiragana", "search-kanji",
                         "search-katakana", "edit-attendance"):
                label, target, function = cases[name]
                result = Result(name, label, target)
                started = time.perf_counter()
                result.note = function()
                result.times = [time.perf_counter() - started,
                                *time_calls(function, max(0, args.repeat - 1))]
                results.append(result)
        finally:
            database.close()
        results.append(_clients(url, args.clients, args.writes))
        if args.ui:
            from benchmarks.ui_scenarios import measure
            from benchmarks.ui_scenarios import print_table as print_ui

            print_ui(measure(url, args.repeat), url, args.repeat)
    finally:
        server.stop()
    print_table(results, args.scale)
    return 1 if any(result.verdict == "SLOW" for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
