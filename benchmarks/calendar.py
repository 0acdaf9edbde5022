"""Calendar speed over the large data set (50,000 sessions at scale 1), offscreen.

    python -m benchmarks.calendar [--db PATH] [--scale 1.0] [--repeat 7]

The data set is made once by ``benchmarks.generate`` (the same file and marker as
``benchmarks.run``) and reused. Each figure is the wall-clock time from the user's action to
the view painted (``QWidget.repaint`` forces the paint synchronously), query included:

- month view: show a month (6-week grid) of the busiest period (target ≤ 100 ms);
- week view: show a week (target ≤ 100 ms);
- next month: the ▶ button in the month view (target ≤ 100 ms). The page reads the
  neighbouring months in the background after showing one, so this is measured after the
  user's pause (read-ahead finished, untimed); the same click with nothing cached is shown
  for information;
- the range query alone, for information.
"month view" and "week view" are measured with the cache dropped before each run.
Judged on the worst run after one warm-up. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.run import REPO, prepare
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database

TARGET = 0.100


def measure(action: Callable[[], object], repeat: int,
            between: Callable[[], object] | None = None) -> list[float]:
    """Seconds per call, after one warm-up call; ``between`` runs untimed before each call
    (the user's pause: background read-ahead finishes, or a cache is dropped).
    """
    action()
    times = []
    for _ in range(repeat):
        if between is not None:
            between()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios and print a table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.calendar", description=__doc__)
    parser.add_argument("--db", type=Path, help="data set file (default: benchmarks/data/)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    path = args.db or REPO / "benchmarks" / "data" / f"bench-scale{args.scale:g}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    prepare(path, args.scale)

    from PySide6.QtWidgets import QApplication

    from kankei_desktop.ui.fonts import choose_ui_font
    from kankei_desktop.ui.pages.calendar.page import MONTH, WEEK, CalendarPage

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    choose_ui_font(app)
    database = open_database(path)
    try:
        services = Services(database)
        total = services.meetings.count()
        latest = services.calendar.latest_date() or date.today()
        busy = date(latest.year - 1, 10, 15)  # a full month inside the data set
        page = CalendarPage(services)
        page.resize(1280, 760)
        page.show()
        app.processEvents()
        page.go_to(busy)
        app.processEvents()
        shown = len(page.entries)

        def month() -> None:
            page.go_to(busy)
            page.month_view.repaint()

        def cold() -> None:
            page.wait_until_idle()
            page.forget()

        def pause() -> None:
            page.wait_until_idle()

        def next_month() -> None:
            page.shift(1)
            page.month_view.repaint()

        def week() -> None:
            page.go_to(busy)
            page.week_view.repaint()

        grid = page.visible_range()

        def query() -> None:
            services.calendar.entries(*grid)

        rows: list[tuple[str, float | None, list[float]]] = []
        rows.append(("month view (query + paint)", TARGET, measure(month, args.repeat, cold)))
        page.go_to(busy)
        rows.append(("next month (▶, read ahead)", TARGET,
                     measure(next_month, args.repeat, pause)))
        page.go_to(busy)
        rows.append(("next month (▶, nothing cached)", None,
                     measure(next_month, args.repeat, cold)))
        rows.append(("range query alone (6 weeks)", None, measure(query, args.repeat)))
        page.set_view(WEEK)
        app.processEvents()
        rows.append(("week view (query + paint)", TARGET, measure(week, args.repeat, cold)))
        page.wait_until_idle()
        page.set_view(MONTH)
        page.hide()
    finally:
        database.close()
    print(f"\n{total:,} sessions in {path.name}; month of {busy:%Y-%m}: {shown} sessions "
          "in the 6-week grid\n")
    print(f"{'scenario':34} {'median':>9} {'worst':>9} {'target':>8}  verdict")
    failed = False
    for label, target, times in rows:
        worst = max(times)
        verdict = "info" if target is None else ("PASS" if worst <= target else "SLOW")
        failed |= verdict == "SLOW"
        target_text = "—" if target is None else f"{target * 1000:.0f} ms"
        print(f"{label:34} {statistics.median(times) * 1000:7.1f} ms {worst * 1000:7.1f} ms "
              f"{target_text:>8}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
