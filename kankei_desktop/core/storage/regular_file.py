"""Reading a file a user chose, which may be anything: only regular files, never past a cap.

``/dev/zero`` as a bundle or a spreadsheet would otherwise be read until memory runs out, and
a named pipe would block the program forever on ``open``. The type is checked before the file
is opened (opening a pipe blocks) and again on the open handle (the path could have been
swapped in between); the size is counted while reading, never taken from ``st_size``, which a
device, a growing file or a special file system reports as anything.
"""

from __future__ import annotations

import os
import stat
from enum import Enum
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class Problem(Enum):
    """Why a file cannot be read."""

    MISSING = "missing"
    NOT_REGULAR = "not_regular"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"


class RegularFileError(Exception):
    """The file cannot be read; ``problem`` says why (callers turn it into their sentence)."""

    def __init__(self, path: Path, problem: Problem, detail: str = "") -> None:
        super().__init__(f"{path}: {problem.value} {detail}".strip())
        self.path = path
        self.problem = problem
        self.detail = detail


def open_regular(path: Path) -> BinaryIO:
    """An open binary handle on ``path``, which must be a regular file."""
    path = Path(path)
    try:
        status = os.stat(path)
    except FileNotFoundError as exc:
        raise RegularFileError(path, Problem.MISSING) from exc
    except OSError as exc:
        raise RegularFileError(path, Problem.UNREADABLE, exc.strerror or "") from exc
    if not stat.S_ISREG(status.st_mode):
        raise RegularFileError(path, Problem.NOT_REGULAR)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError as exc:
        raise RegularFileError(path, Problem.MISSING) from exc
    except OSError as exc:
        raise RegularFileError(path, Problem.UNREADABLE, exc.strerror or "") from exc
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise RegularFileError(path, Problem.NOT_REGULAR)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_regular(path: Path, limit: int) -> bytes:
    """The whole content of the regular file ``path``; :class:`RegularFileError` past
    ``limit`` bytes (counted while reading)."""
    with open_regular(path) as handle:
        return read_capped(handle, limit, Path(path))


def read_capped(handle: BinaryIO, limit: int, path: Path) -> bytes:
    """Read ``handle`` to its end, refusing more than ``limit`` bytes."""
    parts: list[bytes] = []
    total = 0
    try:
        while True:
            block = handle.read(min(CHUNK, limit + 1 - total))
            if not block:
                break
            total += len(block)
            if total > limit:
                raise RegularFileError(path, Problem.TOO_LARGE)
            parts.append(block)
    except OSError as exc:
        raise RegularFileError(path, Problem.UNREADABLE, exc.strerror or "") from exc
    return b"".join(parts)
