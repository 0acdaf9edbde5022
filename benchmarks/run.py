"""Timed scenarios over the large data set, with targets.

    python -m benchmarks.run [--db PATH] [--scale 1.0] [--only NAME[,NAME]] [--repeat 5]
                             [--explain]

The data set is generated on first use and reused while its marker (in the ``meta`` table)
says it was made with the same scale, seed and generator version. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from benchmarks.generate import GENERATOR_VERSION, SEED, generate, read_marker, remove_database
from benchmarks.verify import check_dataset
from kankei_desktop.core.figures.compute import FigureFilter, fiscal_year_figures, period_figures
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import Database, open_database
from kankei_desktop.core.writes.bulk_mode import figure_triggers_suspended

REPO = Path(__file__).resolve().parents[1]
FISCAL_YEAR = 2021
#: The five 年度 of the multi-year scenarios (令和3〜7年度).
FIVE_YEARS = Period.fiscal_years(FISCAL_YEAR, FISCAL_YEAR + 4)
SEARCHES = (("hiragana", "さとう"), ("kanji", "佐藤 美咲"), ("katakana", "ワタナベ"))
CLI_SEARCH = "サトウ"


@dataclass
class Result:
    """One scenario's timings (seconds) and verdict."""

    name: str
    label: str
    target: float | None  # None: informative only
    times: list[float] = field(default_factory=list)
    note: str = ""
    skipped: str = ""

    @property
    def median(self) -> float:
        """Median of the runs."""
        return statistics.median(self.times)

    @property
    def verdict(self) -> str:
        """PASS / SLOW against the target (judged on the median), else info or skipped."""
        if self.skipped:
            return "skipped"
        if self.target is None:
            return "info"
        return "PASS" if self.median <= self.target else "SLOW"


def prepare(path: Path, scale: float) -> float | None:
    """Make sure ``path`` holds the data set; return the generation time if it was made."""
    marker = read_marker(path)
    wanted = {"scale": scale, "seed": SEED, "version": GENERATOR_VERSION}
    if marker is not None and all(marker.get(key) == value for key, value in wanted.items()):
        print(f"reusing {path} (scale {scale}, 'today' {marker['as_of']})")
        return None
    if path.exists() and marker is None:
        raise SystemExit(f"{path} exists and is not a benchmark data set; choose another --db")
    remove_database(path)
    print(f"generating {path} at scale {scale} …", flush=True)
    made = generate(path, scale)
    return float(made["seconds"]["total"])


def cli_command() -> list[str] | None:
    """How to start the ``kankei`` command line, or None while it does not exist yet."""
    script = Path(sys.executable).with_name("kankei.exe" if os.name == "nt" else "kankei")
    if script.exists():
        return [str(script)]
    found = shutil.which("kankei")
    if found:
        return [found]
    if importlib.util.find_spec("kankei_desktop.commands.cli") is not None:  # source checkout
        return [sys.executable, "-c",
                "import sys; from kankei_desktop.commands.cli import main; sys.exit(main())"]
    return None


def time_calls(function: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def run_cli(result: Result, command: list[str] | None, args: list[str], repeat: int,
            expect_json: bool = False) -> Result:
    """Time a command-line call as a subprocess (skipped when the CLI is not there)."""
    if command is None:
        result.skipped = "the kankei command is not available yet"
        return result
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                                    os.environ.get("PYTHONPATH")])))
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run([*command, *args], capture_output=True, cwd=REPO, env=env,
                              check=False)
        result.times.append(time.perf_counter() - started)
        if done.returncode != 0:
            lines = done.stderr.decode(errors="replace").strip().splitlines() or ["no output"]
            result.times, result.skipped = [], f"failed (exit {done.returncode}): {lines[-1]}"
            return result
    output = done.stdout.decode(errors="replace")
    if expect_json:
        try:
            json.loads(output)
        except ValueError:
            result.note = "output is not JSON"
    else:
        result.note = f"{len(output.splitlines())} lines of output"
    return result


@contextmanager
def recorded_sql(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """Collect the statements (and parameters) the engine runs inside the block."""
    statements: list[tuple[str, Any]] = []

    def record(_conn: object, _cursor: object, sql: str, params: Any, *_: object) -> None:
        statements.append((sql, params))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def explain(database: Database, function: Callable[[], object]) -> None:
    """Print EXPLAIN QUERY PLAN for every statement ``function`` runs."""
    with recorded_sql(database) as statements:
        function()
    raw = database.engine.raw_connection()
    try:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            print("   ", " ".join(sql.split())[:400])
            depth: dict[int, int] = {0: 0}
            for node, parent, _, detail in raw.cursor().execute(f"EXPLAIN QUERY PLAN {sql}",
                                                                params).fetchall():
                depth[node] = depth.get(parent, 0) + 1
                print("      " + "  " * depth[node] + detail)
    finally:
        raw.close()


def scenarios(services: Services, marker: dict[str, Any]
              ) -> dict[str, tuple[str, float | None, Callable[[], str]]]:
    """name → (label, target seconds, callable returning a note) for the in-process cases."""
    figures = services.figures
    club_name = marker["club_names"][0]
    club = services.clubs.find_by_name(club_name)
    club_id = club.id if club is not None else None
    with services.database.reading() as session:
        row = session.execute(text(
            "SELECT a.meeting_id, a.person_id FROM attendance a JOIN meeting m "
            "ON m.id = a.meeting_id WHERE m.date >= :day AND m.status = 'held' "
            "AND a.status = 'attended' LIMIT 1"), {"day": f"{FISCAL_YEAR}-06-01"}).first()
    someone = (uuid.UUID(str(row[0])), uuid.UUID(str(row[1]))) if row else None  # either engine
    # The prefecture whose municipalities host the most clubs (a prefecture's scope).
    with services.database.reading() as session:
        prefecture = session.execute(text(
            "SELECT substr(o.lgcode, 1, 2) FROM club c JOIN organization o "
            "ON o.id = c.host_municipality_id WHERE o.lgcode IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")).scalar() or "01"

    def stats() -> str:
        with services.database.transaction() as session:  # any write: the figures are read
            session.execute(text("UPDATE attendance SET note = note WHERE rowid = 1"))
        total = figures.fiscal_year(FISCAL_YEAR).total
        return (f"held {total.meetings_held:,}, person-times {total.person_times:,}, "
                f"unique {total.unique_persons:,}, new {total.first_time_persons:,}")

    def stats_live() -> str:
        with services.database.reading() as session:
            total = fiscal_year_figures(session, FISCAL_YEAR, use_kept=False).total
        return f"person-times {total.person_times:,}, grouped from the attendance itself"

    def stats_rebuild() -> str:
        with services.database.engine.connect() as connection:
            transaction = connection.begin()
            raw = connection.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            with figure_triggers_suspended(raw):  # drops the triggers, rebuilds every table
                pass
            transaction.rollback()  # measure the rebuild, keep the file as it was
        return "every kept table of every year, as after a bulk import (rolled back)"

    def edit_attendance() -> str:
        if not someone:
            return "no attendance row"
        meeting_id, person_id = someone
        services.attendance.set(meeting_id, person_id, status="absent")
        services.attendance.set(meeting_id, person_id)
        if services.database.shared:
            return "two writes through the services (no kept tables on PostgreSQL)"
        return "two writes through the services, kept tables updated by the triggers"

    def stats_club() -> str:
        total = figures.fiscal_year(FISCAL_YEAR, FigureFilter(club_id=club_id)).total
        return f"{club_name}: held {total.meetings_held}, person-times {total.person_times:,}"

    def stats_years() -> str:
        with services.database.transaction() as session:  # as after any change
            session.execute(text("UPDATE attendance SET note = note WHERE rowid = 1"))
        figures = services.figures.period(FIVE_YEARS.start, FIVE_YEARS.end)
        total = figures.total
        return (f"{FIVE_YEARS.label()}: held {total.meetings_held:,}, person-times "
                f"{total.person_times:,}, unique {total.unique_persons:,} (sum of the years "
                f"{sum(c.unique_persons for c in figures.by_fiscal_year.values()):,}), new "
                f"{total.first_time_persons:,}, organisations "
                f"{figures.organizations_attending:,}")

    def stats_years_live() -> str:
        with services.database.reading() as session:
            total = period_figures(session, FIVE_YEARS.start, FIVE_YEARS.end,
                                   use_kept=False).total
        return f"person-times {total.person_times:,}, grouped from the attendance itself"

    def stats_days() -> str:
        start = FIVE_YEARS.start.replace(day=2)  # not whole 年度: grouped live
        total = figures.period(start, FIVE_YEARS.end).total
        return f"{start} – {FIVE_YEARS.end}: person-times {total.person_times:,}"

    def stats_prefecture() -> str:
        total = figures.period(FIVE_YEARS.start, FIVE_YEARS.end,
                               FigureFilter(prefecture=prefecture)).total
        return (f"prefecture {prefecture}: held {total.meetings_held:,}, person-times "
                f"{total.person_times:,}, unique {total.unique_persons:,}")

    def search(text: str) -> Callable[[], str]:
        def run() -> str:
            shown = services.people.find(text, limit=200)
            return f"{len(shown)} shown of {services.people.count(text):,}"
        return run

    cases: dict[str, tuple[str, float | None, Callable[[], str]]] = {
        "stats": (f"stats --fy {FISCAL_YEAR} after a write (in-process; kept tables)", 0.3,
                  stats),
        "stats-live": (f"stats --fy {FISCAL_YEAR} from the attendance itself", None,
                       stats_live),
        "stats-rebuild": ("rebuild the kept figure tables of every year", None,
                          stats_rebuild),
        "edit-attendance": ("mark one attendance absent and back (2 writes)", None,
                            edit_attendance),
        "stats-club": (f"stats --fy {FISCAL_YEAR} --club (in-process)", 0.3, stats_club),
        "stats-5y": (f"stats --from {FIVE_YEARS.start} --to {FIVE_YEARS.end} after a write "
                     "(5 whole 年度, kept tables)", 1.0, stats_years),
        "stats-5y-live": ("the same 5 years grouped from the attendance itself", None,
                          stats_years_live),
        "stats-5y-days": ("5 years less a day (not whole 年度: grouped live)", None,
                          stats_days),
        "stats-5y-prefecture": ("the same 5 years for the prefecture with most clubs "
                                "(--municipality PREFECTURE, live)", None, stats_prefecture),
    }
    for kind, words in SEARCHES:
        cases[f"search-{kind}"] = (f"list people --search {words} (list 200 + count)", 0.2,
                                   search(words))
    return cases


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--db", type=Path, help="data set file (default: benchmarks/data/)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--repeat", type=int, default=5, help="runs per in-process scenario")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--full-import", type=Path, metavar="FOLDER",
                        help="also the full-import ratio, over a folder made by "
                             "python -m benchmarks.full_import prepare")
    args = parser.parse_args(argv)
    path = (args.db or REPO / "benchmarks" / "data" / f"bench-scale{args.scale:g}.sqlite3")
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    wanted: Callable[[str], bool] = lambda name: not only or name in only  # noqa: E731

    results: list[Result] = []
    generated = prepare(path, args.scale)
    if generated is not None and wanted("generate"):
        results.append(Result("generate", "generate+load", 60.0, [generated]))
    marker = read_marker(path) or {}
    database = open_database(path, lock=False)  # unlocked, so the CLI runs can open the file
    try:
        problems = check_dataset(database)
        print("data set check:", "ok" if not problems else "; ".join(problems))
        services = Services(database)
        for name, (label, target, function) in scenarios(services, marker).items():
            if not wanted(name):
                continue
            result = Result(name, label, target)
            started = time.perf_counter()
            result.note = function()  # the first, cold run also gives the figures shown
            result.times = [time.perf_counter() - started,
                            *time_calls(function, max(0, args.repeat - 1))]
            results.append(result)
            if args.explain:
                print(f"-- {name}")
                explain(database, function)
    finally:
        database.close()
    command, runs = cli_command(), max(1, min(3, args.repeat))
    if wanted("stats-cli"):
        results.append(run_cli(Result("stats-cli", f"kankei stats --fy {FISCAL_YEAR} --json "
                                      "(subprocess)", None), command,
                               ["--db", str(path), "stats", "--fy", str(FISCAL_YEAR), "--json"],
                               runs, expect_json=True))
    if wanted("stats-club-cli") and marker.get("club_names"):
        club_name = marker["club_names"][0]
        results.append(run_cli(Result("stats-club-cli", f"kankei stats --fy {FISCAL_YEAR} "
                                      "--club NAME --json (subprocess)", None), command,
                               ["--db", str(path), "stats", "--fy", str(FISCAL_YEAR), "--club",
                                club_name, "--json"], runs, expect_json=True))
    if wanted("stats-5y-cli"):
        results.append(run_cli(Result("stats-5y-cli", f"kankei stats --from {FIVE_YEARS.start} "
                                      f"--to {FIVE_YEARS.end} --json (subprocess)", None),
                               command, ["--db", str(path), "stats", "--from",
                                         str(FIVE_YEARS.start), "--to", str(FIVE_YEARS.end),
                                         "--json"], runs, expect_json=True))
    if wanted("search-cli"):
        results.append(run_cli(Result("search-cli", f"kankei list people --search {CLI_SEARCH} "
                                      "(subprocess)", None), command,
                               ["--db", str(path), "list", "people", "--search", CLI_SEARCH],
                               runs))
    print_table(results, args.scale)
    slow = any(result.verdict == "SLOW" for result in results)
    if wanted("ratios"):  # issue 25: start-up, first paint, full import beside their floors
        from benchmarks import ratios

        print("\nratios to the floor, measured in turn in this run (median, range):")
        for ratio in ratios.measure(runs, None, args.full_import):
            print(ratio.line(), flush=True)
            slow = slow or ratio.slow
    return 1 if slow else 0


def _format(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds * 1000:,.0f} ms"


def print_table(results: list[Result], scale: float) -> None:
    """The results as a Markdown table (paste it into benchmarks/README.md)."""
    print(f"\nscale {scale:g}; times: first / min / median of the runs\n")
    print("| scenario | name | runs | first | min | median | target | result | notes |")
    print("|---|---|---:|---:|---:|---:|---:|---|---|")
    for r in results:
        timing = (["", "", ""] if not r.times else
                  [_format(r.times[0]), _format(min(r.times)), _format(r.median)])
        target = "—" if r.target is None else _format(r.target)
        note = r.skipped or r.note
        print(f"| {r.label} | `{r.name}` | {len(r.times)} | {' | '.join(timing)} | {target} | "
              f"{r.verdict} | {note} |")


if __name__ == "__main__":
    sys.exit(main())
