"""A writer that finds another copy saving waits for it instead of giving up.

On a local disk several copies of the application (the window, ``kankei`` commands) may have
one file open; SQLite lets one of them write at a time. A write transaction starts with
``BEGIN IMMEDIATE``, which takes SQLite's write lock at once or reports the file busy: here
it is tried again until the other copy's save is done — with a message after the first
moments, so a command does not seem to hang — or until :data:`WAIT_LIMIT_S` passed.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

#: The first try waits this long in SQLite before the caller is told it is waiting.
FIRST_TRY_MS = 400
#: Each later try waits this long in SQLite (the caller hears about it between tries).
LATER_TRY_MS = 5000
#: Giving up after this long (a copy stuck in a dialog half-way through an import, say).
WAIT_LIMIT_S = 30 * 60

#: Told how long the writer has waited so far (seconds), after each busy try.
WaitReport = Callable[[float], None]


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite reported the file busy or locked by another connection."""
    return getattr(exc, "sqlite_errorcode", None) in (5, 6) or "locked" in str(exc) \
        or "busy" in str(exc)


def begin_immediate(raw: sqlite3.Connection, on_wait: WaitReport | None, *,
                    busy_timeout_ms: int, limit_s: float = WAIT_LIMIT_S) -> None:
    """Open a write transaction on ``raw`` (nothing when one is open already).

    Without ``on_wait`` it is tried once with the connection's own busy timeout, as every
    write used to be; with it, again and again while the file stays busy, reporting each
    wait, up to ``limit_s``. The last busy error is raised when the wait ends.
    """
    if raw.in_transaction:
        return
    if on_wait is None:
        raw.execute("BEGIN IMMEDIATE")
        return
    started = time.monotonic()
    try:
        raw.execute(f"PRAGMA busy_timeout={FIRST_TRY_MS}")
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - started
                if not is_busy(exc) or waited >= limit_s:
                    raise
                on_wait(waited)
                raw.execute(f"PRAGMA busy_timeout={LATER_TRY_MS}")
    finally:
        raw.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
