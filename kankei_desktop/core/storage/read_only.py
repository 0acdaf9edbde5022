"""Opening a file another running copy holds, to read it only.

The second copy takes no lock and writes nothing: no migration (a file that needs one is
refused until it is free), no replica id stamped, SQLite in read-only mode with
``query_only`` on, and :meth:`Database.transaction` refusing with a sentence. Reading beside
a writer is what SQLite's locking is made for (WAL readers see the last commit).
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from kankei_desktop.core.errors import DatabaseOpenError, NotADatabaseError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Meta
from kankei_desktop.core.storage import revisions
from kankei_desktop.core.storage.database import Database, inspect_existing
from kankei_desktop.core.storage.engine import make_engine
from kankei_desktop.core.storage.failures import translate_database_error


def open_read_only(db_path: Path) -> Database:
    """The file at ``db_path`` for reading only (see the module docstring)."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        raise NotADatabaseError(_(
            "There is no database file at {path}. Check the path, or create one with "
            "'kankei init'.").format(path=db_path))
    revision = inspect_existing(db_path)
    if revision != revisions.head_revision():
        raise DatabaseOpenError(_(
            "{path} must be upgraded to this version before it can be read, which needs the "
            "file to itself. Close the other copy of Kankei Desktop and open it again.").format(
                path=db_path))
    engine = make_engine(db_path, read_only=True)
    sessions = sessionmaker(engine, expire_on_commit=False)
    try:
        with sessions() as session:
            stored = session.scalar(select(Meta.value).where(Meta.key == "replica_id"))
    except (sqlite3.DatabaseError, sa_exc.DatabaseError) as exc:
        engine.dispose()
        raise translate_database_error(exc, db_path) from exc
    replica = uuid.UUID(stored) if stored else uuid.UUID(int=0)
    return Database(path=db_path, engine=engine, sessions=sessions, replica_id=replica,
                    read_only=True)
