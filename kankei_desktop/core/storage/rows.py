"""Rows in storage text, on either engine: what sync reads and writes.

Bundles carry values as SQLite stores them (UUIDs as 32 hex digits, ``YYYY-MM-DD`` dates,
``HH:MM:SS.ffffff`` times, ``YYYY-MM-DD HH:MM:SS.ffffff`` date-times), and the sync code
reads and writes them with plain SQL on the driver's connection. On a file that connection is
SQLite's own (no conversion: the stored text *is* the exchanged value). On a shared database
:class:`PostgresRows` takes the same ``?``-parameter SQL, hands the text to PostgreSQL (which
reads it into its uuid, date and timestamp types) and turns what it reads back into the same
text — so a laptop's file and the shared database exchange identical values.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from typing import Any, Protocol

from sqlalchemy.orm import Session


class Cursor(Protocol):
    """What the sync code uses of a cursor."""

    def fetchone(self) -> Any:
        """The next row or None."""

    def fetchmany(self, size: int) -> list[Any]:
        """Up to ``size`` rows."""

    def __iter__(self) -> Iterator[Any]:
        """Every row."""


class StorageRows(Protocol):
    """An sqlite3-like connection whose values are in storage text."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor:
        """Run one statement."""

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any:
        """Run one statement for each parameter tuple."""


def storage_text(value: Any) -> Any:
    """A value read from PostgreSQL as SQLite stores it."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat("microseconds")
    return value


def _postgres_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class _Rows:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def _convert(self, row: Any) -> tuple[Any, ...]:
        return tuple(storage_text(value) for value in row)

    def fetchone(self) -> tuple[Any, ...] | None:
        row = self._cursor.fetchone() if self._cursor.description else None
        return None if row is None else self._convert(row)

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        return [self._convert(row) for row in self._cursor.fetchmany(size)]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        if self._cursor.description:
            for row in self._cursor:
                yield self._convert(row)


class PostgresRows:
    """The shared database's psycopg connection with SQLite's storage text in and out."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> _Rows:
        """Run ``sql`` (``?`` parameters)."""
        cursor = self.connection.cursor()
        cursor.execute(_postgres_sql(sql), tuple(parameters) if parameters else None)
        return _Rows(cursor)

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> None:
        """Run ``sql`` once per parameter tuple."""
        with self.connection.cursor() as cursor:
            cursor.executemany(_postgres_sql(sql), [tuple(row) for row in parameters])


def storage_rows(session: Session) -> StorageRows:
    """The connection under ``session`` as storage text: SQLite's own, or the adapter."""
    driver = session.connection().connection.driver_connection
    if isinstance(driver, sqlite3.Connection):
        return driver
    return PostgresRows(driver)


def is_sqlite(rows: StorageRows) -> bool:
    """Whether ``rows`` is an SQLite file's own connection (its SQL may be SQLite's)."""
    return isinstance(rows, sqlite3.Connection)
