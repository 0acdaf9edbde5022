"""What every ``kankei`` subcommand shares: exit codes, failing with a sentence, the services."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import Database, open_database
from kankei_desktop.core.storage.locations import location_of

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
    db: Database = open_database(db_path)
    try:
        return action(Services(db))
    finally:
        db.close()


def fail(message: str) -> int:
    """Print ``message`` as an error sentence on stderr; return the error exit code."""
    print(_("Error: {message}").format(message=message), file=sys.stderr)
    return EXIT_ERROR
