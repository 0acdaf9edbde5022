"""Large writes in one transaction: figure triggers and secondary indexes set aside.

A bundle that fills an empty file brings a million attendance rows. Written one by one,
each row runs the figure triggers (migration ``0005_figures``) and lands at a random place in
every index of its table, which is what made such an import take minutes. For a write that
large it is much cheaper to drop the triggers and the plain (non-unique) indexes inside the
transaction, write, then rebuild ``first_attendance`` and the first dates in one statement
each, forget the kept years (they are filled again when asked for), bump the figure
counter once and create the triggers and indexes again from their own stored SQL.

SQLite's DDL is transactional: if anything fails before the commit, the rollback brings the
triggers and indexes back together with the data, so the file is never left without them.
Unique indexes are kept (they check the data as it goes in).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from kankei_desktop.core.figures.kept import FORGET_AND_REBUILD

#: The triggers that keep ``first_attendance`` and ``figure_version`` (0005_figures), the
#: kept years and first dates (0007_presence).
_FIGURE_TRIGGERS = ("first_attendance_%", "figure_version_%", "figure_presence_%",
                    "figure_first_%")

#: The tables the figure triggers keep.
_FIGURE_TABLES = ("first_attendance", "first_attendance_person", "first_attendance_host",
                  "figure_presence")

#: Sessions first, then their rows through ``ix_attendance_figures`` (CROSS JOIN fixes the
#: order: a freshly filled file has no statistics yet and the planner may guess otherwise).
REBUILD_FIRST_ATTENDANCE = """
    INSERT INTO first_attendance (person_id, club_id, first_date)
    SELECT a.person_id, m.club_id, min(m.date)
    FROM meeting m CROSS JOIN attendance a ON a.meeting_id = m.id
    WHERE a.status = 'attended' AND a.deleted_at IS NULL
      AND m.status = 'held' AND m.deleted_at IS NULL
    GROUP BY a.person_id, m.club_id"""


def _stored(raw: sqlite3.Connection, kind: str, names: str, args: Iterable[str]
            ) -> list[tuple[str, str]]:
    return [(str(name), str(sql)) for name, sql in raw.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = '{kind}' AND ({names}) "
        "AND sql IS NOT NULL ORDER BY name", tuple(args))]


@contextmanager
def figure_triggers_suspended(raw: sqlite3.Connection) -> Iterator[None]:
    """Write without the figure triggers; then rebuild what they keep (open transaction)."""
    triggers = _stored(raw, "trigger", " OR ".join("name LIKE ?" for _ in _FIGURE_TRIGGERS),
                       _FIGURE_TRIGGERS)
    for name, _sql in triggers:
        raw.execute(f'DROP TRIGGER "{name}"')
    yield
    # Filled in key order, their secondary indexes built once afterwards from sorted data.
    with plain_indexes_dropped(raw, _FIGURE_TABLES):
        raw.execute("DELETE FROM first_attendance")
        raw.execute(REBUILD_FIRST_ATTENDANCE)
        for statement in FORGET_AND_REBUILD:
            raw.execute(statement)
    raw.execute("UPDATE figure_version SET n = n + 1")
    for _name, sql in triggers:
        raw.execute(sql)


def plain_indexes(raw: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of ``table``'s non-unique indexes."""
    return [(name, sql) for name, sql in _stored(raw, "index", "tbl_name = ?", (table,))
            if not sql.lstrip().upper().startswith("CREATE UNIQUE")]


@contextmanager
def plain_indexes_dropped(raw: sqlite3.Connection, tables: Iterable[str]) -> Iterator[None]:
    """Write ``tables`` without their non-unique indexes; create them again after."""
    dropped = [entry for table in tables for entry in plain_indexes(raw, table)]
    for name, _sql in dropped:
        raw.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in dropped:
        raw.execute(sql)


#: Tables with fewer rows than this keep no statistics (see :func:`refresh_statistics`).
SMALL_TABLE_ROWS = 10_000


def refresh_statistics(raw: sqlite3.Connection) -> None:
    """Sample the tables for the query planner after a large write (a few hundred rows per
    index, so it takes well under a second even for a million rows).

    Statistics of small tables are dropped again: the field clocks or the conflict log hold a
    handful of rows right after a full import and grow with every later exchange, and a
    planner told "4 rows" scans them for each lookup (a 1,000-change bundle spent 1.5 s so).
    Without statistics SQLite assumes a large table and seeks through the indexes.
    """
    raw.execute("PRAGMA analysis_limit = 400")
    raw.execute("ANALYZE")
    raw.execute("DELETE FROM sqlite_stat1 WHERE CAST(stat AS INTEGER) < ?", (SMALL_TABLE_ROWS,))
    raw.execute("ANALYZE sqlite_master")  # the planner reloads what is left
