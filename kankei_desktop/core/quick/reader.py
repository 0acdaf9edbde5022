"""An up-to-date database file opened with sqlite3 alone, and the services ``stats`` uses."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kankei_desktop.core.figures.compute import FigureFilter, Figures, fiscal_year_figures
from kankei_desktop.core.ids import municipality_uuid
from kankei_desktop.core.japan.text import search_key
from kankei_desktop.core.storage import revisions
from kankei_desktop.core.storage.failures import translate_database_error
from kankei_desktop.core.storage.filelock import DatabaseLock, Mode
from kankei_desktop.core.storage.opening import (
    check_path,
    inspect_existing,
    sharing_mode,
    take_lock,
)

#: The same as the application's engine (``core.storage.engine``).
BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class Named:
    """A record found by name or code: its id and name."""

    id: uuid.UUID
    name: str


class QuickDatabase:
    """An open file: one read-only sqlite3 connection and the file's locks."""

    def __init__(self, path: Path, connection: sqlite3.Connection, lock: DatabaseLock,
                 replica_id: uuid.UUID) -> None:
        self.path = path
        self.replica_id = replica_id
        self.connection = connection
        self.lock: DatabaseLock | None = lock

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, SQLite failures turned into a sentence (:class:`KankeiError`)."""
        try:
            yield self.connection
        except sqlite3.DatabaseError as exc:
            raise translate_database_error(exc, self.path) from exc

    def close(self) -> None:
        """Close the connection, then release the locks."""
        self.connection.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def open_quick(path: Path | str) -> QuickDatabase | None:
    """The file at ``path`` for reading, or None when it must first be created or upgraded
    (:func:`~kankei_desktop.core.storage.database.open_database` does that). Refusals are the
    same sentences as there."""
    db_path = Path(path).expanduser().resolve()
    if not db_path.exists():
        return None
    check_path(db_path, create=False)
    lock = take_lock(db_path, sharing_mode(db_path, Mode.SHARED))
    try:
        revision = inspect_existing(db_path, alone=lock.alone())
        if revision != revisions.head_revision():
            lock.release()
            return None
        connection = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000,
                                     check_same_thread=False)
        try:
            connection.execute("PRAGMA query_only=ON")
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # what every opening reads (and so finds damaged, as open_database would)
            row = connection.execute("SELECT value FROM meta WHERE key = 'replica_id'").fetchone()
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise translate_database_error(exc, db_path) from exc
    except BaseException:
        lock.release()
        raise
    replica = uuid.UUID(row[0]) if row is not None else uuid.UUID(int=0)
    return QuickDatabase(db_path, connection, lock, replica)


class QuickFigures:
    """``services.figures`` for reading (the same figure code, on sqlite3)."""

    def __init__(self, database: QuickDatabase) -> None:
        self._db = database

    def fiscal_year(self, fiscal_year: int, figure_filter: FigureFilter | None = None) -> Figures:
        """Figures for one 年度."""
        with self._db.reading() as connection:
            return fiscal_year_figures(connection, fiscal_year, figure_filter)


class QuickClubs:
    """``services.clubs``: finding a club by name, names by id."""

    def __init__(self, database: QuickDatabase) -> None:
        self._db = database

    def find_by_name(self, name: str) -> Named | None:
        """The live club called ``name`` (width- and kana-insensitive), if any."""
        key = search_key(name)
        with self._db.reading() as connection:
            for row_id, row_name in connection.execute(
                    "SELECT id, name FROM club WHERE deleted_at IS NULL"):
                if search_key(row_name) == key:
                    return Named(uuid.UUID(hex=row_id), row_name)
        return None

    def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Names for a set of ids (deleted ones included)."""
        return _names(self._db, "club", ids)


class QuickOrganizations:
    """``services.organizations``: a public body by its code, names by id."""

    def __init__(self, database: QuickDatabase) -> None:
        self._db = database

    def find_by_lgcode(self, code: str) -> Named | None:
        """The live organisation of a public body, if it is in the file."""
        with self._db.reading() as connection:
            row = connection.execute(
                "SELECT id, name FROM organization WHERE id = ? AND deleted_at IS NULL",
                (municipality_uuid(code).hex,)).fetchone()
            if row is None:  # typed in by hand and given its code later: a random id
                row = connection.execute(
                    "SELECT id, name FROM organization WHERE lgcode = ? AND deleted_at IS NULL "
                    "ORDER BY created_at LIMIT 1", (code,)).fetchone()
        return Named(uuid.UUID(hex=row[0]), row[1]) if row is not None else None

    def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Display names for a set of ids (deleted ones included)."""
        return _names(self._db, "organization", ids)


def _names(database: QuickDatabase, table: str, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    found: dict[uuid.UUID, str] = {}
    wanted = sorted(value.hex for value in ids)
    with database.reading() as connection:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row_id, name in connection.execute(
                    f"SELECT id, name FROM {table} WHERE id IN ({marks})", chunk):
                found[uuid.UUID(hex=row_id)] = name
    return found


class QuickServices:
    """The part of :class:`~kankei_desktop.core.services.Services` that ``stats`` uses."""

    def __init__(self, database: QuickDatabase) -> None:
        self.database = database
        self.figures = QuickFigures(database)
        self.clubs = QuickClubs(database)
        self.organizations = QuickOrganizations(database)
