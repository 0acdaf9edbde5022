"""Large writes in one transaction: figure triggers and secondary indexes set aside.

A bundle that fills an empty file brings a million attendance rows. Written one by one,
each row runs the figure triggers (:mod:`kankei_desktop.core.figures.triggers`) and lands at
a random place in every index of its table, which is what made such an import take minutes.
For a write that large it is much cheaper to drop the triggers and the plain (non-unique)
indexes inside the transaction, write, then fill the kept figure tables from scratch (one
statement per table, one per year for ``figure_presence``) and create the triggers and
indexes again from their own stored SQL.

SQLite's DDL is transactional: if anything fails before the commit, the rollback brings the
triggers and indexes back together with the data, so the file is never left without them.
Unique indexes are kept (they check the data as it goes in).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from kankei_desktop.core.figures import rebuild, triggers


def _stored(raw: sqlite3.Connection, kind: str, names: str, args: Iterable[str]
            ) -> list[tuple[str, str]]:
    return [(str(name), str(sql)) for name, sql in raw.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = '{kind}' AND ({names}) "
        "AND sql IS NOT NULL ORDER BY name", tuple(args))]


@contextmanager
def figure_triggers_suspended(raw: sqlite3.Connection) -> Iterator[None]:
    """Write without the figure triggers; then rebuild what they keep, in one transaction
    (begun here if none is open: sqlite3 runs DDL outside a transaction otherwise, and a
    rollback would then leave the file without its triggers and indexes)."""
    if not raw.in_transaction:
        raw.execute("BEGIN IMMEDIATE")
    patterns = triggers.TRIGGER_PATTERNS
    stored = _stored(raw, "trigger", " OR ".join("name LIKE ?" for _ in patterns), patterns)
    for name, _sql in stored:
        raw.execute(f'DROP TRIGGER "{name}"')
    yield
    # Filled in key order, their secondary indexes built once afterwards from sorted data.
    with plain_indexes_dropped(raw, triggers.KEPT_TABLES):
        rebuild.rebuild_raw(raw)
    for _name, sql in stored:
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
