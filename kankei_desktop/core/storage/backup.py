"""Copies of the file taken before anything risky, once a day, and restoring one of them.

Backups live in ``<folder of the file>/backups`` and are named
``<stem>-<YYYYmmdd>-<HHMMSS>-<micro>-<reason>.sqlite3``; the name carries the date and the
reason, so listing needs no index file that could get out of step. Each copy is taken with
SQLite's online backup API (consistent even while the file is in use), written under a
temporary name and renamed only when complete, so a crash never leaves a half copy that
looks like a backup.

Rotation keeps the newest :data:`KEEP_LAST` copies plus the newest copy of every month.
Restoring first backs up the current file, then replaces it atomically: nothing the user
saved is ever lost by a restore.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.filelock import DatabaseLock, LockHeldError
from kankei_desktop.core.storage.private import create_private, private_folder

FOLDER_NAME = "backups"
KEEP_LAST = 10
SUFFIX = ".sqlite3"
PARTIAL_SUFFIX = ".partial"
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"

REASON_MIGRATION = "migration"
REASON_IMPORT = "import"
REASON_BUNDLE_IMPORT = "bundle-import"
REASON_DAILY = "daily"
REASON_BEFORE_RESTORE = "before-restore"

_STAMP = r"(?P<stamp>\d{8}-\d{6}-\d{6})"
_REASON = r"(?P<reason>[a-z0-9][a-z0-9_-]*)"


class RestoreError(KankeiError):
    """A backup could not be restored (the current file is unchanged)."""


@dataclass(frozen=True)
class BackupCounts:
    """Figures read from a backup: live people, sessions and attendance rows."""

    people: int
    sessions: int
    attendance: int


@dataclass(frozen=True)
class BackupInfo:
    """One backup file, newest first in :func:`list_backups`."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    counts: BackupCounts | None
    """None when the copy cannot be read (then it cannot be restored either)."""


def backup_folder(db_path: Path) -> Path:
    """``<folder of the file>/backups`` (created on demand, readable by the user only)."""
    return private_folder(db_path.parent / FOLDER_NAME)


def backup_before(db_path: Path, reason: str, *, now: datetime | None = None) -> Path:
    """Copy ``db_path`` consistently into the backup folder, then rotate the old copies.

    ``reason`` says why (``migration``, ``import``, ``bundle-import`` …); it becomes part of
    the name. Returns the new copy. Raises ``OSError``/``sqlite3.Error`` when the copy
    cannot be written (the original is never touched).
    """
    db_path = Path(db_path)
    moment = now or datetime.now()
    target = backup_folder(db_path) / _file_name(db_path, moment, _clean_reason(reason))
    _copy_database(db_path, target)
    rotate(db_path)
    return target


def daily_backup(db_path: Path, *, now: datetime | None = None) -> Path | None:
    """Back up ``db_path`` unless a copy from the same day exists; return the new copy.

    Called when the application opens a file. Never raises: a failed daily copy (disk
    full, read-only folder) must not stop the user from working; it is simply retried at
    the next opening.
    """
    db_path = Path(db_path)
    moment = now or datetime.now()
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    if any(taken.date() == moment.date() for _path, taken, _reason in _scan(db_path)):
        return None
    try:
        return backup_before(db_path, REASON_DAILY, now=moment)
    except (OSError, sqlite3.Error):
        return None


def list_backups(db_path: Path, *, with_counts: bool = True) -> list[BackupInfo]:
    """The backups of ``db_path``, newest first, with the figures read from each copy."""
    found = []
    for path, taken_at, reason in _scan(Path(db_path)):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        counts = read_counts(path) if with_counts else None
        found.append(BackupInfo(path, taken_at, reason, size, counts))
    return found


def read_counts(path: Path) -> BackupCounts | None:
    """Live people, sessions and attendance rows in a copy (read-only; None if unreadable)."""
    try:
        with closing(_connect_read_only(path)) as connection:
            people, sessions, attendance = (
                connection.execute(
                    f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL"
                ).fetchone()[0]
                for table in ("person", "meeting", "attendance")
            )
    except sqlite3.Error:
        return None
    return BackupCounts(int(people), int(sessions), int(attendance))


def rotate(db_path: Path, *, keep_last: int = KEEP_LAST) -> list[Path]:
    """Delete old backups: keep the newest ``keep_last`` plus the newest of each month.

    Returns the files deleted. Leftover partial copies from an interrupted backup go too.
    """
    entries = _scan(Path(db_path))  # newest first
    keep = {path for path, _taken, _reason in entries[:keep_last]}
    months: set[tuple[int, int]] = set()
    for path, taken_at, _reason in entries:
        month = (taken_at.year, taken_at.month)
        if month not in months:
            months.add(month)
            keep.add(path)
    deleted = []
    for path, _taken, _reason in entries:
        if path not in keep:
            with suppress(OSError):
                path.unlink()
                deleted.append(path)
    folder = Path(db_path).parent / FOLDER_NAME
    for partial in folder.glob(f"{glob_escape(Path(db_path).stem)}-*{PARTIAL_SUFFIX}"):
        with suppress(OSError):
            partial.unlink()
    return deleted


def restore_backup(db_path: Path, backup: Path, *,
                   now: datetime | None = None) -> Path | None:
    """Replace ``db_path`` with the copy ``backup``; return the safety copy of the old file.

    The file must be closed by this process (the caller closes its ``Database``); the lock
    is taken here so no other copy of the application can open it meanwhile. Order, so that
    nothing is lost at any moment: (1) the chosen copy is checked and copied to a temporary
    file beside the database and flushed to disk; (2) the current file is backed up
    (``before-restore``); (3) the temporary file atomically replaces the database.
    """
    db_path = Path(db_path).resolve()
    backup = Path(backup)
    lock = DatabaseLock(db_path)
    try:
        lock.acquire()
    except LockHeldError as exc:
        raise RestoreError(_(
            "The file {path} is open in another running copy of Kankei Desktop. Close it "
            "there and try again; nothing was changed.").format(path=db_path)) from exc
    temporary = db_path.with_name(f".{db_path.name}.restoring")
    try:
        _prepare_restore_copy(backup, temporary)
        safety = backup_before(db_path, REASON_BEFORE_RESTORE, now=now) if (
            db_path.exists()) else None
        _checkpoint(db_path)
        lock.let_go_of_file()  # Windows cannot replace a file it holds open
        for companion in _companions(db_path):
            companion.unlink(missing_ok=True)
        os.replace(temporary, db_path)
        _fsync_folder(db_path.parent)
    except (OSError, sqlite3.Error) as exc:
        raise RestoreError(_(
            "The backup could not be restored ({reason}). The current file is unchanged; "
            "free some disk space or check the folder, then try again.").format(
                reason=getattr(exc, "strerror", None) or exc)) from exc
    finally:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        lock.release()
    return safety


def glob_escape(text: str) -> str:
    """``text`` with the glob metacharacters ``*?[`` made literal."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def _file_name(db_path: Path, moment: datetime, reason: str) -> str:
    return f"{db_path.stem}-{moment.strftime(STAMP_FORMAT)}-{reason}{SUFFIX}"


def _clean_reason(reason: str) -> str:
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", reason.lower()).strip("-_")
    return cleaned or "backup"


def _scan(db_path: Path) -> list[tuple[Path, datetime, str]]:
    """``(path, taken_at, reason)`` of the backups of ``db_path``, newest first."""
    folder = db_path.parent / FOLDER_NAME
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^{re.escape(db_path.stem)}-{_STAMP}-{_REASON}{re.escape(SUFFIX)}$")
    found = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match is None:
            continue
        try:
            taken_at = datetime.strptime(match["stamp"], STAMP_FORMAT)
        except ValueError:
            continue
        found.append((path, taken_at, match["reason"]))
    found.sort(key=lambda entry: (entry[1], entry[0].name), reverse=True)
    return found


def _copy_database(source_path: Path, target: Path) -> None:
    """Consistent copy with the backup API, as a self-contained file (no WAL), then fsync."""
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    try:
        partial.unlink(missing_ok=True)
        create_private(partial, exclusive=True)  # 0600 before SQLite writes into it
        with closing(sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro",
                                     uri=True)) as source, \
                closing(sqlite3.connect(partial)) as destination:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode=DELETE")
            destination.commit()
        _fsync_file(partial)
        os.replace(partial, target)
    except BaseException:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        raise


def _prepare_restore_copy(backup: Path, temporary: Path) -> None:
    """Check that ``backup`` is a sound Kankei file and copy it to ``temporary``."""
    try:
        with closing(_connect_read_only(backup)) as connection:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            sound = connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.Error:
        tables, sound = set(), False
    if not sound or not {"meta", "alembic_version"} <= tables:
        raise RestoreError(_(
            "{path} is damaged or is not a Kankei Desktop backup, so it was not restored. "
            "Choose another backup; the current file is unchanged.").format(path=backup))
    with suppress(OSError):
        temporary.unlink(missing_ok=True)
    _copy_database(backup, temporary)


def _checkpoint(db_path: Path) -> None:
    """Fold a leftover write-ahead log into the file (its content is in the safety copy)."""
    if not db_path.exists() or not any(path.exists() for path in _companions(db_path)):
        return
    with suppress(sqlite3.Error), closing(sqlite3.connect(db_path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _companions(db_path: Path) -> Iterable[Path]:
    return [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _connect_read_only(path: Path) -> sqlite3.Connection:
    # immutable=1: nobody writes a backup, and SQLite then creates no -shm/-wal beside it.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder; MoveFileEx is durable enough
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

