"""What one attendance row adds to ``figure_presence``: the kinds, their keys, and the rows
that contribute — shared by the triggers, the filling and the people's triggers of the
aggregates (:mod:`.triggers`, :mod:`.aggregates`)."""

from __future__ import annotations

from kankei_desktop.core.figures import rule

#: 年度 of a session date 'YYYY-MM-DD' (January–March belong to the year before).
FISCAL_YEAR = "(CAST(substr(m.date, 1, 4) AS INTEGER) - (substr(m.date, 6, 2) < '04'))"

#: The kinds of ``figure_presence`` rows: every kind but ``r`` holds counted rows only.
KINDS = ("(SELECT 't' AS kind UNION ALL SELECT 'c' UNION ALL SELECT 'h' UNION ALL SELECT 'm' "
         "UNION ALL SELECT 'k' UNION ALL SELECT 'r')")
KEY = ("CASE k.kind WHEN 't' THEN '' WHEN 'r' THEN '' WHEN 'c' THEN m.club_id "
       "WHEN 'h' THEN coalesce(c.host_municipality_id, '') WHEN 'k' THEN coalesce(m.kind, '') "
       "ELSE substr(m.date, 1, 7) END")
#: A recorded row (``a`` on ``m`` of ``c``) adds to kind ``k.kind``: to ``r`` when recorded,
#: to the others only when it counts.
ROW_ADDS = f"{rule.RECORDED_ON_COUNTED_MEETING} AND (k.kind = 'r' OR {rule.ROW_COUNTS})"


def contributions(condition: str) -> str:
    """(fy, kind, key, person_id, n) of the rows matching ``condition``."""
    return f"""
        SELECT {FISCAL_YEAR} AS fy, k.kind AS kind, {KEY} AS key, a.person_id AS person_id,
               count(*) AS n
        FROM attendance a JOIN meeting m ON m.id = a.meeting_id JOIN club c ON c.id = m.club_id
        CROSS JOIN {KINDS} k
        WHERE {condition} AND {ROW_ADDS}
        GROUP BY 1, 2, 3, 4"""


