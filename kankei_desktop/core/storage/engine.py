"""The SQLAlchemy engine of a database file: foreign keys on, a busy timeout, the journal
mode the file's location allows; read-only when another copy holds the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

from kankei_desktop.core.storage.journal import journal_mode_for

BUSY_TIMEOUT_MS = 5000


def make_engine(db_path: Path, *, read_only: bool = False) -> Engine:
    """An engine with foreign keys on, a busy timeout and the right journal mode.

    ``read_only``: SQLite opens the file read-only and refuses every write
    (``query_only``); the journal mode is the one the writing copy chose.
    """
    if read_only:
        engine = create_engine(f"sqlite:///{db_path.as_uri()}?mode=ro&uri=true",
                               connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    else:
        engine = create_engine(f"sqlite:///{db_path}",
                               connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    journal_mode = journal_mode_for(db_path)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # A row replaced by INSERT OR REPLACE runs the delete triggers too, so the figure
        # tables the triggers keep (migrations 0005, 0007) see it leave.
        cursor.execute("PRAGMA recursive_triggers=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
            cursor.close()
            return
        cursor.execute(f"PRAGMA journal_mode={journal_mode}")
        synchronous = "NORMAL" if journal_mode == "WAL" else "FULL"
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: sqlite3.Connection | None, record: Any) -> None:
        if record is not None and record.info.pop(_FOREIGN_KEYS_OFF, False) \
                and dbapi_connection is not None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    return engine


#: Marks a pooled connection whose foreign-key enforcement :func:`foreign_keys_off` stopped.
_FOREIGN_KEYS_OFF = "kankei_foreign_keys_off"


def foreign_keys_off(session: Session) -> None:
    """Stop SQLite's foreign-key enforcement for the transaction about to begin on
    ``session``'s connection; it is on again when the connection returns to the pool.

    For a bulk import that checks every reference itself (in the bundle or in the file):
    SQLite's own check looks up the parents of every row written, a sixth of the time of a
    full import. Nothing changes when a transaction is already open (SQLite ignores the
    pragma then; the import is only slower).
    """
    pooled = session.connection().connection
    raw = pooled.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    if raw.in_transaction:
        return
    pooled.info[_FOREIGN_KEYS_OFF] = True
    raw.execute("PRAGMA foreign_keys=OFF")
