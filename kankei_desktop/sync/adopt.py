"""A full bundle into a file that holds nothing yet: the checked image becomes the file.

Copying a million rows into an empty file costs what writing them cost the sender. The image
a full bundle carries (:mod:`.image`) already is those tables, so the receiver makes it its
file instead: into a temporary copy it adds what its own file has beside the exchanged tables
(settings, the replica id, peers, the kept figure tables — filled by the figure code's own
rebuild — plain indexes and triggers, all from its own schema), while :mod:`.image_check`
checks every row of the image in a second thread; only when the check has passed does the
prepared file replace the empty one (one rename; where the system will not rename a file in
use, SQLite's backup copies it in instead). The replica id, settings and name stay the
receiver's: the file is a new replica holding the sender's rows.

Adopting needs the file to itself (no window or command beside it) and the same key rules
as the sender; otherwise the image's rows are merged like any bundle's (:mod:`.merge`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from contextlib import closing, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kankei_desktop.core.figures import rebuild, triggers
from kankei_desktop.core.models import SyncHistory
from kankei_desktop.core.storage.backup import backup_before
from kankei_desktop.core.storage.database import raw_connection
from kankei_desktop.core.storage.failures import WritePath, refuse_if_damaged
from kankei_desktop.core.storage.filelock import LockHeldError, Mode
from kankei_desktop.core.storage.replica import fingerprint
from kankei_desktop.core.writes.bulk_mode import refresh_statistics
from kankei_desktop.core.writes.keys import KEY_VERSION
from kankei_desktop.sync.bundle import Bundle
from kankei_desktop.sync.clocks import merge_vector
from kankei_desktop.sync.image import CLOCK_TABLE, image_tables
from kankei_desktop.sync.image_check import ImageCheck

if TYPE_CHECKING:
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.storage.database import Database
    from kankei_desktop.sync.merge import ImportReport, Progress

#: Tables the receiver's file must hold no row of for its image to be adopted.
MUST_BE_EMPTY = ("sync_conflict",)


def can_adopt(services: Services, bundle: Bundle) -> bool:
    """Whether the bundle's image may become this file: the same key rules, a file with its
    lock and nothing synced in it yet."""
    database = services.database
    if database.lock is None or database.read_only:
        return False
    if bundle.manifest.get("key_version", 1) != KEY_VERSION:
        return False
    with database.reading() as session:
        raw = raw_connection(session)
        return all(raw.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone() is None
                   for name in (*image_tables(), *MUST_BE_EMPTY))


def adopt(services: Services, bundle_path: Path, bundle: Bundle, image: Path,
          check: ImageCheck, *, backup: bool, progress: Progress | None) -> ImportReport | None:
    """Make the checked ``image`` this file (see the module docstring); None when another
    copy has the file open (the caller merges instead). ``check`` is started here and must
    pass before anything replaces the file."""
    from kankei_desktop.sync.merge import ImportReport, TableCounts, check_verdict

    database = services.database
    lock = database.lock
    assert lock is not None
    wanted = lock.mode
    try:
        lock.change_mode(Mode.EXCLUSIVE)
    except LockHeldError:
        return None
    total = sum(bundle.manifest["counts"].values())
    try:
        report = ImportReport(bundle.manifest)
        if backup:  # never replace a damaged file unnoticed; keep a copy of what it was
            with database.reading() as session:
                refuse_if_damaged(raw_connection(session), database.path,
                                  WritePath.BUNDLE_IMPORT)
            report.backup_path = backup_before(database.path, "sync-import")
        _tell(progress, total, 0.1)
        check.start()
        _prepare(image, database.path)
        _tell(progress, total, 0.8)
        verdict = check.verdict()
        with database.reading() as session:  # the file is empty: anything outside is missing
            check_verdict(raw_connection(session), bundle.manifest, verdict)
        for name, count in verdict.counts.items():
            deleted = check.deleted.get(name, 0)
            report.counts[name] = TableCounts(new=count - deleted, deleted=deleted)
        if _in_use(database):  # a connection of this process still reads the file
            return None
        check.connection.close()
        _finish(image, database)
        _replace(database, image)
        _tell(progress, total, 1.0)
    finally:
        with suppress(LockHeldError):
            lock.change_mode(wanted)
    _remember(services, bundle_path, bundle, report, verdict.highest)
    return report


def _in_use(database: Database) -> bool:
    checked_out = getattr(database.engine.pool, "checkedout", None)
    return bool(checked_out is not None and checked_out())


def _tell(progress: Progress | None, total: int, share: float) -> None:
    if progress is not None:
        progress(int(total * share), total)


def _prepare(image: Path, target: Path) -> None:
    """Add to the image everything of the target's own file but the exchanged rows: its
    other tables and their rows, its plain indexes, the kept figure tables and the triggers
    — in a write transaction the check thread's snapshot does not see."""
    writer = sqlite3.connect(image, isolation_level=None)
    try:
        writer.execute("PRAGMA synchronous=OFF")
        writer.execute("PRAGMA foreign_keys=OFF")
        writer.execute("PRAGMA cache_size=-262144")
        writer.execute("ATTACH DATABASE ? AS target", (f"{target.resolve().as_uri()}?mode=ro",))
        writer.execute("BEGIN IMMEDIATE")
        own = writer.execute(
            "SELECT type, name, tbl_name, sql FROM target.sqlite_master "
            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
        carried = set(image_tables())
        kept_tables = set(triggers.KEPT_TABLES)
        for kind, name, _table, sql in own:
            if kind == "table" and name not in carried:
                writer.execute(sql)
                if name not in kept_tables:
                    writer.execute(f'INSERT INTO main."{name}" SELECT * FROM target."{name}"')
        for kind, _name, table, sql in own:
            if kind == "index" and table not in kept_tables:
                writer.execute(sql)
        rebuild.rebuild_raw(writer)  # whatever the figure code keeps, filled its own way
        for kind, _name, table, sql in own:
            if kind == "index" and table in kept_tables:
                writer.execute(sql)
        for kind, _name, _table, sql in own:
            if kind == "trigger":
                writer.execute(sql)
        writer.execute("PRAGMA application_id=0")
        writer.execute("COMMIT")
        writer.execute("DETACH DATABASE target")
        writer.execute("BEGIN IMMEDIATE")
        refresh_statistics(writer)  # of this file only (the target is read-only)
        writer.execute("COMMIT")
    finally:
        writer.close()


def _finish(image: Path, database: Database) -> None:
    """The prepared image as the file it becomes: the replica fingerprint of its own inode
    (so it is not taken for a copy), the target's journal mode, written through to disk."""
    journal = "wal" if _journal_mode(database) == "wal" else "delete"
    with closing(sqlite3.connect(image, isolation_level=None)) as writer:
        writer.execute("UPDATE meta SET value = ? WHERE key = 'replica_origin'",
                       (fingerprint(image),))
        writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        writer.execute(f"PRAGMA journal_mode={journal}")
    with open(image, "rb+") as handle:
        os.fsync(handle.fileno())


def _journal_mode(database: Database) -> str:
    with database.reading() as session:
        return str(raw_connection(session).execute("PRAGMA journal_mode").fetchone()[0])


def _replace(database: Database, image: Path) -> None:
    """The prepared image becomes the database file (the lock is held exclusively)."""
    target = database.path
    lock = database.lock
    assert lock is not None
    database.engine.dispose()  # our own connections closed: nobody else has it open
    _checkpoint(target)  # nothing of the old file may stay in a journal beside the new one
    lock.let_go_of_file()  # Windows cannot replace a file it holds open
    try:
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{image}{suffix}").unlink(missing_ok=True)
        os.replace(image, target)
        if os.name == "posix":
            descriptor = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
    except OSError:
        # A file in use cannot be renamed over on Windows: copy it in through SQLite.
        with closing(sqlite3.connect(image)) as source, \
                closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
            copy.execute("UPDATE meta SET value = ? WHERE key = 'replica_origin'",
                         (fingerprint(target),))
            copy.commit()
    finally:
        lock.follow()


def _checkpoint(target: Path) -> None:
    """Write back whatever the old file still has in its write-ahead log (normally the last
    connection closed did); refuse to go on if that is not possible."""
    log = Path(f"{target}-wal")
    if not log.exists() or log.stat().st_size == 0:
        return
    with closing(sqlite3.connect(target, isolation_level=None)) as own:
        busy, _frames, _done = own.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy or (log.exists() and log.stat().st_size):
        raise sqlite3.OperationalError("the write-ahead log could not be written back")


def _remember(services: Services, bundle_path: Path, bundle: Bundle, report: ImportReport,
              highest: str) -> None:
    """What every import keeps besides the rows: the version vector, the peer, the history,
    and a clock never behind what was received."""
    from kankei_desktop.sync.merge import remember_peer

    context = services.context
    manifest: dict[str, Any] = bundle.manifest
    with context.transaction() as session:
        merge_vector(session, manifest["vector"])
        remember_peer(session, manifest, context.now())
        session.add(SyncHistory(
            at=context.now(), direction="import",
            peer_replica_id=uuid.UUID(manifest["source_replica"]).hex,
            peer_name=manifest["source_name"], file_name=str(bundle_path),
            summary=json.dumps({name: counts.as_dict()
                                for name, counts in report.counts.items()})))
    if highest:
        context.clock.observe(highest)
    for stamp in manifest["vector"].values():
        context.clock.observe(stamp)


__all__ = ["CLOCK_TABLE", "adopt", "can_adopt"]
