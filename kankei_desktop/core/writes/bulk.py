"""Many rows in one statement: the engine-specific fast paths behind the gateway.

The spreadsheet import inserts tens of thousands of new rows; the bundle merge inserts and
updates rows as they arrive, with their clocks and conflicts. Both go through here, on the
driver's own connection (SQLite's ``executemany``) with the values converted exactly as an
ORM write converts them, and with the large-write settings (bigger page cache, figure triggers
and plain indexes set aside) in one place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from kankei_desktop.core.models import Base
from kankei_desktop.core.storage.engine import foreign_keys_off
from kankei_desktop.core.storage.rows import is_sqlite, storage_rows
from kankei_desktop.core.writes.bulk_mode import (
    figure_triggers_suspended,
    plain_indexes_dropped,
    refresh_statistics,
)

#: Columns every synced row starts with, in the order the merge writes them.
STAMP_COLUMNS = ("id", "created_at", "updated_at", "replica_id", "hlc", "deleted_at",
                 "causal_length")
#: Page cache while a large write runs (random-order index inserts need the indexes in RAM).
LARGE_CACHE_KIB = 256 * 1024
IMPORT_CACHE_KIB = 128 * 1024


@contextmanager
def page_cache(session: Session, kib: int) -> Iterator[None]:
    """A larger page cache for the duration of a large write; the connection's own size is
    put back afterwards (a file's setting; a shared database's server has its own)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{kib}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(previous or -2000)}")


def insert_values(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """INSERT through the driver, values converted by SQLAlchemy's own bind processors.

    The values are stored exactly as an ORM insert stores them; skipping SQLAlchemy's
    per-row statement machinery makes 50,000 rows several times faster.
    """
    connection = session.connection()
    dialect = connection.dialect
    table = cast("Table", model.__table__)
    names = list(rows[0])
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                  for name in names]
    quoted = ", ".join(f'"{name}"' for name in names)
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (f'INSERT INTO "{table.name}" ({quoted}) '
                 f'VALUES ({", ".join(mark for _ in names)})')
    pairs = list(zip(names, processors, strict=True))
    parameters = [
        tuple(process(row[name]) if process is not None else row[name]
              for name, process in pairs)
        for row in rows
    ]
    connection.exec_driver_sql(statement, parameters)


class RowWriter:
    """Writes merged rows, their field clocks and conflicts into the open transaction.

    Values are in the file's storage form already (UUIDs as 32 hex digits, ISO dates): the
    bundle carries them so. ``columns`` lists the data fields after :data:`STAMP_COLUMNS`,
    derived keys last.
    """

    def __init__(self, session: Session) -> None:
        self.raw = storage_rows(session)
        #: An SQLite file (else a shared PostgreSQL database: portable SQL only).
        self.sqlite = is_sqlite(self.raw)
        self._session = session
        self._statements: dict[tuple[str, str], str] = {}

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """New rows: stamp columns, then ``columns``."""
        if rows:
            names = [*STAMP_COLUMNS, *columns]
            self.raw.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) "
                f"VALUES ({', '.join('?' * len(names))})", rows)

    def update(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Changed rows: (updated_at, replica_id, hlc, deleted_at, causal_length, *columns,
        id)."""
        if rows:
            names = [*STAMP_COLUMNS[2:], *columns]
            assignments = ", ".join(f"{name} = ?" for name in names)
            self.raw.executemany(f"UPDATE {table} SET {assignments} WHERE id = ?", rows)

    def insert_received(self, table: str, columns: Sequence[str], rows: list[list[Any]],
                        now: str) -> None:
        """Rows exactly as a bundle carries them — id, hlc, causal length, deleted_at,
        (clocks: ignored), ``columns`` — into a table that held none: nothing to merge, so the
        statement takes the bundle row as its parameters (``now``: our own ISO text)."""
        if not self.sqlite:
            self.insert(table, columns, [
                (row[0], now, now, row[1][-32:], row[1], row[3], row[2], *row[5:])
                for row in rows])
            return
        key = (table, ",".join(columns))
        statement = self._statements.get(key)
        if statement is None:
            names = [*STAMP_COLUMNS, *columns]
            stamp = f"'{now}'"  # digits, '-', ':', '.', ' ' only
            values = ["?1", stamp, stamp, "substr(?2, -32)", "?2", "?4", "?3",
                      *(f"?{6 + index}" for index in range(len(columns)))]
            statement = self._statements[key] = (
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(values)})")
        self.raw.executemany(statement, rows)

    def put_field_clocks(self, rows: list[tuple[str, str, str, str]]) -> None:
        """(table, row id, group, clock) entries, replacing what was there."""
        if rows:
            self.raw.executemany(
                "INSERT OR REPLACE INTO sync_field_clock (table_name, row_id, field, hlc) "
                "VALUES (?, ?, ?, ?)" if self.sqlite else
                "INSERT INTO sync_field_clock (table_name, row_id, field, hlc) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (table_name, row_id, field) "
                "DO UPDATE SET hlc = excluded.hlc", rows)

    def clear_field_clocks(self, rows: list[tuple[str, str]]) -> None:
        """Forget every field clock of the (table, row id) pairs."""
        if rows:
            self.raw.executemany(
                "DELETE FROM sync_field_clock WHERE table_name = ? AND row_id = ?", rows)

    def log_conflicts(self, rows: list[tuple[Any, ...]]) -> None:
        """Losing values: (id, table, row id, group, winner, loser, winner clock, loser clock,
        logged at); an entry already logged stays as it is."""
        if rows:
            self.raw.executemany(
                "INSERT INTO sync_conflict (id, table_name, row_id, field, "
                "winner_value, loser_value, winner_hlc, loser_hlc, logged_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows)

    def is_empty(self, table: str) -> bool:
        """Whether ``table`` holds no row at all (deleted ones included)."""
        return self.raw.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None

    @contextmanager
    def large_write(self, rows: int) -> Iterator[None]:
        """A bigger page cache while writing ``rows`` rows (when that many)."""
        if rows <= 50_000 or not self.sqlite:
            yield
            return
        with page_cache(self._session, LARGE_CACHE_KIB):
            yield

    def bulk_mode(self, stack: ExitStack, fresh_tables: Sequence[str]) -> None:
        """For a write as large as the file itself: figure triggers set aside (their tables
        rebuilt at the end), ``fresh_tables`` written without their plain indexes, the
        planner's statistics refreshed last. Undone by closing ``stack``; a rollback brings
        everything back with the data. A shared database has no kept tables and keeps its
        indexes (other users read them meanwhile); only its statistics are refreshed."""
        if not isinstance(self.raw, sqlite3.Connection):
            stack.callback(self.raw.execute, "ANALYZE")
            return
        stack.callback(refresh_statistics, self.raw)
        stack.enter_context(figure_triggers_suspended(self.raw))
        stack.enter_context(plain_indexes_dropped(self.raw, fresh_tables))


def foreign_keys_checked_by_caller(session: Session) -> None:
    """Switch the engine's own foreign-key check off for the transaction about to begin; the
    caller checks every reference itself (see :func:`foreign_keys_off`). A shared database
    keeps checking (its references are deferred to the commit by the merge)."""
    if session.get_bind().dialect.name == "sqlite":
        foreign_keys_off(session)
