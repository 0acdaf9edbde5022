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
period or scope is grouped live from the rows (:mod:`.live`). Both give the same figures. A
shared PostgreSQL database groups live by portable SQL (:mod:`.portable`), always.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from kankei_desktop.core.figures import aggregates, kept, live, tagged
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.figures.scope import FigureFilter
from kankei_desktop.core.japan.fiscal import fiscal_year_of, fiscal_year_range
from kankei_desktop.core.vocabulary import MeetingKind, PersonCategory

__all__ = ["FigureFilter", "FigureSet", "Figures", "first_time_person_ids",
           "fiscal_year_figures", "period_figures", "portable_period_figures"]


@dataclass
class FigureSet:
    """The counts of one cell of a breakdown.

    ``recorded`` (rows recorded as attended, absent or excused) and ``organizations`` are
    filled for the total and per 年度 only.
    """

    meetings_held: int = 0
    meetings_online: int = 0
    person_times: int = 0
    unique_persons: int = 0
    first_time_persons: int = 0
    recorded: int = 0
    organizations: int = 0

    @property
    def online_rate(self) -> float | None:
        """うちオンライン / 開催回数, or None when nothing was held."""
        if self.meetings_held == 0:
            return None
        return self.meetings_online / self.meetings_held

    @property
    def attendance_rate(self) -> float | None:
        """参加率: attended ÷ recorded (attended, absent, excused); None when nothing was
        recorded."""
        if self.recorded == 0:
            return None
        return self.person_times / self.recorded


@dataclass
class Figures:
    """Figures for a period with their breakdowns (every month, 年度, category and kind of
    session of the period listed, empty ones too)."""

    date_from: date
    date_to: date
    fiscal_year: int | None
    total: FigureSet
    by_club: dict[uuid.UUID, FigureSet] = field(default_factory=dict)
    by_municipality: dict[uuid.UUID | None, FigureSet] = field(default_factory=dict)
    by_category: dict[str, FigureSet] = field(default_factory=dict)
    by_month: dict[tuple[int, int], FigureSet] = field(default_factory=dict)
    by_kind: dict[str, FigureSet] = field(default_factory=dict)
    by_fiscal_year: dict[int, FigureSet] = field(default_factory=dict)
    by_organization: dict[uuid.UUID, FigureSet] = field(default_factory=dict)

    @property
    def period(self) -> Period:
        """The period counted."""
        return Period(self.date_from, self.date_to)

    @property
    def organizations_attending(self) -> int:
        """参加団体数: distinct live organisations of the people counted."""
        return self.total.organizations

    @property
    def attendance_rate(self) -> float | None:
        """参加率 of the whole period and scope."""
        return self.total.attendance_rate


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
    params = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
              **flt.parameters()}
    if session.get_bind().dialect.name != "sqlite":  # a shared database: no kept tables
        return portable_period_figures(session, date_from, date_to, flt)
    params.update(tagged.parameters(session, flt.tag_id))
    tally = _Tally(period)
    for row in live.meetings(session, params):
        tally.meetings(*row)
    years = period.whole_fiscal_years
    if use_kept and flt.whole_programme and years is not None and (
            years[0] == years[1] or aggregates.spans(*years)):
        kept.read(session, years, params, tally)
    else:
        live.read(session, params, tally)
    return tally.figures()


def portable_period_figures(session: Session, date_from: date, date_to: date,
                            figure_filter: FigureFilter | None = None) -> Figures:
    """The same figures grouped by portable SQL (:mod:`.portable`): a shared database's way,
    and on a file only to compare the two (``tests/core/test_portable_figures.py``)."""
    from kankei_desktop.core.figures import portable

    flt = figure_filter or FigureFilter()
    tally = _Tally(Period(date_from, date_to))
    for row in portable.meetings(session, date_from, date_to, flt):
        tally.meetings(*row)
    portable.read(session, date_from, date_to, flt, tally)
    return tally.figures()


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


class _Tally:
    """Collects the grouped rows the queries return into :class:`Figures` (keys as the SQL
    gives them: ids as hex text, months as 'YYYY-MM')."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.total = FigureSet()
        self.groups: dict[str, dict[object, FigureSet]] = {
            name: {} for name in ("club", "host", "month", "kind", "year", "category", "org")}

    def cell(self, group: str, key: object) -> FigureSet:
        """The cell ``key`` of breakdown ``group`` (made on first use)."""
        if group == "host":
            key = key or None  # '' in the kept tables, NULL live: no host municipality
        cells = self.groups[group]
        found = cells.get(key)
        if found is None:
            found = cells[key] = FigureSet()
        return found

    def meetings(self, group: str, key: object, held: int, online: int) -> None:
        """Held sessions of one cell (every session has one 年度: they make the total)."""
        cells = [self.cell(group, key)]
        if group == "year":
            cells.append(self.total)
        for cell in cells:
            cell.meetings_held += held
            cell.meetings_online += online

    def attendance(self, group: str, key: object, times: int, persons: int) -> None:
        """延べ and 実 of one cell (``group`` 'total' has no key)."""
        cell = self.total if group == "total" else self.cell(group, key)
        cell.person_times = times
        cell.unique_persons = persons

    def unique_persons(self, group: str, key: object, persons: int) -> None:
        """実 of one cell whose 延べ was given already (over several years)."""
        cell = self.total if group == "total" else self.cell(group, key)
        cell.unique_persons = persons

    def recorded(self, year: int, rows: int) -> None:
        """Rows recorded (attended, absent, excused) in one 年度."""
        self.cell("year", year).recorded = rows
        self.total.recorded += rows

    def organizations(self, year: int, count: int) -> None:
        """Organisations taking part in one 年度."""
        self.cell("year", year).organizations = count

    def newcomers(self, month: str, category: str, count: int) -> None:
        """新規 overall by the month of their first session and their category."""
        year = fiscal_year_of(date(int(month[:4]), int(month[5:7]), 1))
        for cell in (self.total, self.cell("month", month), self.cell("category", category),
                     self.cell("year", year)):
            cell.first_time_persons += count

    def newcomers_of(self, group: str, key: str | None, count: int) -> None:
        """新規 of one club or host municipality (people new to it)."""
        self.cell(group, key).first_time_persons = count

    def figures(self) -> Figures:
        """The collected figures, every month, 年度, category and kind listed."""
        groups, period = self.groups, self.period
        self.total.organizations = len(groups["org"])
        months = groups["month"]
        return Figures(
            date_from=period.start, date_to=period.end, fiscal_year=period.single_fiscal_year,
            total=self.total,
            by_club={uuid.UUID(hex=str(key)): cell for key, cell in groups["club"].items()},
            by_municipality={uuid.UUID(hex=str(key)) if key else None: cell
                             for key, cell in groups["host"].items()},
            by_category={**{category.value: FigureSet() for category in PersonCategory},
                         **{str(key): cell for key, cell in groups["category"].items()}},
            by_month={month: months.get(f"{month[0]:04d}-{month[1]:02d}", FigureSet())
                      for month in period.months},
            by_kind={**{kind.value: FigureSet() for kind in MeetingKind},
                     **{str(key): cell for key, cell in groups["kind"].items()}},
            by_fiscal_year={year: groups["year"].get(year, FigureSet())
                            for year in period.touched_fiscal_years},
            by_organization={uuid.UUID(hex=str(key)): cell
                             for key, cell in groups["org"].items()},
        )
