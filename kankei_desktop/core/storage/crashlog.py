"""Unexpected errors go to a log file the user can send, never to the screen as a traceback."""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path

from kankei_desktop import __version__
from kankei_desktop.core.storage.paths import user_data_dir
from kankei_desktop.core.storage.private import open_private, private_folder


def write_crash_log(exc: BaseException) -> Path:
    """Append ``exc`` with its traceback to ``logs/kankei-errors.log``; return the path."""
    folder = private_folder(user_data_dir() / "logs")  # tracebacks can show residents' data
    path = folder / "kankei-errors.log"
    text = "".join(traceback.format_exception(exc))
    with open_private(path, "a", encoding="utf-8") as log:
        log.write(f"--- {datetime.now().isoformat(timespec='seconds')} kankei {__version__}\n")
        log.write(text)
    return path
