"""The programme's figures: one implementation for the dashboard, the CLI and the reports.

What counts is defined once in :mod:`.rule`; this module groups what counts. Definitions, for
a period and an optional filter:

- 開催回数 ``meetings_held``: live meetings with status ``held`` in the period.
- うちオンライン ``meetings_online``: those whose format is ``online`` or ``hybrid``.
- オンライン活用率 ``online_rate``: meetings_online / meetings_held (None when nothing held).
- 延べ人数 ``person_times``: live ``attended`` rows of live people on those meetings.
- 実人数 ``unique_persons``: distinct people among those rows.
- 新規 ``first_time_persons``: people whose first attended meeting *ever* (within the same
  filter: a club's newcomers are people new to that club) falls in the period.

Filters: ``club_id`` and ``municipality_id`` (the club's host municipality) restrict the
meetings; ``category`` restricts the people, so it changes the attendance figures but not
the meeting counts. Meetings of deleted clubs do not count.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from kankei_desktop.core.figures import kept
from kankei_desktop.core.figures import rule_sql as rule
from kankei_desktop.core.japan.fiscal import fiscal_year_months, fiscal_year_range
from kankei_desktop.core.vocabulary import (
    PersonCategory,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Runs one figure query (SQLite text with ``:name`` parameters) and yields its rows.
Execute = Callable[[str, Mapping[str, object]], Iterable[Sequence[Any]]]


def executor(source: Session | sqlite3.Connection) -> Execute:
    """How to run the figure queries on ``source``: a session of an open file, or a bare
    sqlite3 connection (``kankei stats`` answers without loading SQLAlchemy)."""
    if isinstance(source, sqlite3.Connection):
        return source.execute
    from sqlalchemy import text

    session = source
    return lambda statement, params: session.execute(text(statement), params)


@dataclass(frozen=True)
class FigureFilter:
    """Which meetings and people the figures cover (None = all)."""

    club_id: uuid.UUID | None = None
    municipality_id: uuid.UUID | None = None
    category: str | None = None

    @property
    def whole_programme(self) -> bool:
        """No club or municipality chosen: a year's figures come from the kept tables
        (``figure_presence``), which hold every session and apply only the category."""
        return self.club_id is None and self.municipality_id is None


@dataclass
class FigureSet:
    """The five counts for one cell of a breakdown."""

    meetings_held: int = 0
    meetings_online: int = 0
    person_times: int = 0
    unique_persons: int = 0
    first_time_persons: int = 0

    @property
    def online_rate(self) -> float | None:
        """うちオンライン / 開催回数, or None when nothing was held."""
        if self.meetings_held == 0:
            return None
        return self.meetings_online / self.meetings_held


@dataclass
class Figures:
    """Figures for a period with their breakdowns."""

    date_from: date
    date_to: date
    fiscal_year: int | None
    total: FigureSet
    by_club: dict[uuid.UUID, FigureSet] = field(default_factory=dict)
    by_municipality: dict[uuid.UUID | None, FigureSet] = field(default_factory=dict)
    by_category: dict[str, FigureSet] = field(default_factory=dict)
    by_month: dict[tuple[int, int], FigureSet] = field(default_factory=dict)


def fiscal_year_figures(
    session: Session | sqlite3.Connection, fiscal_year: int,
    figure_filter: FigureFilter | None = None, *, use_kept: bool = True,
) -> Figures:
    """Figures for 年度 ``fiscal_year`` (1 April to 31 March), all 12 months listed.

    Read from the kept tables when no club or municipality filter applies (``use_kept=False``
    forces the live queries, for tests and benchmarks).
    """
    start, end = fiscal_year_range(fiscal_year)
    flt = figure_filter or FigureFilter()
    from_kept = use_kept and flt.whole_programme
    figures = period_figures(session, start, end, flt,
                             kept_year=fiscal_year if from_kept else None)
    figures.fiscal_year = fiscal_year
    figures.by_month = {
        month: figures.by_month.get(month, FigureSet()) for month in fiscal_year_months(fiscal_year)
    }
    return figures


def period_figures(
    session: Session | sqlite3.Connection, date_from: date, date_to: date,
    figure_filter: FigureFilter | None = None, *, kept_year: int | None = None,
) -> Figures:
    """Figures for the inclusive period ``date_from`` … ``date_to``.

    Aggregate queries with a fixed join order (``CROSS JOIN`` tells SQLite to keep the
    written order): meetings by club and month; attendance rows of those meetings grouped
    once per breakdown from one materialised set; newcomers from ``first_attendance``.
    Only the small aggregated results cross into Python. With ``kept_year`` (the period is
    that whole 年度, kept in ``figure_presence``, no club or municipality filter) the
    attendance and the overall and per-municipality 新規 come from the kept tables instead.
    """
    run = executor(session)
    params = _parameters(date_from, date_to, figure_filter or FigureFilter())
    figures = Figures(date_from=date_from, date_to=date_to, fiscal_year=None, total=FigureSet(),
                      by_category={category.value: FigureSet() for category in PersonCategory})
    host_of = {club: host for club, host in run("SELECT id, host_municipality_id FROM club", {})}
    by_club: dict[str, FigureSet] = defaultdict(FigureSet)
    by_host: dict[str | None, FigureSet] = defaultdict(FigureSet)
    by_month: dict[str, FigureSet] = defaultdict(FigureSet)
    for club, month, held, online in run(_MEETINGS, params):
        for cell in (figures.total, by_club[club], by_host[host_of.get(club)], by_month[month]):
            cell.meetings_held += held
            cell.meetings_online += online
    if kept_year is not None:
        _kept_attendance(run, kept_year, params, figures, by_club, by_host, by_month)
    else:
        _live_attendance(run, params, figures, by_club, by_host, by_month)
    figures.by_club = {uuid.UUID(hex=club): cell for club, cell in by_club.items()}
    figures.by_municipality = {
        uuid.UUID(hex=host) if host else None: cell for host, cell in by_host.items()
    }
    figures.by_month = {(int(month[:4]), int(month[5:7])): cell for month, cell in by_month.items()}
    return figures


def _live_attendance(run: Execute, params: dict[str, object], figures: Figures,
                     by_club: dict[str, FigureSet], by_host: dict[str | None, FigureSet],
                     by_month: dict[str, FigureSet]) -> None:
    """延べ・実人数 and 新規 by grouping the period's attendance."""
    by_category = figures.by_category
    for kind, key, times, persons in run(_ATTENDANCE, params):
        if kind == "total":
            cell = figures.total
        elif kind == "club":
            cell = by_club[key]
        elif kind == "host":
            cell = by_host[key]
        elif kind == "month":
            cell = by_month[key]
        else:
            cell = by_category.setdefault(key, FigureSet())
        cell.person_times = times
        cell.unique_persons = persons
    for month, category, count in run(_NEWCOMERS, params):
        figures.total.first_time_persons += count
        by_month[month].first_time_persons += count
        by_category.setdefault(category, FigureSet()).first_time_persons += count
    for host, count in run(_NEWCOMERS_BY_HOST, params):
        by_host[host].first_time_persons = count
    for club, count in run(_NEWCOMERS_BY_CLUB, params):
        by_club[club].first_time_persons = count


def _kept_attendance(run: Execute, fiscal_year: int, params: dict[str, object],
                     figures: Figures, by_club: dict[str, FigureSet],
                     by_host: dict[str | None, FigureSet], by_month: dict[str, FigureSet]
                     ) -> None:
    """The same figures as :func:`_live_attendance`, read from the kept tables."""
    values = {**params, "fy": fiscal_year}
    for kind, key, times, persons in run(kept.PRESENCE, values):
        if kind == "t":
            cell = figures.total
        elif kind == "c":
            cell = by_club[key]
        elif kind == "h":
            cell = by_host[key or None]
        else:
            cell = by_month[key]
        cell.person_times = times
        cell.unique_persons = persons
    by_category = figures.by_category
    for category, times, persons in run(kept.PRESENCE_BY_CATEGORY, values):
        cell = by_category.setdefault(category, FigureSet())
        cell.person_times = times
        cell.unique_persons = persons
    for month, category, count in run(kept.NEWCOMERS, values):
        figures.total.first_time_persons += count
        by_month[month].first_time_persons += count
        by_category.setdefault(category, FigureSet()).first_time_persons += count
    for host, count in run(kept.NEWCOMERS_BY_HOST, values):
        by_host[host or None].first_time_persons = count
    for club, count in run(kept.NEWCOMERS_BY_CLUB, values):
        by_club[club].first_time_persons = count


def _parameters(date_from: date, date_to: date, flt: FigureFilter) -> dict[str, object]:
    """The bound values every figure query reads."""
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "club": flt.club_id.hex if flt.club_id else None,
        "municipality": flt.municipality_id.hex if flt.municipality_id else None,
        "category": flt.category,
    }


def _club_in_scope(alias: str) -> str:
    """The club ``alias`` (``c`` or ``e``) counts (:mod:`.rule`) and is inside the filter."""
    counts = {"c": rule.CLUB_COUNTS_C, "e": rule.CLUB_COUNTS_E}[alias]
    return f"""{counts}
        AND (:club IS NULL OR {alias}.id = :club)
        AND (:municipality IS NULL OR {alias}.host_municipality_id = :municipality)"""


def _no_earlier_first(person: str, same_host_as: str | None = None) -> str:
    """``person`` has no pair in scope first attended before the period.

    With ``same_host_as`` (a club alias) only clubs of that club's host municipality count.
    """
    same = (f"AND e.host_municipality_id IS {same_host_as}.host_municipality_id"
            if same_host_as else "")
    return f"""NOT EXISTS (
        SELECT 1 FROM first_attendance g CROSS JOIN club e ON e.id = g.club_id
        WHERE g.person_id = {person} AND g.first_date < :date_from {same}
          AND {_club_in_scope("e")})"""


#: The person ``p`` counts and is inside the filter.
_PERSON_IN_SCOPE = (f"{rule.PERSON_ROW_COUNTS} "
                    "AND (:category IS NULL OR p.category = :category)")

_MEETINGS = (f"""
    SELECT m.club_id, substr(m.date, 1, 7), count(*), sum({rule.M_IS_ONLINE})
    FROM meeting m CROSS JOIN club c ON c.id = m.club_id
    WHERE m.date BETWEEN :date_from AND :date_to AND {rule.MEETING_HELD}
      AND {_club_in_scope("c")}
    GROUP BY m.club_id, substr(m.date, 1, 7)""")

#: The attendance row ``a`` counts and belongs to a person inside the filter. Checked against
#: the few deleted people (and the chosen category) rather than by looking up every row's
#: person.
_ATTENDEE_IN_SCOPE = f"""{rule.ROW_COUNTS} AND {rule.PERSON_COUNTS_A}
    AND (:category IS NULL
         OR a.person_id IN (SELECT id FROM person WHERE category = :category))"""

_ATTENDANCE = (f"""
    WITH rows AS MATERIALIZED (
        SELECT a.person_id AS person, m.club_id AS club, c.host_municipality_id AS host,
               substr(m.date, 1, 7) AS month
        FROM meeting m
        CROSS JOIN club c ON c.id = m.club_id
        CROSS JOIN attendance a ON a.meeting_id = m.id
        WHERE m.date BETWEEN :date_from AND :date_to AND {rule.MEETING_HELD}
          AND {_club_in_scope("c")} AND {_ATTENDEE_IN_SCOPE}),
    per_person AS MATERIALIZED (SELECT person, count(*) AS times FROM rows GROUP BY person)
    SELECT 'total', NULL, (SELECT count(*) FROM rows), (SELECT count(*) FROM per_person)
    UNION ALL SELECT 'club', club, count(*), count(DISTINCT person) FROM rows GROUP BY club
    UNION ALL SELECT 'host', host, count(*), count(DISTINCT person) FROM rows GROUP BY host
    UNION ALL SELECT 'month', month, count(*), count(DISTINCT person) FROM rows GROUP BY month
    UNION ALL SELECT 'category', p.category, sum(per_person.times), count(*)
        FROM per_person CROSS JOIN person p ON p.id = per_person.person
        GROUP BY p.category""")

#: 新規 overall: the person's earliest pair in scope falls in the period.
_NEWCOMERS = (f"""
    WITH firsts AS MATERIALIZED (
        SELECT f.person_id AS person, min(f.first_date) AS first
        FROM first_attendance f CROSS JOIN club c ON c.id = f.club_id
        WHERE f.first_date BETWEEN :date_from AND :date_to AND {_club_in_scope("c")}
        GROUP BY f.person_id)
    SELECT substr(firsts.first, 1, 7), p.category, count(*)
    FROM firsts CROSS JOIN person p ON p.id = firsts.person
    WHERE {_PERSON_IN_SCOPE} AND {_no_earlier_first("firsts.person")}
    GROUP BY 1, 2""")

#: 新規 per club: people new to that club.
_NEWCOMERS_BY_CLUB = (f"""
    SELECT f.club_id, count(*)
    FROM first_attendance f CROSS JOIN club c ON c.id = f.club_id
    CROSS JOIN person p ON p.id = f.person_id
    WHERE f.first_date BETWEEN :date_from AND :date_to AND {_club_in_scope("c")}
      AND {_PERSON_IN_SCOPE}
    GROUP BY f.club_id""")

#: 新規 per host municipality: people new to any club of that municipality.
_NEWCOMERS_BY_HOST = (f"""
    SELECT host, count(*) FROM (
        SELECT DISTINCT f.person_id, c.host_municipality_id AS host
        FROM first_attendance f CROSS JOIN club c ON c.id = f.club_id
        CROSS JOIN person p ON p.id = f.person_id
        WHERE f.first_date BETWEEN :date_from AND :date_to AND {_club_in_scope("c")}
          AND {_PERSON_IN_SCOPE} AND {_no_earlier_first("f.person_id", same_host_as="c")})
    GROUP BY host""")


#: 新規 people themselves (the drill-down's list), by the same rule as ``_NEWCOMERS``.
_NEWCOMER_IDS = (f"""
    SELECT f.person_id
    FROM first_attendance f CROSS JOIN club c ON c.id = f.club_id
    CROSS JOIN person p ON p.id = f.person_id
    WHERE f.first_date BETWEEN :date_from AND :date_to AND {_club_in_scope("c")}
      AND {_PERSON_IN_SCOPE} AND {_no_earlier_first("f.person_id")}
    GROUP BY f.person_id""")


def first_time_person_ids(
    session: Session | sqlite3.Connection, date_from: date, date_to: date,
    figure_filter: FigureFilter | None = None,
) -> set[uuid.UUID]:
    """The people counted as 新規 for the period and filter (``first_time_persons``)."""
    params = _parameters(date_from, date_to, figure_filter or FigureFilter())
    return {uuid.UUID(hex=row[0]) for row in executor(session)(_NEWCOMER_IDS, params)}
