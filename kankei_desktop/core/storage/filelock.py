"""Operating-system locks that decide who may open a database file beside whom.

On a local disk SQLite's own locking (WAL) lets readers run beside a writer and queues
writers, so the command line may read a file the window has open, and write it after the
window's save (see :mod:`.waiting`). What SQLite cannot see is kept out here:

* a **second path** to the same file (a hard link, a second mount point or drive letter):
  SQLite names its ``-wal`` and ``-shm`` files after the path, so two paths would mean two
  logs for one file. Every opener marks the file itself with a shared lock on one byte chosen
  by its path (far past any data SQLite reads) and is refused when any other path's byte is
  marked;
* a **second window** on the same file (it would show stale pages and fight over unsaved
  edits): the window also holds an exclusive lock on a byte of ``<database>.lock``, which
  says who holds it (computer, process, since when) for the "in use" message;
* work that needs the file **to itself** (creating or migrating it, restoring a backup,
  replacing it with a received copy) and every opening of a file on a network share, where
  SQLite's locking cannot be trusted (:func:`.journal.journal_mode_for`): an exclusive lock on
  the lock file and on the file itself, as earlier versions took for every opening (so they
  and this one still exclude each other).

POSIX: ``flock`` on open descriptors for the main locks (independent of the ``fcntl`` locks
SQLite takes, which they never disturb), Linux open-file-description byte-range locks for the
path and window bytes; where those do not exist (macOS) every opening is exclusive, as before.
Windows: byte-range locks (``LockFileEx``) on the files' own handles: on the database far
beyond any data, on the lock file byte 0 as earlier versions lock it; who holds it is written
from byte 1 on, which others can read.

The OS releases every lock when the process ends, even after a crash, so a leftover lock
file never blocks anyone.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import platform
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from kankei_desktop.core.storage.private import FILE_MODE

#: The database's main lock byte (Windows): past the largest file SQLite can make (2^48).
LOCK_OFFSET = 2**62
#: The bytes that mark by which path the file is open: one of these, chosen by the path.
PATH_SLOTS = 2**20
PATH_BASE = LOCK_OFFSET + 1
#: The byte of the lock file that only a window holds (holder text lives at the start).
WINDOW_OFFSET = 2**40


class Mode(enum.Enum):
    """How an opener shares the file."""

    #: beside other readers and writers through the same path (the command line)
    SHARED = "shared"
    #: shared, but the only window on the file (the application's window)
    WINDOW = "window"
    #: the file to itself (create, migrate, restore, replace; network shares)
    EXCLUSIVE = "exclusive"


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


def sharing_supported() -> bool:
    """Whether this platform has the byte-range locks the shared modes need."""
    return sys.platform == "win32" or _HAS_RANGE_LOCKS


def path_slot(db_path: Path) -> int:
    """The byte that marks ``db_path`` (as resolved; case-folded where names are)."""
    text = os.path.normcase(str(db_path))
    return PATH_BASE + zlib.crc32(text.encode("utf-8", "surrogatepass")) % PATH_SLOTS


class FileLock:
    """Lock on ``path`` (created if missing, private): exclusive, or shared with the window
    byte; non-blocking."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None
        self._window = False

    def acquire(self, mode: Mode = Mode.EXCLUSIVE) -> None:
        """Take the lock or raise :class:`LockHeldError` at once; an exclusive holder and a
        window then say who they are."""
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0),
                             FILE_MODE)
        handle = os.fdopen(descriptor, "r+b")
        try:
            _main_lock(handle, 0, shared=mode is not Mode.EXCLUSIVE)
        except OSError as exc:
            handle.close()
            raise LockHeldError(self.path, holder_of(self.path)) from exc
        if mode is Mode.WINDOW:
            try:
                _range_lock(handle, WINDOW_OFFSET, 1, shared=False)
            except OSError as exc:
                _main_unlock(handle, 0)
                handle.close()
                raise LockHeldError(self.path, holder_of(self.path)) from exc
            self._window = True
        if mode is not Mode.SHARED:
            _write_holder(handle)
        self._handle = handle

    def release(self) -> None:
        """Give the lock back.

        The lock file itself stays: removing it would let a third process lock a new file
        while a second one still waits on the old one.
        """
        if self._handle is None:
            return
        try:
            if self._window:
                _range_unlock(self._handle, WINDOW_OFFSET, 1)
            _main_unlock(self._handle, 0)
        finally:
            self._window = False
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._handle is not None


class IdentityLock:
    """Lock on an existing file's own identity (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None
        self._slot: int | None = None

    def acquire(self, mode: Mode = Mode.EXCLUSIVE) -> None:
        """Take the lock or raise :class:`LockHeldError` at once (also when the file is
        open by another path)."""
        handle = open(self.path, "rb")  # noqa: SIM115 - held open until release()
        shared = mode is not Mode.EXCLUSIVE
        try:
            _main_lock(handle, LOCK_OFFSET, shared=shared)
        except OSError as exc:
            handle.close()
            raise LockHeldError(self.path) from exc
        if shared:
            slot = path_slot(self.path)
            try:
                _range_lock(handle, slot, 1, shared=True)
            except OSError as exc:
                _main_unlock(handle, LOCK_OFFSET)
                handle.close()
                raise LockHeldError(self.path) from exc
            # Marked first, then checked: two openers by two paths at once both refuse.
            if not (_range_free(handle, PATH_BASE, slot - PATH_BASE)
                    and _range_free(handle, slot + 1, PATH_BASE + PATH_SLOTS - slot - 1)):
                _range_unlock(handle, slot, 1)
                _main_unlock(handle, LOCK_OFFSET)
                handle.close()
                raise LockHeldError(self.path)
            self._slot = slot
        self._handle = handle

    def others_by_this_path(self) -> bool:
        """Whether another opener holds the file by the same path (True where that cannot
        be told: Windows cannot test a lock its own handle shares)."""
        if self._handle is None or self._slot is None:
            return False
        if sys.platform == "win32":  # pragma: no cover - Windows only
            return True
        return not _range_free(self._handle, self._slot, 1)

    def release(self) -> None:
        """Give the lock back (after SQLite's connections to the file are closed)."""
        if self._handle is None:
            return
        try:
            if self._slot is not None:
                _range_unlock(self._handle, self._slot, 1)
            _main_unlock(self._handle, LOCK_OFFSET)
        finally:
            self._slot = None
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


def _write_holder(handle: IO[bytes]) -> None:
    """Who holds the lock, from byte 1 on (byte 0 may be locked shared, which on Windows
    forbids writing it even to the holder)."""
    handle.seek(1)
    handle.write(json.dumps({
        "pid": os.getpid(), "computer": platform.node(),
        "since": datetime.now().isoformat(timespec="minutes"),
    }).encode())
    handle.truncate()
    handle.flush()


class DatabaseLock:
    """The locks of an open database: the lock file beside it and the file's identity.

    ``mode`` is what the opener asks for; where sharing cannot be trusted (a network share,
    a platform without byte-range locks) every mode is exclusive.
    """

    def __init__(self, db_path: Path, mode: Mode = Mode.EXCLUSIVE) -> None:
        self.db_path = db_path
        self.mode = mode if sharing_supported() else Mode.EXCLUSIVE
        self.beside = FileLock(db_path.with_name(db_path.name + ".lock"))
        self.identity: IdentityLock | None = None

    def acquire(self) -> None:
        """Take the lock file, then the file itself when it exists; raise
        :class:`LockHeldError` (holding neither) when another copy has either."""
        self.beside.acquire(self.mode)
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
            identity.acquire(self.mode)
            self.identity = identity

    def change_mode(self, mode: Mode, *, attempts: int = 3) -> None:
        """Hold the file in ``mode`` instead (after creating or migrating it, or before
        replacing it); :class:`LockHeldError` when another copy is in the way, the old mode
        kept where it can be."""
        if not sharing_supported() or mode is self.mode:
            return
        old = self.mode
        problem: LockHeldError | None = None
        for attempt in range(attempts):
            self.release()
            self.mode = mode
            try:
                self.acquire()
                return
            except LockHeldError as exc:
                problem = exc
            self.mode = old
            with contextlib.suppress(LockHeldError):
                self.acquire()
            time.sleep(0.05 * (attempt + 1))
        assert problem is not None
        raise problem

    def alone(self) -> bool:
        """Whether no other process has the file open (as far as the locks tell)."""
        if self.mode is Mode.EXCLUSIVE:
            return True
        return self.identity is not None and not self.identity.others_by_this_path()

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


if sys.platform == "win32":  # pragma: no cover - Windows only
    import ctypes
    import msvcrt
    from ctypes import wintypes

    _HAS_RANGE_LOCKS = True
    _FAIL_IMMEDIATELY = 0x1
    _EXCLUSIVE = 0x2

    class _Overlapped(ctypes.Structure):
        _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p),
                    ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD),
                    ("hEvent", wintypes.HANDLE)]

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    _kernel32.LockFileEx.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD,
                                     wintypes.DWORD, wintypes.DWORD,
                                     ctypes.POINTER(_Overlapped)]
    _kernel32.LockFileEx.restype = wintypes.BOOL
    _kernel32.UnlockFileEx.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD,
                                       wintypes.DWORD, ctypes.POINTER(_Overlapped)]
    _kernel32.UnlockFileEx.restype = wintypes.BOOL

    def _overlapped(offset: int) -> _Overlapped:
        overlapped = _Overlapped()
        overlapped.Offset = offset & 0xFFFFFFFF
        overlapped.OffsetHigh = offset >> 32
        return overlapped

    def _range_lock(handle: IO[bytes], offset: int, length: int, *, shared: bool) -> None:
        flags = _FAIL_IMMEDIATELY | (0 if shared else _EXCLUSIVE)
        overlapped = _overlapped(offset)
        if not _kernel32.LockFileEx(msvcrt.get_osfhandle(handle.fileno()), flags, 0,
                                    length & 0xFFFFFFFF, length >> 32,
                                    ctypes.byref(overlapped)):
            raise OSError(ctypes.get_last_error(), "the byte range is locked")

    def _range_unlock(handle: IO[bytes], offset: int, length: int) -> None:
        overlapped = _overlapped(offset)
        _kernel32.UnlockFileEx(msvcrt.get_osfhandle(handle.fileno()), 0,
                               length & 0xFFFFFFFF, length >> 32, ctypes.byref(overlapped))

    def _range_free(handle: IO[bytes], offset: int, length: int) -> bool:
        if length <= 0:
            return True
        for attempt in range(5):  # another opener's check holds it for a moment only
            try:
                _range_lock(handle, offset, length, shared=False)
            except OSError:
                time.sleep(0.02 * (attempt + 1))
                continue
            _range_unlock(handle, offset, length)
            return True
        return False

    def _main_lock(handle: IO[bytes], offset: int, *, shared: bool) -> None:
        _range_lock(handle, offset, 1, shared=shared)

    def _main_unlock(handle: IO[bytes], offset: int) -> None:
        _range_unlock(handle, offset, 1)

else:
    import fcntl
    import struct

    _HAS_RANGE_LOCKS = hasattr(fcntl, "F_OFD_SETLK")
    #: struct flock: l_type, l_whence, l_start, l_len, l_pid (0 for open-file-description
    #: locks), native alignment and padding.
    _FLOCK = "hhqqi4x"

    def _ofd(handle: IO[bytes], command: int, kind: int, offset: int, length: int) -> int:
        packed = struct.pack(_FLOCK, kind, os.SEEK_SET, offset, length, 0)
        result = fcntl.fcntl(handle.fileno(), command, packed)
        return int(struct.unpack(_FLOCK, result)[0])

    def _range_lock(handle: IO[bytes], offset: int, length: int, *, shared: bool) -> None:
        kind = fcntl.F_RDLCK if shared else fcntl.F_WRLCK
        _ofd(handle, fcntl.F_OFD_SETLK, kind, offset, length)

    def _range_unlock(handle: IO[bytes], offset: int, length: int) -> None:
        _ofd(handle, fcntl.F_OFD_SETLK, fcntl.F_UNLCK, offset, length)

    def _range_free(handle: IO[bytes], offset: int, length: int) -> bool:
        if length <= 0:
            return True
        return _ofd(handle, fcntl.F_OFD_GETLK, fcntl.F_WRLCK, offset, length) == fcntl.F_UNLCK

    def _main_lock(handle: IO[bytes], _offset: int, *, shared: bool) -> None:
        fcntl.flock(handle.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
                    | fcntl.LOCK_NB)

    def _main_unlock(handle: IO[bytes], _offset: int) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
