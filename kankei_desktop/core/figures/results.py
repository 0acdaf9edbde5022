"""What the figure queries give and what they are collected into, without SQLAlchemy.

The figures (:class:`Figures`, :class:`FigureSet`), the matching figures
(:class:`MatchingFigures`) and the collector of grouped rows (:class:`Tally`) are plain data:
the full figure code (:mod:`.compute`, on a SQLAlchemy session) and ``kankei stats`` on a bare
``sqlite3`` connection (:mod:`.bare`) fill the same ones from the same statements
(:mod:`.held`, :mod:`.kept`), each through a :data:`Run`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.japan.fiscal import fiscal_year_of
from kankei_desktop.core.vocabulary import MatchingKind, MeetingKind, PersonCategory

#: Runs one SQL statement (``:name`` parameters) and gives its rows: a SQLAlchemy session's
#: ``execute(text(...))`` or a ``sqlite3`` connection's ``execute``.
Run = Callable[[str, Mapping[str, object]], Iterable[Sequence[Any]]]


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


@dataclass
class MatchingFigures:
    """The matching figures of one period and filter (:mod:`.matchings`)."""

    made: int = 0
    active: int = 0
    by_kind: dict[str, int] = field(
        default_factory=lambda: {kind.value: 0 for kind in MatchingKind})

    @classmethod
    def of(cls, made: Iterable[Sequence[Any]], active: int | None) -> MatchingFigures:
        """From the (kind, made) rows and the active count the queries give."""
        result = cls()
        for kind, number in made:
            result.made += number
            result.by_kind[kind] = result.by_kind.get(kind, 0) + number
        result.active = int(active or 0)
        return result


class Collector(Protocol):
    """What receives the grouped rows (:class:`Tally`)."""

    def attendance(self, group: str, key: object, times: int, persons: int) -> None: ...
    def unique_persons(self, group: str, key: object, persons: int) -> None: ...
    def recorded(self, year: int, rows: int) -> None: ...
    def organizations(self, year: int, count: int) -> None: ...
    def newcomers(self, month: str, category: str, count: int) -> None: ...
    def newcomers_of(self, group: str, key: str | None, count: int) -> None: ...


class Tally:
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
