"""The checks before a database file is opened, and its locks, without SQLAlchemy.

Everything that could refuse the file (a folder, a device, an empty file, not SQLite, another
program's SQLite file, a newer schema, a read-only place, another copy in the way) is decided
here through read-only connections, before anything is written, without loading SQLAlchemy
or Alembic (:func:`.database.open_database` loads them once the file may be opened).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing, suppress
from pathlib import Path

from kankei_desktop.core.errors import (
    DamagedDatabaseError,
    DatabaseInUseError,
    DatabaseOpenError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyLocationError,
)
from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage import revisions
from kankei_desktop.core.storage.failures import damaged_at_open_message, read_only_message
from kankei_desktop.core.storage.filelock import DatabaseLock, Holder, LockHeldError, Mode
from kankei_desktop.core.storage.journal import journal_mode_for

SQLITE_HEADER = b"SQLite format 3\x00"


def check_path(db_path: Path, *, create: bool) -> None:
    """Refuse a path that cannot be this application's database (a sentence says why)."""
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
    if db_path.exists() and not os.access(db_path, os.W_OK):
        return False
    return os.access(db_path.parent, os.W_OK)


def sharing_mode(db_path: Path, wanted: Mode) -> Mode:
    """``wanted``, or exclusive where SQLite's own locking cannot be trusted (a network
    share: the file uses the rollback journal there)."""
    return wanted if journal_mode_for(db_path) == "WAL" else Mode.EXCLUSIVE


def take_lock(db_path: Path, mode: Mode) -> DatabaseLock:
    """The file's locks in ``mode`` (exclusive for a file that does not exist yet); a
    :class:`DatabaseInUseError` naming the holder when another copy is in the way."""
    lock = DatabaseLock(db_path, mode if db_path.exists() else Mode.EXCLUSIVE)
    try:
        lock.acquire()
    except LockHeldError as exc:
        raise in_use_error(db_path, exc.holder) from exc
    except OSError as exc:
        raise ReadOnlyLocationError(read_only_message(db_path)) from exc
    return lock


def to_itself(lock: DatabaseLock, db_path: Path) -> None:
    """Hold the file exclusively to upgrade it; a sentence when other copies have it open."""
    try:
        lock.change_mode(Mode.EXCLUSIVE)
    except LockHeldError as exc:
        raise DatabaseOpenError(_(
            "{path} must be upgraded to this version before it can be used, which needs the "
            "file to itself. Close the other copies of Kankei Desktop (and commands using "
            "it) and try again; nothing was changed.").format(path=db_path)) from exc


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


def inspect_existing(db_path: Path, *, alone: bool = True) -> str | None:
    """Refuse files we must not touch; return the schema revision found (None if empty).

    Uses a read-only connection so nothing is written. SQLite's read-only connection to a WAL
    file leaves empty ``-wal``/``-shm`` companions behind; those it created are removed again
    when nobody else can be using them (``alone``: the file is held exclusively).
    """
    companions = [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = {path for path in companions if path.exists()}
    try:
        return _read_revision(db_path)
    finally:
        for path in companions if alone else ():
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
    if revision is not None and not revisions.is_known_revision(revision):
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
