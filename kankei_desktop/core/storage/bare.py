"""An up-to-date database file opened to read on a bare ``sqlite3`` connection, without
SQLAlchemy (``kankei stats``: loading SQLAlchemy and the models is most of its time).

The same checks and locks as :func:`.database.open_database` in the order it takes them —
the path (:func:`.opening.check_path`), the file's locks shared beside other readers and
writers, exclusive where SQLite's own locking cannot be trusted
(:func:`.opening.sharing_mode`: a network share), then the file itself and its schema
revision compared with the code's without Alembic (:func:`.opening.inspect_existing`) — so a
file in use, damaged, newer or unreadable gets the very sentence it gets there. Then one
connection as the application's engine makes it, with ``query_only`` (reading never writes),
and one read transaction for all it reads (one snapshot beside a writer).

:func:`open_bare` gives None (the caller then opens the file the usual way) whenever that way
would do more than read: the file is missing (it would be created), needs an upgrade (which
needs the file to itself, a backup, Alembic, and says so), would change its journal mode, or
would stamp its replica identity (a copied file). Nothing is written in that case either.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kankei_desktop.core.storage import revisions
from kankei_desktop.core.storage.failures import translate_database_error
from kankei_desktop.core.storage.filelock import DatabaseLock, Mode
from kankei_desktop.core.storage.fingerprint import REPLICA_KEYS, replica_settled
from kankei_desktop.core.storage.journal import journal_mode_for
from kankei_desktop.core.storage.opening import (
    check_path,
    inspect_existing,
    sharing_mode,
    take_lock,
)

#: The same as the application's engine (:data:`.engine.BUSY_TIMEOUT_MS`, which loads
#: SQLAlchemy): a reader waits this long for a writer that holds SQLite's locks.
BUSY_TIMEOUT_MS = 5000


class BareFile:
    """An open file: one read-only ``sqlite3`` connection and the file's locks."""

    def __init__(self, path: Path, connection: sqlite3.Connection, lock: DatabaseLock) -> None:
        self.path = path
        self.connection = connection
        self.lock: DatabaseLock | None = lock

    def run(self, statement: str, params: Mapping[str, object]) -> list[Sequence[Any]]:
        """The rows of one statement (``:name`` parameters); an SQLite failure becomes the
        sentence :func:`.failures.translate_database_error` gives."""
        try:
            return self.connection.execute(statement, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise translate_database_error(exc, self.path) from exc

    def tables(self) -> set[str]:
        """The names of the file's tables."""
        return {row[0] for row in self.run(
            "SELECT name FROM sqlite_master WHERE type = 'table'", {})}

    def close(self) -> None:
        """Close the connection, then release the locks."""
        self.connection.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> BareFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_bare(path: Path | str) -> BareFile | None:
    """The file at ``path`` for reading, or None when the usual opening must do more than
    read it (see the module docstring). Refusals are the usual sentences."""
    db_path = Path(path).expanduser().resolve()
    if not db_path.exists():
        return None  # created by the usual opening
    check_path(db_path, create=True)
    lock = take_lock(db_path, sharing_mode(db_path, Mode.SHARED))
    try:
        connection = _connect(db_path, lock)
    except BaseException:
        lock.release()
        raise
    if connection is None:
        lock.release()
        return None
    return BareFile(db_path, connection, lock)


@contextmanager
def bare_file(path: Path | str) -> Iterator[BareFile | None]:
    """:func:`open_bare` as a context manager (closed at the end)."""
    opened = open_bare(path)
    try:
        yield opened
    finally:
        if opened is not None:
            opened.close()


def _connect(db_path: Path, lock: DatabaseLock) -> sqlite3.Connection | None:
    """The read-only connection, or None when the file needs more than reading."""
    if inspect_existing(db_path, alone=lock.alone()) != revisions.head_revision():
        return None  # empty (to be initialised) or older (to be upgraded)
    # Opened as the application's engine opens it (so SQLite keeps its -wal and -shm files
    # as it always does), writes refused by query_only.
    connection = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA query_only=ON")
        # One read transaction for everything read: every statement sees the same commit,
        # whatever another copy saves meanwhile (WAL keeps that snapshot for it).
        connection.execute("BEGIN")
        journal = connection.execute("PRAGMA journal_mode").fetchone()[0]
        marks = ",".join("?" * len(REPLICA_KEYS))
        meta = dict(connection.execute(
            f"SELECT key, value FROM meta WHERE key IN ({marks})", REPLICA_KEYS).fetchall())
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise translate_database_error(exc, db_path) from exc
    if str(journal).upper() != journal_mode_for(db_path) or not replica_settled(meta, db_path):
        connection.close()
        return None
    return connection
