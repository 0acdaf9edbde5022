"""The figures grouped live from the rows, for any period and scope (:mod:`.compute`).

Aggregate queries with a fixed join order (``CROSS JOIN`` tells SQLite to keep the written
order): the attendance rows of the held sessions (counted by :mod:`.held`) materialised
once and grouped once per breakdown; newcomers from ``first_attendance``. Only the small
aggregated results cross into Python. Parameters: ``date_from``, ``date_to``, those of
:meth:`.scope.FigureFilter.parameters` and of :func:`.tagged.parameters`.
"""

from __future__ import annotations

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from kankei_desktop.core.figures import rule, tagged
from kankei_desktop.core.figures.contributions import FISCAL_YEAR
from kankei_desktop.core.figures.results import Collector
from kankei_desktop.core.figures.scope import club_in_scope_sql


def _no_earlier_first(person: str, same_host_as: str | None = None) -> str:
    """``person`` has no pair in scope first attended before the period.

    With ``same_host_as`` (a club alias) only clubs of that club's host municipality count.
    """
    same = (f"AND e.host_municipality_id IS {same_host_as}.host_municipality_id"
            if same_host_as else "")
    return f"""NOT EXISTS (
        SELECT 1 FROM first_attendance g CROSS JOIN club e ON e.id = g.club_id
        WHERE g.person_id = {person} AND g.first_date < :date_from {same}
          AND {club_in_scope_sql("e")})"""


#: The person ``p`` counts and is inside the filter.
_PERSON_IN_SCOPE = (f"{rule.PERSON_ROW_COUNTS} "
                    "AND (:category IS NULL OR p.category = :category) "
                    f"AND {tagged.person_sql('p.id')}")

#: The attendance row ``a`` belongs to a live person inside the filter. Checked against the
#: few deleted people (and the chosen category) rather than by looking up every row's person.
_ATTENDEE_IN_SCOPE = f"""{rule.PERSON_COUNTS}
    AND (:category IS NULL
         OR a.person_id IN (SELECT id FROM person WHERE category = :category))
    AND {tagged.person_sql("a.person_id")}"""

#: ``o`` is the live organisation of person ``p``.
_ORGANIZATION_OF_P = "CROSS JOIN organization o ON o.id = p.organization_id"

#: (group, key, 延べ, 実) per breakdown; ('recorded', fy, rows, 0) and ('year_org', fy, 0,
#: organisations) per 年度.
_ATTENDANCE = text(f"""
    WITH rows AS MATERIALIZED (
        SELECT a.person_id AS person, m.club_id AS club, c.host_municipality_id AS host,
               substr(m.date, 1, 7) AS month, coalesce(m.kind, '') AS kind,
               {FISCAL_YEAR} AS fy, ({rule.ROW_COUNTS}) AS counted
        FROM meeting m
        CROSS JOIN club c ON c.id = m.club_id
        CROSS JOIN attendance a ON a.meeting_id = m.id
        WHERE m.date BETWEEN :date_from AND :date_to AND {rule.MEETING_HELD}
          AND {club_in_scope_sql("c")} AND {tagged.SESSION_SQL} AND {rule.ROW_RECORDED}
          AND {_ATTENDEE_IN_SCOPE}),
    counted AS MATERIALIZED (SELECT * FROM rows WHERE counted),
    per_year AS MATERIALIZED (
        SELECT fy, person, count(*) AS times FROM counted GROUP BY fy, person),
    per_person AS MATERIALIZED (
        SELECT person, sum(times) AS times FROM per_year GROUP BY person)
    SELECT 'total', NULL, (SELECT count(*) FROM counted), (SELECT count(*) FROM per_person)
    UNION ALL SELECT 'club', club, count(*), count(DISTINCT person) FROM counted GROUP BY club
    UNION ALL SELECT 'host', host, count(*), count(DISTINCT person) FROM counted GROUP BY host
    UNION ALL SELECT 'month', month, count(*), count(DISTINCT person) FROM counted
        GROUP BY month
    UNION ALL SELECT 'kind', kind, count(*), count(DISTINCT person) FROM counted GROUP BY kind
    UNION ALL SELECT 'year', fy, sum(times), count(*) FROM per_year GROUP BY fy
    UNION ALL SELECT 'recorded', fy, count(*), 0 FROM rows GROUP BY fy
    UNION ALL SELECT 'category', p.category, sum(pp.times), count(*)
        FROM per_person pp CROSS JOIN person p ON p.id = pp.person
        GROUP BY p.category
    UNION ALL SELECT 'org', p.organization_id, sum(pp.times), count(*)
        FROM per_person pp CROSS JOIN person p ON p.id = pp.person {_ORGANIZATION_OF_P}
        WHERE {rule.ORGANIZATION_COUNTS}
        GROUP BY p.organization_id
    UNION ALL SELECT 'year_org', y.fy, 0, count(DISTINCT p.organization_id)
        FROM per_year y CROSS JOIN person p ON p.id = y.person {_ORGANIZATION_OF_P}
        WHERE {rule.ORGANIZATION_COUNTS}
        GROUP BY y.fy""")

#: 新規 overall: the person's earliest pair in scope falls in the period.
_NEWCOMERS = text(f"""
    WITH firsts AS MATERIALIZED (
        SELECT f.person_id AS person, min(f.first_date) AS first
        FROM first_attendance f CROSS JOIN club c ON c.id = f.club_id
        WHERE f.first_date BETWEEN :date_from AND :date_to AND {club_in_scope_sql("c")}
        GROUP BY f.person_id)
    SELECT substr(firsts.first, 1, 7), p.category, count(*)
    FROM firsts CROSS JOIN person p ON p.id = firsts.person
    WHERE {_PERSON_IN_SCOPE} AND {_no_earlier_first("firsts.person")}
    GROUP BY 1, 2""")

#: 新規 per club: people new to that club.
_NEWCOMERS_BY_CLUB = text(f"""
    SELECT f.club_id, count(*)
    FROM first_attendance f CROSS JOIN club c ON c.id = f.club_id
    CROSS JOIN person p ON p.id = f.person_id
    WHERE f.first_date BETWEEN :date_from AND :date_to AND {club_in_scope_sql("c")}
      AND {_PERSON_IN_SCOPE}
    GROUP BY f.club_id""")

#: 新規 per host municipality: people new to any club of that municipality.
_NEWCOMERS_BY_HOST = text(f"""
    SELECT host, count(*) FROM (
        SELECT DISTINCT f.person_id, c.host_municipality_id AS host
        FROM first_attendance f CROSS JOIN club c ON c.id = f.club_id
        CROSS JOIN person p ON p.id = f.person_id
        WHERE f.first_date BETWEEN :date_from AND :date_to AND {club_in_scope_sql("c")}
          AND {_PERSON_IN_SCOPE} AND {_no_earlier_first("f.person_id", same_host_as="c")})
    GROUP BY host""")

#: 新規 people themselves (the drill-down's list), by the same rule as ``_NEWCOMERS``.
_NEWCOMER_IDS = text(f"""
    SELECT f.person_id
    FROM first_attendance f CROSS JOIN club c ON c.id = f.club_id
    CROSS JOIN person p ON p.id = f.person_id
    WHERE f.first_date BETWEEN :date_from AND :date_to AND {club_in_scope_sql("c")}
      AND {_PERSON_IN_SCOPE} AND {_no_earlier_first("f.person_id")}
    GROUP BY f.person_id""")


def read(session: Session, params: dict[str, object], into: Collector) -> None:
    """延べ, 実, the recorded rows, organisations and 新規 of the period and scope."""
    for group, key, times, persons in session.execute(_ATTENDANCE, params):
        if group == "recorded":
            into.recorded(key, times)
        elif group == "year_org":
            into.organizations(key, persons)
        else:
            into.attendance(group, key, times, persons)
    for month, category, count in session.execute(_firsts(_NEWCOMERS, params), params):
        into.newcomers(month, category, count)
    for host, count in session.execute(_firsts(_NEWCOMERS_BY_HOST, params), params):
        into.newcomers_of("host", host, count)
    for club, count in session.execute(_firsts(_NEWCOMERS_BY_CLUB, params), params):
        into.newcomers_of("club", club, count)


def newcomer_ids(session: Session, params: dict[str, object]) -> list[str]:
    """Ids (hex) of the people counted as 新規."""
    return [row[0] for row in session.execute(_firsts(_NEWCOMER_IDS, params), params)]


#: ``first_attendance`` over the sessions a tag selects: the same rule as the kept table
#: (:data:`.rule.ROW_ON_HELD_MEETING`), restricted to tagged sessions or clubs.
_TAGGED_FIRSTS = f"""first_attendance AS MATERIALIZED (
    SELECT a.person_id AS person_id, m.club_id AS club_id, min(m.date) AS first_date
    FROM meeting m CROSS JOIN club c ON c.id = m.club_id
    CROSS JOIN attendance a ON a.meeting_id = m.id
    WHERE {rule.ROW_ON_HELD_MEETING} AND {tagged.SESSION_SQL}
    GROUP BY a.person_id, m.club_id)"""


def _firsts(query: TextClause, params: dict[str, object]) -> TextClause:
    """``query`` as is, or — when a tag restricts the sessions — reading ``first_attendance``
    from the tagged sessions only (a CTE of that name shadows the kept table)."""
    if not params.get("tag_sessions"):
        return query
    body = query.text.lstrip()
    if body.startswith("WITH "):
        return text(f"WITH {_TAGGED_FIRSTS}, {body[len('WITH '):]}")
    return text(f"WITH {_TAGGED_FIRSTS} {body}")
