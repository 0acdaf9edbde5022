"""The programme's figures: one implementation for the dashboard, the CLI and the reports.

What counts is defined once in :mod:`.rule`, which clubs are in scope in :mod:`.scope`; this
module groups what counts. Definitions, for any period (both ends included) and scope:

- 開催回数 ``meetings_held``: live meetings with status ``held`` in the period.
- うちオンライン ``meetings_online``: those whose format is ``online`` or ``hybrid``.
- オンライン活用率 ``online_rate``: meetings_online / meetings_held (None when nothing held).
- 延べ人数 ``person_times``: live ``attended`` rows of live people on those meetings.
- 実人数 ``unique_persons``: distinct people among those rows — over the whole period, so a
  person who came in three years counts once.
- 新規 ``first_time_persons``: people whose first attended meeting *ever* (within the same
  scope: a club's newcomers are people new to that club) falls in the period.
- 参加率 ``attendance_rate``: those rows ÷ the rows recorded as attended, absent or excused.
- 参加団体数 ``organizations``: distinct live organisations of the people counted.

Breakdowns: by club, host municipality, person category, month, kind of session, 年度 and
organisation. The club, municipality and prefecture scope restricts the meetings; the
category restricts the people, so it changes the attendance figures but not the meeting
counts; a tag (``tag_id``) restricts the sessions, the people or both, by what the tag is put
on (:mod:`.tagged`). Meetings of deleted clubs do not count.

Whole 年度 of the whole programme are read from the kept tables (:mod:`.kept`); any other
period or scope is grouped live from the rows (:mod:`.live`). Both give the same figures. The
figures themselves are plain data (:mod:`.results`); ``kankei stats`` reads the kept ones on
a bare ``sqlite3`` connection through the same :func:`.kept.whole_years_figures`
(:mod:`.bare`). A shared PostgreSQL database groups live by portable SQL
(:mod:`.portable`), always.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from kankei_desktop.core.figures import held, kept, live, tagged
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.figures.results import Figures, FigureSet, Run, Tally
from kankei_desktop.core.figures.scope import FigureFilter
from kankei_desktop.core.japan.fiscal import fiscal_year_range

__all__ = ["FigureFilter", "FigureSet", "Figures", "first_time_person_ids",
           "fiscal_year_figures", "period_figures", "portable_period_figures", "runner"]


def fiscal_year_figures(
    session: Session, fiscal_year: int, figure_filter: FigureFilter | None = None,
    *, use_kept: bool = True,
) -> Figures:
    """Figures for 年度 ``fiscal_year`` (1 April to 31 March)."""
    start, end = fiscal_year_range(fiscal_year)
    return period_figures(session, start, end, figure_filter, use_kept=use_kept)


def period_figures(
    session: Session, date_from: date, date_to: date, figure_filter: FigureFilter | None = None,
    *, use_kept: bool = True,
) -> Figures:
    """Figures for the inclusive period ``date_from`` … ``date_to``.

    Read from the kept tables when the period is whole 年度 and no club, municipality,
    prefecture or tag is chosen (``use_kept=False`` forces the live queries, for tests and
    benchmarks); grouped live otherwise.
    """
    period = Period(date_from, date_to)
    flt = figure_filter or FigureFilter()
    if session.get_bind().dialect.name != "sqlite":  # a shared database: no kept tables
        return portable_period_figures(session, date_from, date_to, flt)
    run = runner(session)
    if use_kept:
        figures = kept.whole_years_figures(run, period, flt)
        if figures is not None:
            return figures
    params = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
              **flt.parameters(), **tagged.parameters(session, flt.tag_id)}
    tally = Tally(period)
    for row in held.meetings(run, params):
        tally.meetings(*row)
    live.read(session, params, tally)
    return tally.figures()


def portable_period_figures(session: Session, date_from: date, date_to: date,
                            figure_filter: FigureFilter | None = None) -> Figures:
    """The same figures grouped by portable SQL (:mod:`.portable`): a shared database's way,
    and on a file only to compare the two (``tests/core/test_portable_figures.py``)."""
    from kankei_desktop.core.figures import portable

    flt = figure_filter or FigureFilter()
    tally = Tally(Period(date_from, date_to))
    for row in portable.meetings(session, date_from, date_to, flt):
        tally.meetings(*row)
    portable.read(session, date_from, date_to, flt, tally)
    return tally.figures()
def runner(session: Session) -> Run:
    """The plain-text statements of :mod:`.held` and :mod:`.kept` run on ``session``."""

    def run(statement: str, params: Mapping[str, object]) -> Iterable[Sequence[Any]]:
        return session.execute(_text(statement), params)

    return run


@lru_cache(maxsize=64)
def _text(statement: str) -> TextClause:
    return text(statement)


def first_time_person_ids(
    session: Session, date_from: date, date_to: date, figure_filter: FigureFilter | None = None
) -> set[uuid.UUID]:
    """The people counted as 新規 for the period and filter (``first_time_persons``)."""
    if session.get_bind().dialect.name != "sqlite":
        from kankei_desktop.core.figures import portable

        return portable.newcomer_ids(session, date_from, date_to, figure_filter)
    flt = figure_filter or FigureFilter()
    params = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
              **flt.parameters(), **tagged.parameters(session, flt.tag_id)}
    return {uuid.UUID(hex=key) for key in live.newcomer_ids(session, params)}
