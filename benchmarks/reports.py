"""Benchmark: the annual 実績報告書 of a fiscal year with about 1,000 held sessions (≤ 5 s).

    .venv/bin/python -m benchmarks.reports [--db PATH] [--scale 1.0] [--sessions 1000]

Uses the benchmark data set of ``benchmarks.run`` (made on first use, reused while its
marker matches) and reports on the fiscal year whose number of held sessions is closest to
``--sessions`` (at scale 1.0: FY2019 with 1,348). The build time covers what the user waits
for: gathering the figures and lists, the glyph check and drawing the PDF. The figures alone
are also timed without the figure cache, for information.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text

from benchmarks.run import REPO, prepare
from kankei_desktop.core.figures.compute import fiscal_year_figures
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.japan.fiscal import fiscal_year_of
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.reports.documents import ReportRequest, build_report
from kankei_desktop.reports.excel import build_workbook

TARGET_SECONDS = 5.0


def _year_near(services: Services, wanted: int) -> tuple[int, int]:
    """The fiscal year whose held-session count is closest to ``wanted``, and the count."""
    with services.context.reading() as session:
        rows = session.execute(text(
            "SELECT substr(date, 1, 7), count(*) FROM meeting "
            "WHERE status = 'held' AND deleted_at IS NULL GROUP BY 1")).all()
    counts: dict[int, int] = {}
    for month, count in rows:
        year = fiscal_year_of(date(int(month[:4]), int(month[5:7]), 1))
        counts[year] = counts.get(year, 0) + count
    year = min(counts, key=lambda key: abs(counts[key] - wanted))
    return year, counts[year]


def _uncached_figures(services: Services, year: int) -> float:
    with services.context.reading() as session:
        start = time.perf_counter()
        fiscal_year_figures(session, year)
        return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    set_language("ja")
    path = args.db or REPO / "benchmarks" / "data" / f"bench-scale{args.scale:g}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    prepare(path, args.scale)
    database = open_database(path)
    try:
        services = Services(database)
        year, held = _year_near(services, args.sessions)
        figures_only = _uncached_figures(services, year)
        times = []
        pages = 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            # A draft: the benchmark file has no cover (the layout and drawing are the same).
            built = build_report(services, ReportRequest("annual", fiscal_year=year),
                                 draft=True)
            times.append(time.perf_counter() - start)
            pages = built.page_count
        start = time.perf_counter()
        workbook = build_workbook(services, year)
        excel = time.perf_counter() - start
    finally:
        database.close()
    median = statistics.median(times)
    verdict = "OK" if median <= TARGET_SECONDS else "SLOW"
    print(f"annual report FY{year}: {held} held sessions, {pages} pages, "
          f"{len(built.pdf) / 1e6:.1f} MB")
    print(f"  build: first {times[0]:.2f} s, min {min(times):.2f} s, median {median:.2f} s "
          f"(target ≤ {TARGET_SECONDS:.0f} s) {verdict}")
    print(f"  figures alone, uncached: {figures_only:.2f} s")
    print(f"  Excel workbook of the same year: {excel:.2f} s, {len(workbook) / 1e6:.1f} MB")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    raise SystemExit(main())
