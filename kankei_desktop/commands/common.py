"""What every ``kankei`` subcommand shares: exit codes, failing with a sentence, the services.

Importing a command module must stay cheap (``kankei --help`` builds every parser): each
feature module's ``register()`` only adds argparse parsers, and its handlers import what they
need (SQLAlchemy, reportlab, openpyxl, cryptography …) when they run. A test checks that
importing :mod:`kankei_desktop.commands.cli` loads none of them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.locations import location_of

if TYPE_CHECKING:
    from kankei_desktop.core.services import Services

EXIT_OK = 0
EXIT_ERROR = 1

#: Where the database is: a file, or a shared database's ``postgresql://`` address.
Location = Path | str
Handler = Callable[[Location, argparse.Namespace], int]
#: ``commands`` as returned by ``ArgumentParser.add_subparsers()``.
SubParsers = Any


def database_location(text: str) -> Location:
    """``--db``: a ``postgresql://`` address stays text, anything else is a file path."""
    return location_of(text)


def with_services(db_path: Location, action: Callable[[Services], int]) -> int:
    """Open the file, run ``action`` with its services, close the file."""
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.storage.database import open_database

    db = open_database(db_path)
    if isinstance(db_path, Path):  # a shared database queues writers itself
        db.on_busy = waiting_note(db.path)
    try:
        return action(Services(db))
    finally:
        db.close()


#: Seconds between two "still waiting" lines.
WAIT_NOTE_EVERY_S = 30.0


def waiting_note(db_path: Path) -> Callable[[float], None]:
    """What a command says while its write waits for another copy's save (on stderr: the
    output may be piped): once at once, then every :data:`WAIT_NOTE_EVERY_S` seconds."""
    told: list[float] = []

    def note(waited: float) -> None:
        if told and waited - told[-1] < WAIT_NOTE_EVERY_S:
            return
        told.append(waited)
        if len(told) == 1:
            message = _("Another copy of Kankei Desktop is saving to {path}; waiting for it to "
                        "finish…").format(path=db_path)
        else:
            message = _("Still waiting for the other copy to finish saving ({seconds:.0f} s "
                        "so far; Ctrl+C stops waiting, nothing is changed then).").format(
                seconds=waited)
        print(message, file=sys.stderr, flush=True)

    return note


def report_import(run: Callable[[], Any]) -> int:
    """Run an import (spreadsheet or survey form): print its summary; or, when it is refused,
    the rows' problems and the sentence (exit 1)."""
    from kankei_desktop.imports.importer import ImportRejectedError

    try:
        summary = run()
    except ImportRejectedError as exc:
        for issue in exc.issues:
            print(str(issue), file=sys.stderr)
        return fail(exc.message)
    for line in summary.lines():
        print(line)
    return EXIT_OK


def fail(message: str) -> int:
    """Print ``message`` as an error sentence on stderr; return the error exit code."""
    print(_("Error: {message}").format(message=message), file=sys.stderr)
    return EXIT_ERROR
