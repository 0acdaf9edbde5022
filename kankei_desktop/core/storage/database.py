"""Opening a database file: checks first, then the engine, migrations and the replica id.

Everything that could refuse the file (not SQLite, damaged, newer schema, read-only folder,
in use by another copy) is checked through a read-only connection *before* anything is
written, so a refused file is never modified.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from kankei_desktop.core.errors import DatabaseOpenError, ReadOnlyLocationError
from kankei_desktop.core.models import Meta
from kankei_desktop.core.storage import revisions
from kankei_desktop.core.storage.backup import backup_before
from kankei_desktop.core.storage.engine import BUSY_TIMEOUT_MS, foreign_keys_off, make_engine
from kankei_desktop.core.storage.failures import (
    WritePath,
    read_only_copy_message,
    refuse_if_damaged,
    translate_database_error,
)
from kankei_desktop.core.storage.filelock import DatabaseLock, LockHeldError, Mode
from kankei_desktop.core.storage.locations import is_database_url
from kankei_desktop.core.storage.opening import (
    SQLITE_HEADER,
    check_path,
    in_use_error,
    inspect_existing,
    sharing_mode,
    take_lock,
    to_itself,
)
from kankei_desktop.core.storage.private import create_private
from kankei_desktop.core.storage.replica import ensure_replica_id
from kankei_desktop.core.storage.waiting import WaitReport, begin_immediate


@dataclass
class Database:
    """An open database file: its engine, a session factory and this replica's id."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    replica_id: uuid.UUID
    lock: DatabaseLock | None = None
    #: Opened to read only, without the lock (another copy writes it): writes are refused.
    read_only: bool = False
    migrated_from: str | None = None
    backup_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: Told how long a write has waited for another copy's save (None: fail after the busy
    #: timeout, as a window does); see :mod:`.waiting`.
    on_busy: WaitReport | None = None

    #: A shared PostgreSQL database (``core.storage.postgres.SharedDatabase``), not a file.
    shared = False

    @property
    def label(self) -> str:
        """What the window shows for this database: the file's name."""
        return self.path.name

    @contextmanager
    def transaction(self, *, immediate: bool = True,
                    exclusive: bool = False) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error.

        The write lock is taken first (``BEGIN IMMEDIATE``, waiting while another copy saves;
        ``immediate=False``: the caller takes it with :meth:`begin_write` after settings that
        must precede it). SQLite failures reach the caller as a :class:`KankeiError` with a
        sentence; a file opened read-only refuses at once. ``exclusive`` matters for a shared
        database only (a file has one writer at a time anyway).
        """
        if self.read_only:
            raise ReadOnlyLocationError(read_only_copy_message(self.path))
        try:
            with self.sessions.begin() as session:
                if immediate:
                    self.begin_write(session)
                yield session
        except (sa_exc.DatabaseError, sqlite3.DatabaseError) as exc:
            raise translate_database_error(exc, self.path) from exc

    def begin_write(self, session: Session) -> None:
        """Take SQLite's write lock for ``session``'s transaction (see :mod:`.waiting`)."""
        begin_immediate(raw_connection(session), self.on_busy,
                        busy_timeout_ms=BUSY_TIMEOUT_MS)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only; SQLite failures become a :class:`KankeiError`."""
        try:
            with self.sessions() as session:
                yield session
        except (sa_exc.DatabaseError, sqlite3.DatabaseError) as exc:
            raise translate_database_error(exc, self.path) from exc

    def read(self) -> Session:
        """A session for reading (close it, or use it as a context manager)."""
        return self.sessions()

    def close(self) -> None:
        """Dispose the engine and release the lock."""
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def open_database(path: Path | str, *, create: bool = True, lock: bool = True,
                  read_only: bool = False, mode: Mode = Mode.SHARED) -> Database:
    """Open (creating or migrating as needed) the database at ``path``.

    Raises a :class:`DatabaseOpenError` subclass with a sentence for the user when the file
    cannot be used; the file is unchanged in that case. ``mode``: beside other readers and
    writers (the command line), as the one window on it, or to itself (see
    :mod:`.filelock`; on a network share always to itself). Creating or upgrading a file
    holds it exclusively while that runs. ``read_only``: read a file another copy holds,
    without its lock; nothing can be saved (see ``storage.read_only``). A ``postgresql://``
    address (a ``str``) opens a shared database (``storage.postgres``).
    """
    if is_database_url(path):
        from kankei_desktop.core.storage.postgres import open_shared

        return open_shared(str(path))
    db_path = Path(path).expanduser().resolve()
    if read_only:
        from kankei_desktop.core.storage.read_only import open_read_only

        return open_read_only(db_path)
    check_path(db_path, create=create)
    wanted = sharing_mode(db_path, mode)
    file_lock = take_lock(db_path, wanted) if lock else None
    created = False
    try:
        if not db_path.exists():
            create_private(db_path, exclusive=True)  # 0600 before SQLite writes into it
            created = True
            if file_lock is not None:
                file_lock.follow()
        database = _open_locked(db_path, file_lock)
    except BaseException:
        if file_lock is not None:
            file_lock.release()
        if created:  # never leave an empty file that the next open would refuse
            with suppress(OSError):
                if db_path.stat().st_size == 0:
                    db_path.unlink()
        raise
    if file_lock is not None and file_lock.mode is not wanted:
        try:  # created or upgraded: share it again as asked
            file_lock.change_mode(wanted)
        except LockHeldError as exc:
            database.close()
            raise in_use_error(db_path, exc.holder) from exc
    return database


def _open_locked(db_path: Path, file_lock: DatabaseLock | None) -> Database:
    alone = file_lock is None or file_lock.alone()
    existing_revision = inspect_existing(db_path, alone=alone) if db_path.exists() else None
    # The stamped revision against the one the code knows; Alembic only to migrate.
    needs_upgrade = existing_revision != revisions.head_revision()
    if needs_upgrade and file_lock is not None:
        to_itself(file_lock, db_path)
    engine = make_engine(db_path)
    backup_path: Path | None = None
    try:
        if needs_upgrade and existing_revision is not None:
            with closing(sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)) as reader:
                refuse_if_damaged(reader, db_path, WritePath.UPGRADE)
            backup_path = backup_before(db_path, "migration")
        if needs_upgrade:
            from kankei_desktop.core.storage import migration

            migration.upgrade(engine)
        sessions = sessionmaker(engine, expire_on_commit=False)
        replica_id = ensure_replica_id(sessions, db_path)
    except (sqlite3.DatabaseError, sa_exc.DatabaseError) as exc:
        engine.dispose()
        raise translate_database_error(exc, db_path) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(
        path=db_path,
        engine=engine,
        sessions=sessions,
        replica_id=replica_id,
        lock=file_lock,
        migrated_from=existing_revision if needs_upgrade else None,
        backup_path=backup_path,
    )


def raw_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under ``session`` (bulk paths use it directly)."""
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def read_meta(database: Database, key: str) -> str | None:
    """A value from the meta table."""
    with database.read() as session:
        value = session.scalar(select(Meta.value).where(Meta.key == key))
    return value


__all__ = ["SQLITE_HEADER", "Database", "DatabaseOpenError", "Mode", "foreign_keys_off",
           "in_use_error", "inspect_existing", "make_engine", "open_database", "raw_connection",
           "read_meta", "translate_database_error"]
