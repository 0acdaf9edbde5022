"""A year's attendance figures from ``figure_presence`` (migration ``0007_presence``).

The live queries in :mod:`kankei_desktop.core.figures.compute` group a year's attendance four times
(by club, host, month and person) — about half a second for 85,000 rows. ``figure_presence``
keeps those groupings per 年度 and person, filled once per year (:func:`fill_year`) and then
kept right by triggers on every write, so reading a year is one ordered pass over its rows.
People's tombstones and the category filter are applied here, on reading.

Only whole fiscal years without a club or municipality filter come from here; everything
else (and any year not filled yet, e.g. in a read-only file) uses the live queries.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

#: One year's contributions from its sessions (CROSS JOIN fixes the order: the year's
#: sessions by date, then their rows through ``ix_attendance_figures``).
_FILL = text("""
    INSERT INTO figure_presence (fy, kind, key, person_id, n)
    SELECT :fy, k.kind,
           CASE k.kind WHEN 't' THEN '' WHEN 'c' THEN m.club_id
                WHEN 'h' THEN coalesce(c.host_municipality_id, '')
                ELSE substr(m.date, 1, 7) END,
           a.person_id, count(*)
    FROM meeting m CROSS JOIN club c ON c.id = m.club_id
    CROSS JOIN attendance a ON a.meeting_id = m.id
    CROSS JOIN (SELECT 't' AS kind UNION ALL SELECT 'c' UNION ALL SELECT 'h'
                UNION ALL SELECT 'm') k
    WHERE m.date BETWEEN :date_from AND :date_to AND m.status = 'held'
      AND m.deleted_at IS NULL AND c.deleted_at IS NULL
      AND a.status = 'attended' AND a.deleted_at IS NULL
    GROUP BY 2, 3, 4""")


def _person_in_scope(column: str) -> str:
    """``column`` is a live person inside the category filter — checked against the few
    deleted people (``ix_person_deleted``) rather than by looking up every row's person."""
    return f"""{column} NOT IN (
        SELECT id FROM person INDEXED BY ix_person_deleted WHERE deleted_at IS NOT NULL)
    AND (:category IS NULL
         OR {column} IN (SELECT id FROM person WHERE category = :category))"""


#: (kind, key, 延べ人数, 実人数) for the total, every club, host and month of the year.
PRESENCE = text(f"""
    SELECT kind, key, sum(n), count(*) FROM figure_presence
    WHERE fy = :fy AND {_person_in_scope("person_id")}
    GROUP BY kind, key""")

#: (category, 延べ人数, 実人数) of the year.
PRESENCE_BY_CATEGORY = text("""
    SELECT p.category, sum(pr.n), count(*)
    FROM figure_presence pr CROSS JOIN person p ON p.id = pr.person_id
    WHERE pr.fy = :fy AND pr.kind = 't' AND pr.key = '' AND p.deleted_at IS NULL
      AND (:category IS NULL OR p.category = :category)
    GROUP BY p.category""")

#: 新規 overall: (month of the first session, category, people).
NEWCOMERS = text("""
    SELECT substr(f.first_date, 1, 7), p.category, count(*)
    FROM first_attendance_person f CROSS JOIN person p ON p.id = f.person_id
    WHERE f.first_date BETWEEN :date_from AND :date_to AND p.deleted_at IS NULL
      AND (:category IS NULL OR p.category = :category)
    GROUP BY 1, 2""")

#: 新規 per host municipality: (host id or '', people new to that municipality's clubs).
NEWCOMERS_BY_HOST = text(f"""
    SELECT host_id, count(*) FROM first_attendance_host
    WHERE first_date BETWEEN :date_from AND :date_to AND {_person_in_scope("person_id")}
    GROUP BY host_id""")

#: 新規 per club: (club id, people new to that club), live clubs only.
NEWCOMERS_BY_CLUB = text(f"""
    SELECT club_id, count(*) FROM first_attendance
    WHERE first_date BETWEEN :date_from AND :date_to AND {_person_in_scope("person_id")}
      AND club_id NOT IN (SELECT id FROM club WHERE deleted_at IS NOT NULL)
    GROUP BY club_id""")


def year_is_kept(session: Session, fiscal_year: int) -> bool:
    """Whether ``figure_presence`` holds (and the triggers keep) ``fiscal_year``."""
    return session.execute(text("SELECT 1 FROM figure_presence_year WHERE fy = :fy"),
                           {"fy": fiscal_year}).first() is not None


def fill_year(session: Session, fiscal_year: int) -> bool:
    """Fill ``figure_presence`` for ``fiscal_year`` unless it is kept already (in the
    caller's write transaction). Returns whether it filled anything."""
    if year_is_kept(session, fiscal_year):
        return False
    params = {"fy": fiscal_year, "date_from": f"{fiscal_year:04d}-04-01",
              "date_to": f"{fiscal_year + 1:04d}-03-31"}
    session.execute(text("DELETE FROM figure_presence WHERE fy = :fy"), params)
    session.execute(_FILL, params)
    session.execute(text("INSERT INTO figure_presence_year (fy) VALUES (:fy)"), params)
    return True


#: Run after a bulk write that set the triggers aside: no year is kept any more, and the
#: first dates are rebuilt from ``first_attendance``.
FORGET_AND_REBUILD = (
    "DELETE FROM figure_presence_year",
    "DELETE FROM figure_presence",
    "DELETE FROM first_attendance_person",
    "DELETE FROM first_attendance_host",
    """INSERT INTO first_attendance_person (person_id, first_date)
    SELECT f.person_id, min(f.first_date) FROM first_attendance f JOIN club c ON c.id = f.club_id
    WHERE c.deleted_at IS NULL GROUP BY f.person_id""",
    """INSERT INTO first_attendance_host (person_id, host_id, first_date)
    SELECT f.person_id, coalesce(c.host_municipality_id, ''), min(f.first_date)
    FROM first_attendance f JOIN club c ON c.id = f.club_id
    WHERE c.deleted_at IS NULL GROUP BY 1, 2""",
)
