"""Files that hold residents' data are readable by their owner only.

On POSIX systems files are created 0600 and folders 0700 whatever the umask (which usually
gives 0644 and 0755: any local user could read them). On Windows the files live in the
user's own profile folders (platformdirs), whose access list already keeps others out, and
the mode bits mean nothing, so these functions only create there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
FOLDER_MODE = 0o700
POSIX = os.name == "posix"


def private_folder(path: Path) -> Path:
    """``path`` as a folder only its owner can open (created, or narrowed if it is ours)."""
    path = Path(path)
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _narrow(path, FOLDER_MODE)
    return path


def make_private(path: Path) -> None:
    """Narrow an existing file of ours to its owner (e.g. a copy SQLite has just written)."""
    _narrow(Path(path), FILE_MODE)


def create_private(path: Path, *, exclusive: bool = False) -> None:
    """Create ``path`` empty and private (with ``exclusive``, fail if it exists)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else 0)
    descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0), FILE_MODE)
    os.close(descriptor)
    make_private(path)


def open_private(path: Path, mode: str = "w", **options: Any) -> IO[Any]:
    """``open(path, mode)`` for writing, the file private even if it existed before."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    flags |= os.O_APPEND if "a" in mode else os.O_TRUNC
    descriptor = os.open(path, flags, FILE_MODE)
    try:
        if POSIX:
            os.fchmod(descriptor, FILE_MODE)
        return open(descriptor, mode, **options)
    except BaseException:
        os.close(descriptor)
        raise


def _narrow(path: Path, wanted: int) -> None:
    if not POSIX:
        return
    try:
        status = path.stat()
        if status.st_uid == os.getuid() and status.st_mode & 0o777 != wanted:
            path.chmod(wanted)
    except OSError:
        pass  # not ours to change, or gone: the data is where the user put it
