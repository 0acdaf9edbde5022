"""Operating-system locks so that two running copies never both write one database file.

Two locks are held for as long as the file is open:

* on ``<database>.lock`` beside it, which also says who holds the file (computer, process,
  since when) for the "in use" message, and guards a restore that replaces the file;
* on the database file itself, so the lock follows the file and not its name: a hard link,
  the same folder through a second mount point or drive letter, all reach the same lock.

POSIX: ``flock`` on an open descriptor (independent of the ``fcntl`` locks SQLite takes, which
it never disturbs: our descriptor stays open until SQLite's connections are closed, since
closing any descriptor of a file drops the process's ``fcntl`` locks on it). Windows: a
byte-range lock on the file's own handle: on the database far beyond any data (SQLite locks
bytes near 1 GiB and never reads there; Windows locks are mandatory, so byte 0 would block
reading), on the lock file byte 0 as earlier versions lock it (so they and this one still
exclude each other); who holds it is written from byte 1 on, which others can read.

The OS releases both when the process ends, even after a crash, so a leftover lock file never
blocks anyone.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from kankei_desktop.core.storage.private import FILE_MODE

#: Where the Windows lock byte lies: past the largest file SQLite can make (2^48 bytes).
LOCK_OFFSET = 2**62


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as its lock file says."""

    computer: str
    pid: int
    since: str


class LockHeldError(Exception):
    """Another process (or another open in this one) holds the lock; ``holder`` says who
    when the lock file tells (None when the file was reached by another name)."""

    def __init__(self, path: Path, holder: Holder | None = None) -> None:
        super().__init__(str(path))
        self.path = path
        self.holder = holder


class FileLock:
    """Exclusive, non-blocking lock on ``path`` (created if missing, private)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`LockHeldError` at once; then say who holds it."""
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0),
                             FILE_MODE)
        handle = os.fdopen(descriptor, "r+b")
        try:
            _lock(handle, 0)
        except OSError as exc:
            handle.close()
            raise LockHeldError(self.path, holder_of(self.path)) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(b"\n" + json.dumps({
            "pid": os.getpid(), "computer": platform.node(),
            "since": datetime.now().isoformat(timespec="minutes"),
        }).encode())
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        """Give the lock back.

        The lock file itself stays: removing it would let a third process lock a new file
        while a second one still waits on the old one.
        """
        if self._handle is None:
            return
        try:
            _unlock(self._handle, 0)
        finally:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._handle is not None


class IdentityLock:
    """Exclusive lock on an existing file's own identity (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`LockHeldError` at once."""
        handle = open(self.path, "rb")  # noqa: SIM115 - held open until release()
        try:
            _lock(handle, LOCK_OFFSET)
        except OSError as exc:
            handle.close()
            raise LockHeldError(self.path) from exc
        self._handle = handle

    def release(self) -> None:
        """Give the lock back (after SQLite's connections to the file are closed)."""
        if self._handle is None:
            return
        try:
            _unlock(self._handle, LOCK_OFFSET)
        finally:
            self._handle.close()
            self._handle = None


def holder_of(lock_path: Path) -> Holder | None:
    """Who holds the lock, from the lock file (None when it does not say)."""
    try:
        with open(lock_path, "rb") as handle:
            handle.seek(1)  # byte 0 may be locked (Windows)
            data = json.loads(handle.read(4096).decode("utf-8"))
        return Holder(str(data["computer"])[:100], int(data["pid"]), str(data["since"])[:40])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


class DatabaseLock:
    """Both locks of an open database: the lock file beside it and the file's identity."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.beside = FileLock(db_path.with_name(db_path.name + ".lock"))
        self.identity: IdentityLock | None = None

    def acquire(self) -> None:
        """Take the lock file, then the file itself when it exists; raise
        :class:`LockHeldError` (holding neither) when another copy has either."""
        self.beside.acquire()
        try:
            if self.db_path.exists():
                self.follow()
        except BaseException:
            self.beside.release()
            raise

    def follow(self) -> None:
        """Lock the file itself (for a new file, once it has been created)."""
        if self.identity is None:
            identity = IdentityLock(self.db_path)
            identity.acquire()
            self.identity = identity

    def let_go_of_file(self) -> None:
        """Release the file itself but keep the lock file (a restore replacing the file)."""
        if self.identity is not None:
            self.identity.release()
            self.identity = None

    def release(self) -> None:
        """Give both back (call after the file's SQLite connections are closed)."""
        try:
            if self.identity is not None:
                self.identity.release()
                self.identity = None
        finally:
            self.beside.release()

    @property
    def held(self) -> bool:
        """Whether the lock file is held."""
        return self.beside.held


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[bytes], offset: int) -> None:
        handle.seek(offset)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes], offset: int) -> None:
        handle.seek(offset)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes], _offset: int) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes], _offset: int) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
