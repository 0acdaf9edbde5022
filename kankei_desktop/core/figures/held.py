"""The held sessions of a period and scope (開催回数, うちオンライン and their breakdowns):
one pass over the sessions, whether the attendance figures then come from the kept tables
(:mod:`.kept`) or live from the rows (:mod:`.live`).

The statements are plain text over the rules' generated SQL (:mod:`.rule_sql`), so they run
on a SQLAlchemy session and on a bare ``sqlite3`` connection alike (a :data:`.results.Run`).
Parameters: ``date_from``, ``date_to``, those of :meth:`.filter.FigureFilter.parameters` and
of :func:`.tagged.parameters`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kankei_desktop.core.figures import rule_sql
from kankei_desktop.core.figures.results import Run
from kankei_desktop.core.figures.tagged_sql import session_sql

#: The held sessions of the period inside the scope (its clubs looked up once, not per
#: session, and the sessions read from ``ix_meeting_club_date`` alone).
HELD = f"""
    m.date BETWEEN :date_from AND :date_to AND {rule_sql.MEETING_HELD}
    AND m.club_id IN (SELECT c.id FROM club c WHERE {rule_sql.CLUB_IN_SCOPE_C})
    AND {session_sql("m.id", "m.club_id")}"""

#: Held sessions per club: (club, held, online).
MEETINGS_BY_CLUB = f"""
    SELECT m.club_id, count(*), sum({rule_sql.M_IS_ONLINE}) FROM meeting m
    WHERE {HELD} GROUP BY m.club_id"""

#: Held sessions per month and kind: (month, kind, held, online).
MEETINGS_BY_MONTH = f"""
    SELECT substr(m.date, 1, 7), coalesce(m.kind, ''), count(*), sum({rule_sql.M_IS_ONLINE})
    FROM meeting m WHERE {HELD} GROUP BY 1, 2"""

#: Every club's host municipality.
HOSTS = "SELECT id, host_municipality_id FROM club"


def meetings(run: Run, params: Mapping[str, object]) -> list[tuple[str, Any, int, int]]:
    """Held sessions of the period and scope: (group, key, held, online) per club, host
    municipality, month, kind and 年度."""
    host_of: dict[str, str | None] = {club: host for club, host in run(HOSTS, {})}
    cells: dict[tuple[str, Any], list[int]] = {}

    def add(group: str, key: Any, held: int, online: int) -> None:
        cell = cells.setdefault((group, key), [0, 0])
        cell[0] += held
        cell[1] += online

    for club, held, online in run(MEETINGS_BY_CLUB, params):
        add("club", club, held, online)
        add("host", host_of.get(club), held, online)
    for month, kind, held, online in run(MEETINGS_BY_MONTH, params):
        year = int(month[:4]) - (month[5:7] < "04")
        add("month", month, held, online)
        add("kind", kind, held, online)
        add("year", year, held, online)
    return [(group, key, held, online) for (group, key), (held, online) in cells.items()]
