"""An operating-system lock beside the database so two running copies never both write.

The lock is held on ``<database>.lock`` for as long as the file is open. The OS releases it
when the process ends, even after a crash, so a leftover lock file never blocks anyone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO


class LockHeldError(Exception):
    """Another process holds the lock."""


class FileLock:
    """Exclusive, non-blocking lock on ``path`` (created if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`LockHeldError` at once."""
        handle = self.path.open("a+b")
        try:
            _lock(handle)
        except OSError as exc:
            handle.close()
            raise LockHeldError(str(self.path)) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode())
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
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._handle is not None


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
