"""Whole 年度 of the whole programme, read from the kept tables (:mod:`.triggers`,
:mod:`.aggregates`).

Grouping a year's attendance live takes about a second on a large programme (85,000 rows),
five years five times that. The kept tables hold the same groupings for every year, kept
right by triggers on every write:

- 延べ人数 of any breakdown, and 実人数 of one year, are sums over ``figure_count`` (a few
  thousand rows a year, live people only, by category and organisation);
- 実人数 over several years is the number of people whose years (``figure_span_count``) meet
  the ones asked for (distinct over the union of the years, never a sum of years);
- 新規 is counted per month of the first dates (``figure_first_count``).

The category filter and people's tombstones are applied here, on reading, by the rule of
:mod:`.rule`, where a table does not already hold live people only.

The statements are plain text over the rules' generated SQL (:mod:`.rule_sql`): the figure
service runs them on its SQLAlchemy session, ``kankei stats`` on a bare ``sqlite3``
connection (:mod:`.bare`) without loading SQLAlchemy — the same statements and the same
Python either way (:func:`whole_years_figures`). Filling the tables is :mod:`.rebuild`.
"""

from __future__ import annotations

from collections.abc import Mapping

from kankei_desktop.core.figures import held, rule_sql
from kankei_desktop.core.figures.filter import FigureFilter
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.figures.results import Collector, Figures, Run, Tally
from kankei_desktop.core.figures.span_window import span_mask, spans
from kankei_desktop.core.figures.tagged_sql import NO_TAG

#: The kept tables these statements read.
TABLES = ("figure_count", "figure_span_count", "figure_first_count")

#: What a presence kind stands for in the figures.
_GROUPS = {"t": "total", "c": "club", "h": "host", "m": "month", "k": "kind"}


_YEARS_AND_CATEGORY = ("f.fy BETWEEN :fy_from AND :fy_to "
                       "AND (:category IS NULL OR f.category = :category)")

#: ``f.org`` is a live organisation.
_ORG_COUNTS = (f"(f.org != '' AND EXISTS (SELECT 1 FROM organization o "
               f"WHERE o.id = f.org AND {rule_sql.ORGANIZATION_COUNTS}))")

#: (kind, key, 延べ人数, people summed over the years) of every breakdown.
COUNTS = f"""
    SELECT f.kind, f.key, sum(f.times), sum(f.persons) FROM figure_count f
    WHERE {_YEARS_AND_CATEGORY} AND f.kind IN ('t', 'c', 'h', 'm', 'k')
    GROUP BY f.kind, f.key"""

#: (fy, kind, 延べ or recorded rows, people) of the whole year: kinds ``t`` and ``r``.
YEARS = f"""
    SELECT f.fy, f.kind, sum(f.times), sum(f.persons) FROM figure_count f
    WHERE {_YEARS_AND_CATEGORY} AND f.kind IN ('t', 'r')
    GROUP BY f.fy, f.kind"""

#: (fy, live organisations taking part).
YEAR_ORGANIZATIONS = f"""
    SELECT f.fy, count(DISTINCT f.org) FROM figure_count f
    WHERE {_YEARS_AND_CATEGORY} AND f.kind = 't' AND {_ORG_COUNTS}
    GROUP BY f.fy"""

#: (category, organisation, live organisation?, 延べ人数, people summed over the years).
PEOPLE = f"""
    SELECT f.category, f.org, {_ORG_COUNTS}, sum(f.times), sum(f.persons) FROM figure_count f
    WHERE {_YEARS_AND_CATEGORY} AND f.kind = 't'
    GROUP BY f.category, f.org"""

#: (kind, key, people present in any of the years) for the kinds ``figure_span`` keeps.
SPAN = """
    SELECT f.kind, f.key, sum(f.persons) FROM figure_span_count f
    WHERE f.years & :mask != 0 AND (:category IS NULL OR f.category = :category)
    GROUP BY f.kind, f.key"""

#: (category, organisation, live organisation?, people present in any of the years).
SPAN_PEOPLE = f"""
    SELECT f.category, f.org, {_ORG_COUNTS}, sum(f.persons) FROM figure_span_count f
    WHERE f.kind = 't' AND f.years & :mask != 0
      AND (:category IS NULL OR f.category = :category)
    GROUP BY f.category, f.org"""

_MONTHS = ("f.month BETWEEN :month_from AND :month_to "
           "AND (:category IS NULL OR f.category = :category)")

#: 新規 overall: (month of the first session, category, people).
NEWCOMERS = f"""
    SELECT f.month, f.category, sum(f.persons) FROM figure_first_count f
    WHERE f.kind = 'n' AND {_MONTHS}
    GROUP BY f.month, f.category"""

#: 新規 per host municipality: (host id or '', people new to that municipality's clubs).
NEWCOMERS_BY_HOST = f"""
    SELECT f.key, sum(f.persons) FROM figure_first_count f
    WHERE f.kind = 'h' AND {_MONTHS}
    GROUP BY f.key"""

#: 新規 per club: (club id, people new to that club), live clubs only.
NEWCOMERS_BY_CLUB = f"""
    SELECT f.key, sum(f.persons) FROM figure_first_count f
    WHERE f.kind = 'c' AND {_MONTHS}
      AND f.key IN (SELECT c.id FROM club c WHERE {rule_sql.CLUB_COUNTS})
    GROUP BY f.key"""


def read(run: Run, years: tuple[int, int], params: Mapping[str, object],
         into: Collector) -> None:
    """The attendance figures of 年度 ``years[0]`` … ``years[1]`` (the whole programme):
    the same as :func:`.live.read` gives for that period."""
    first, last = years
    several = first != last
    values = {**params, "fy_from": first, "fy_to": last,
              "month_from": f"{first:04d}-04", "month_to": f"{last + 1:04d}-03",
              "mask": span_mask(first, last) if several else 0}
    for kind, key, times, persons in run(COUNTS, values):
        into.attendance(_GROUPS[kind], key, times, persons)
    for fiscal_year, kind, times, persons in run(YEARS, values):
        if kind == "r":
            into.recorded(fiscal_year, times)
        else:
            into.attendance("year", fiscal_year, times, persons)
    for fiscal_year, count in run(YEAR_ORGANIZATIONS, values):
        into.organizations(fiscal_year, count)
    people: dict[tuple[str, str], list[int]] = {}
    for category, org, org_counts, times, persons in run(PEOPLE, values):
        people[(category, org)] = [int(bool(org_counts)), times, persons]
    if several:  # 実人数 over the union of the years, from the spans
        for kind, key, persons in run(SPAN, values):
            into.unique_persons(_GROUPS[kind], key, persons)
        for entry in people.values():
            entry[2] = 0
        for category, org, org_counts, persons in run(SPAN_PEOPLE, values):
            people.setdefault((category, org), [int(bool(org_counts)), 0, 0])[2] = persons
    _people(into, people)
    for month, category, count in run(NEWCOMERS, values):
        into.newcomers(month, category, count)
    for host, count in run(NEWCOMERS_BY_HOST, values):
        into.newcomers_of("host", host, count)
    for club, count in run(NEWCOMERS_BY_CLUB, values):
        into.newcomers_of("club", club, count)


def _people(into: Collector, people: dict[tuple[str, str], list[int]]) -> None:
    """延べ and 実 per category and per live organisation from (category, organisation)."""
    categories: dict[str, list[int]] = {}
    organisations: dict[str, list[int]] = {}
    for (category, org), (org_counts, times, persons) in people.items():
        cell = categories.setdefault(category, [0, 0])
        cell[0] += times
        cell[1] += persons
        if org_counts:
            cell = organisations.setdefault(org, [0, 0])
            cell[0] += times
            cell[1] += persons
    for category, (times, persons) in categories.items():
        into.attendance("category", category, times, persons)
    for org, (times, persons) in organisations.items():
        into.attendance("org", org, times, persons)


def kept_years(period: Period, figure_filter: FigureFilter) -> tuple[int, int] | None:
    """The (first, last) 年度 to read from the kept tables, or None when the figures of
    ``period`` and ``figure_filter`` must be grouped live: not whole 年度, a club,
    municipality, prefecture or tag chosen, or several years outside the span window."""
    years = period.whole_fiscal_years
    if figure_filter.whole_programme and years is not None and (
            years[0] == years[1] or spans(*years)):
        return years
    return None


def whole_years_figures(run: Run, period: Period, figure_filter: FigureFilter,
                        ) -> Figures | None:
    """The figures of ``period`` read from the kept tables (held sessions counted from the
    sessions), or None when :func:`kept_years` says they must be grouped live.

    ``figure_filter`` chooses at most a category (the tag filter, which needs the database
    to be known, is absent by :func:`kept_years`).
    """
    years = kept_years(period, figure_filter)
    if years is None:
        return None
    params = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat(),
              **figure_filter.parameters(), **NO_TAG}
    tally = Tally(period)
    for row in held.meetings(run, params):
        tally.meetings(*row)
    read(run, years, params, tally)
    return tally.figures()
