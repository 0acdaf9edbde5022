"""``kankei import FILE [--dry-run] [--skip-invalid]``: bring existing sheets in."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from kankei_desktop.commands.common import (
    Handler,
    Location,
    SubParsers,
    report_import,
    with_services,
)
from kankei_desktop.core.i18n import _

if TYPE_CHECKING:
    from kankei_desktop.core.services import Services
    from kankei_desktop.imports.importer import Analysis


def register(commands: SubParsers) -> dict[str, Handler]:
    """Add ``import``; return its handler."""
    parser = commands.add_parser(
        "import", help=_("import attendance or people from an .xlsx or .csv file"))
    parser.add_argument("file", type=Path, metavar="FILE",
                        help=_("the .xlsx or .csv file (UTF-8 or Shift_JIS)"))
    parser.add_argument("--dry-run", action="store_true",
                        help=_("show what would be created; change nothing"))
    parser.add_argument("--skip-invalid", action="store_true",
                        help=_("import the valid rows; write the invalid ones to a file to fix"))
    return {"import": _cmd_import}


def _cmd_import(db_path: Location, args: argparse.Namespace) -> int:
    from kankei_desktop.imports.importer import analyse

    analysis = analyse(args.file)  # file problems fail before the database is opened
    return with_services(db_path, lambda services: _import(services, analysis, args))


def _import(services: Services, analysis: Analysis, args: argparse.Namespace) -> int:
    from kankei_desktop.imports.importer import run_import

    return report_import(lambda: run_import(services, analysis, dry_run=args.dry_run,
                                            skip_invalid=args.skip_invalid))
