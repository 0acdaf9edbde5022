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

from kankei_desktop.core.errors import (
    DamagedDatabaseError,
    DatabaseInUseError,
    DatabaseOpenError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyLocationError,
)
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Meta
from kankei_desktop.core.storage import migration
from kankei_desktop.core.storage.backup import backup_before
from kankei_desktop.core.storage.engine import foreign_keys_off, make_engine
from kankei_desktop.core.storage.failures import (
    WritePath,
    damaged_at_open_message,
    read_only_copy_message,
    read_only_message,
    refuse_if_damaged,
    translate_database_error,
)
from kankei_desktop.core.storage.filelock import DatabaseLock, Holder, LockHeldError
from kankei_desktop.core.storage.private import create_private
from kankei_desktop.core.storage.replica import ensure_replica_id

SQLITE_HEADER = b"SQLite format 3\x00"


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

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error.

        SQLite failures reach the caller as a :class:`KankeiError` with a sentence; a file
        opened read-only refuses at once.
        """
        if self.read_only:
            raise ReadOnlyLocationError(read_only_copy_message(self.path))
        try:
            with self.sessions.begin() as session:
                yield session
        except (sa_exc.DatabaseError, sqlite3.DatabaseError) as exc:
            raise translate_database_error(exc, self.path) from exc

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
                  read_only: bool = False) -> Database:
    """Open (creating or migrating as needed) the database at ``path``.

    Raises a :class:`DatabaseOpenError` subclass with a sentence for the user when the file
    cannot be used; the file is unchanged in that case. ``read_only``: read a file another
    copy holds, without its lock; nothing can be saved (see ``storage.read_only``).
    """
    db_path = Path(path).expanduser().resolve()
    if read_only:
        from kankei_desktop.core.storage.read_only import open_read_only

        return open_read_only(db_path)
    _check_path(db_path, create=create)
    file_lock: DatabaseLock | None = None
    if lock:
        file_lock = DatabaseLock(db_path)
        try:
            file_lock.acquire()
        except LockHeldError as exc:
            raise in_use_error(db_path, exc.holder) from exc
        except OSError as exc:
            raise ReadOnlyLocationError(read_only_message(db_path)) from exc
    created = False
    try:
        if not db_path.exists():
            create_private(db_path, exclusive=True)  # 0600 before SQLite writes into it
            created = True
            if file_lock is not None:
                file_lock.follow()
        return _open_locked(db_path, file_lock)
    except BaseException:
        if file_lock is not None:
            file_lock.release()
        if created:  # never leave an empty file that the next open would refuse
            with suppress(OSError):
                if db_path.stat().st_size == 0:
                    db_path.unlink()
        raise


def in_use_error(db_path: Path, holder: Holder | None) -> DatabaseInUseError:
    """The refusal for a file another running copy holds (naming it when it says who)."""
    if holder is None:
        message = _("The file {path} is open in another running copy of Kankei Desktop. "
                    "Close the other window (or wait for it to finish) and try again.")
    else:
        message = _("The file {path} is open in another running copy of Kankei Desktop (on "
                    "{computer}, process {pid}, since {since}). Close the other window (or wait "
                    "for it to finish) and try again.")
    return DatabaseInUseError(message.format(
        path=db_path, computer=holder.computer if holder else "",
        pid=holder.pid if holder else 0, since=(holder.since if holder else "").replace(
            "T", " ")), holder=holder)


def _open_locked(db_path: Path, file_lock: DatabaseLock | None) -> Database:
    existing_revision = inspect_existing(db_path) if db_path.exists() else None
    engine = make_engine(db_path)
    backup_path: Path | None = None
    try:
        with engine.connect() as connection:
            current = migration.current_revision(connection)
        needs_upgrade = current != migration.head_revision()
        if needs_upgrade and existing_revision is not None:
            with closing(sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)) as reader:
                refuse_if_damaged(reader, db_path, WritePath.UPGRADE)
            backup_path = backup_before(db_path, "migration")
        if needs_upgrade:
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


def _check_path(db_path: Path, *, create: bool) -> None:
    if db_path.is_dir():
        raise NotADatabaseError(
            _("{path} is a folder, not a database file. Choose a .sqlite3 file.").format(
                path=db_path
            )
        )
    if not db_path.exists():
        if not create:
            raise NotADatabaseError(
                _("There is no database file at {path}. Check the path, or create one with "
                  "'kankei init'.").format(path=db_path)
            )
        if not db_path.parent.is_dir():
            raise ReadOnlyLocationError(
                _("The folder {folder} does not exist. Create it first or choose another "
                  "location.").format(folder=db_path.parent)
            )
    elif not db_path.is_file():
        raise NotADatabaseError(
            _("{path} is not a file but a device or a pipe. Choose the .sqlite3 file the "
              "application created.").format(path=db_path))
    elif db_path.stat().st_size == 0:
        raise NotADatabaseError(
            _("{path} is empty (0 bytes): usually a copy or download that did not finish. Copy "
              "the file again, or choose another one; the empty file was left as it was.").format(
                path=db_path))
    if not _writable(db_path):
        raise ReadOnlyLocationError(read_only_message(db_path))


def _writable(db_path: Path) -> bool:
    import os

    if db_path.exists() and not os.access(db_path, os.W_OK):
        return False
    return os.access(db_path.parent, os.W_OK)


def inspect_existing(db_path: Path) -> str | None:
    """Refuse files we must not touch; return the schema revision found (None if empty).

    Uses a read-only connection so nothing is written. SQLite's read-only connection to a WAL
    file leaves empty ``-wal``/``-shm`` companions behind; those it created are removed again
    (safe: we hold the file lock, so no other copy of the application is using them).
    """
    companions = [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = {path for path in companions if path.exists()}
    try:
        return _read_revision(db_path)
    finally:
        for path in companions:
            if path not in existed:
                with suppress(OSError):
                    path.unlink(missing_ok=True)


def _read_revision(db_path: Path) -> str | None:
    with db_path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if not header:
        return None
    if header != SQLITE_HEADER:
        raise NotADatabaseError(
            _("{path} is not a Kankei Desktop database (it is not an SQLite file). "
              "Choose the .sqlite3 file the application created.").format(path=db_path)
        )
    _roll_back_interrupted_write(db_path)
    try:
        connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DamagedDatabaseError(damaged_at_open_message(db_path)) from exc
    try:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            return None
        if "alembic_version" not in tables or "meta" not in tables:
            raise NotADatabaseError(
                _("{path} is an SQLite file from another program, not a Kankei Desktop "
                  "database. Choose the file the application created.").format(path=db_path)
            )
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabaseError(damaged_at_open_message(db_path)) from exc
    finally:
        connection.close()
    revision = row[0] if row else None
    if revision is not None and not migration.is_known_revision(revision):
        raise NewerDatabaseError(
            _("{path} was written by a newer version of Kankei Desktop. Update the "
              "application to open it; the file has not been changed.").format(path=db_path)
        )
    return revision


def _roll_back_interrupted_write(db_path: Path) -> None:
    """Undo a write cut off by a crash in rollback-journal mode (files on network shares).

    The crash leaves a "hot" ``-journal`` that only a writable connection may roll back; a
    read-only one fails with "attempt to write a readonly database", which would otherwise
    be reported as a damaged file. SQLite rolls back only a journal no live writer holds,
    so this is exactly what any normal opening of the file does.
    """
    journal = db_path.with_name(db_path.name + "-journal")
    if not journal.is_file() or journal.stat().st_size == 0:
        return
    with suppress(sqlite3.Error), closing(sqlite3.connect(db_path)) as connection:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()


def read_meta(database: Database, key: str) -> str | None:
    """A value from the meta table."""
    with database.read() as session:
        value = session.scalar(select(Meta.value).where(Meta.key == key))
    return value


__all__ = ["Database", "DatabaseOpenError", "foreign_keys_off", "make_engine", "open_database",
           "raw_connection", "read_meta", "translate_database_error"]
