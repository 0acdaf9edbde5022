"""``kankei ics``: sessions to an iCalendar file for Outlook, Google Calendar and phones."""

from __future__ import annotations

import argparse
import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kankei_desktop.commands.common import (
    EXIT_OK,
    Handler,
    Location,
    SubParsers,
    fail,
    with_services,
)
from kankei_desktop.core.i18n import _

if TYPE_CHECKING:
    from kankei_desktop.core.services import Services


def register(commands: SubParsers) -> dict[str, Handler]:
    """Add ``ics``; return its handler."""
    ics = commands.add_parser(
        "ics", help=_("write sessions to an iCalendar (.ics) file for Outlook or Google"))
    ics.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                     help=_("the .ics file to write"))
    ics.add_argument("--club", metavar="NAME", help=_("only this club's sessions"))
    ics.add_argument("--from", dest="date_from", metavar="DATE",
                     help=_("first day (YYYY-MM-DD)"))
    ics.add_argument("--to", dest="date_to", metavar="DATE", help=_("last day (YYYY-MM-DD)"))
    return {"ics": _cmd_ics}


def parse_day(text: str | None, option: str) -> date | None:
    """``YYYY-MM-DD`` or None; ValueError with a sentence otherwise."""
    if text is None:
        return None
    try:
        if len(text.strip()) != 10:
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("{option} '{text}' is not a date; write it as YYYY-MM-DD, e.g. "
                           "2026-04-01.").format(option=option, text=text)) from None


def _cmd_ics(db_path: Location, args: argparse.Namespace) -> int:
    try:
        date_from = parse_day(args.date_from, "--from")
        date_to = parse_day(args.date_to, "--to")
    except ValueError as exc:
        return fail(str(exc))
    if date_from is not None and date_to is not None and date_from > date_to:
        return fail(_("--from ({start}) is after --to ({end}); swap them.").format(
            start=date_from.isoformat(), end=date_to.isoformat()))
    output: Path = args.output.expanduser()
    if output.is_dir():
        return fail(_("{path} is a folder; give a file name such as sessions.ics.").format(
            path=output))
    if not output.parent.is_dir():
        return fail(_("The folder {path} does not exist; create it or choose another place.")
                    .format(path=output.parent))

    from kankei_desktop.core.calendar.ical import to_ics

    def export(services: Services) -> int:
        club_id: uuid.UUID | None = None
        name = ""
        if args.club:
            club = services.clubs.find_by_name(args.club)
            if club is None:
                return fail(_("There is no club called '{name}'. `kankei list clubs` shows "
                              "the names.").format(name=args.club))
            club_id, name = club.id, club.name
        rows = services.calendar.export_rows(club_id=club_id, date_from=date_from,
                                             date_to=date_to)
        data = to_ics(rows, name)
        try:
            output.write_bytes(data)
        except OSError as exc:
            return fail(_("{path} could not be written ({detail}). Choose a place where you "
                          "may write.").format(path=output, detail=exc.strerror or exc))
        print(_("{count} sessions written to {path}.").format(count=len(rows), path=output))
        return EXIT_OK

    return with_services(db_path, export)
