"""A year's attendance figures read from the kept tables (:mod:`.triggers`).

The live queries in :mod:`.compute` group a year's attendance four times (by club, host, month
and person) — about half a second for 85,000 rows. ``figure_presence`` keeps those groupings
per 年度 and person for every year, kept right by triggers on every write, so reading a year
is one ordered pass over its rows. People's tombstones and the category filter are applied
here, on reading, by the rule of :mod:`.rule`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from kankei_desktop.core.figures import rule_sql as rule


def _person_in_scope(column: str) -> str:
    """``column`` (``person_id`` or ``f.person_id``) is a live person
    (:func:`.rule.person_counts`) inside the category filter."""
    live = {"person_id": rule.PERSON_COUNTS_BARE, "f.person_id": rule.PERSON_COUNTS_F}[column]
    return f"""{live}
    AND (:category IS NULL
         OR {column} IN (SELECT id FROM person WHERE category = :category))"""


#: (kind, key, 延べ人数, 実人数) for the total, every club, host and month of the year.
PRESENCE = f"""
    SELECT kind, key, sum(n), count(*) FROM figure_presence
    WHERE fy = :fy AND {_person_in_scope("person_id")}
    GROUP BY kind, key"""

#: (category, 延べ人数, 実人数) of the year.
PRESENCE_BY_CATEGORY = f"""
    SELECT p.category, sum(pr.n), count(*)
    FROM figure_presence pr CROSS JOIN person p ON p.id = pr.person_id
    WHERE pr.fy = :fy AND pr.kind = 't' AND pr.key = '' AND {rule.PERSON_ROW_COUNTS}
      AND (:category IS NULL OR p.category = :category)
    GROUP BY p.category"""

#: 新規 overall: (month of the first session, category, people).
NEWCOMERS = f"""
    SELECT substr(f.first_date, 1, 7), p.category, count(*)
    FROM first_attendance_person f CROSS JOIN person p ON p.id = f.person_id
    WHERE f.first_date BETWEEN :date_from AND :date_to AND {rule.PERSON_ROW_COUNTS}
      AND (:category IS NULL OR p.category = :category)
    GROUP BY 1, 2"""

#: 新規 per host municipality: (host id or '', people new to that municipality's clubs).
NEWCOMERS_BY_HOST = f"""
    SELECT host_id, count(*) FROM first_attendance_host
    WHERE first_date BETWEEN :date_from AND :date_to AND {_person_in_scope("person_id")}
    GROUP BY host_id"""

#: 新規 per club: (club id, people new to that club), live clubs only.
NEWCOMERS_BY_CLUB = f"""
    SELECT f.club_id, count(*) FROM first_attendance f
    WHERE f.first_date BETWEEN :date_from AND :date_to AND {_person_in_scope("f.person_id")}
      AND f.club_id IN (SELECT c.id FROM club c WHERE {rule.CLUB_COUNTS_C})
    GROUP BY f.club_id"""


def rebuild(execute: Callable[[str, dict[str, Any]], Any],
            years: Callable[[], list[int]]) -> None:
    """Fill every kept table from scratch. Their triggers must be absent (set aside or not
    yet created): they would fill the same rows twice.

    ``execute`` runs one statement with parameters; ``years`` lists the 年度 with sessions,
    asked once ``first_attendance`` is filled.
    """
    from kankei_desktop.core.figures import triggers

    for statement in triggers.clear_statements():
        execute(statement, {})
    for statement in triggers.fill_first_dates_statements():
        execute(statement, {})
    for fiscal_year in years():
        execute(triggers.fill_presence_statement(), triggers.presence_parameters(fiscal_year))


def rebuild_raw(raw: sqlite3.Connection) -> None:
    """:func:`rebuild` on a sqlite3 connection inside its open transaction."""
    from kankei_desktop.core.figures import triggers

    rebuild(raw.execute, lambda: sorted(
        int(row[0]) for row in raw.execute(triggers.YEARS) if row[0] is not None))
