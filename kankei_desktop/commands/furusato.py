"""``kankei furusato …``: the ふるさと住民登録 status list, its settings, its export and the
designation of 担い手活動 (issue 20); ``kankei report activity-certificate`` is in
:mod:`.certificate`.
"""

from __future__ import annotations

import argparse
import json
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kankei_desktop.commands.common import (
    EXIT_OK,
    Handler,
    Location,
    SubParsers,
    fail,
    with_services,
)
from kankei_desktop.commands.texttable import render_table
from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.furusato.choices import PERIODS, SETTING_CAPTIONS
from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.core.storage.files import write_atomically
from kankei_desktop.core.vocabulary import RegistrationTier, label

if TYPE_CHECKING:  # the rest is imported when the command runs (kankei --help stays quick)
    from kankei_desktop.core.furusato.status import StatusReport
    from kankei_desktop.core.services import Services

#: Whole-number settings: (option, field).
_NUMBER_OPTIONS = (("--minimum-activities", "minimum_activities"),
                   ("--maximum-premium", "maximum_premium"),
                   ("--renewal-months", "renewal_months"),
                   ("--notice-days", "notice_days"))


def add_period_arguments(parser: argparse.ArgumentParser) -> None:
    """``--fy YEAR | --year YEAR | --from DATE --to DATE``."""
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--fy", type=int, metavar="YEAR",
                       help=_("fiscal year by the April it starts in (2026 = Reiwa 8)"))
    group.add_argument("--year", type=int, metavar="YEAR",
                       help=_("the year as the settings count it (the fiscal year by default)"))
    group.add_argument("--from", dest="date_from", metavar="DATE",
                       help=_("first day of the period (with --to), e.g. 2027-01-01"))
    parser.add_argument("--to", dest="date_to", metavar="DATE",
                        help=_("last day of the period (with --from)"))


def add_municipality_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--municipality", required=True, metavar="CODE",
                        help=_("the municipality's 6-digit local government code, e.g. 014524"))


def period_problem(args: argparse.Namespace) -> str | None:
    """A sentence when the period options do not make a period (checked before opening)."""
    year = args.fy if args.fy is not None else args.year
    if year is not None:
        if args.date_to is not None:
            return _("--to goes with --from, not with a year.")
        if not 1900 <= year <= 2200:
            return _("The year {year} is not plausible. Give the year of the April it starts "
                     "in, e.g. --fy 2026 for Reiwa 8.").format(year=year)
        return None
    if args.date_to is None:
        return _("Give the last day of the period with --to as well.")
    from kankei_desktop.imports.values import CellError, parse_date

    try:
        start, end = parse_date(args.date_from), parse_date(args.date_to)
    except CellError as exc:
        return _("{reason}. Write the date as YYYY-MM-DD, e.g. 2027-04-01.").format(
            reason=str(exc))
    if end < start:
        return _("The period ends ({end}) before it begins ({start}).").format(
            start=start.isoformat(), end=end.isoformat())
    return None


def resolve_period(services: Services, args: argparse.Namespace) -> tuple[date, date]:
    """The period asked for (``--fy``: 年度; ``--year``: as the settings count it)."""
    if args.fy is not None:
        return date(args.fy, 4, 1), date(args.fy + 1, 3, 31)
    if args.year is not None:
        return services.furusato.year_range(args.year)
    from kankei_desktop.imports.values import parse_date

    return parse_date(args.date_from), parse_date(args.date_to)


def checked_code(args: argparse.Namespace) -> str | None:
    """The normalised code, or None after printing the sentence."""
    from kankei_desktop.core.furusato.scope import normalized_code

    try:
        return normalized_code(args.municipality)
    except KankeiError as exc:
        fail(exc.message)
        return None


def register(commands: SubParsers) -> dict[str, Handler]:
    """Add ``furusato``; return its handler."""
    furusato = commands.add_parser(
        "furusato", help=_("ふるさと住民登録: registrations, designated activities, who qualifies"))
    actions = furusato.add_subparsers(dest="furusato_action", required=True, metavar="ACTION")
    status = actions.add_parser("status", help=_(
        "who is registered with a municipality or attended its designated activities, and "
        "who qualifies for premium"))
    add_municipality_argument(status)
    add_period_arguments(status)
    status.add_argument("--json", action="store_true", help=_("print one JSON object"))
    export = actions.add_parser("export", help=_("write the status list as .xlsx or .csv"))
    add_municipality_argument(export)
    add_period_arguments(export)
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help=_("the .xlsx or .csv file to write"))
    settings = actions.add_parser("settings", help=_(
        "show or change the rules' numbers kept in the file"))
    for option, _field in _NUMBER_OPTIONS:
        settings.add_argument(option, type=int, metavar="N")
    settings.add_argument("--period", choices=sorted(PERIODS),
                          help=_("count the activities per fiscal year or calendar year"))
    settings.add_argument("--json", action="store_true", help=_("print one JSON object"))
    designate = actions.add_parser("designate", help=_(
        "mark sessions as designated activities (担い手活動) of their host municipality"))
    which = designate.add_mutually_exclusive_group(required=True)
    which.add_argument("--meeting", metavar="ID", help=_("one session's id"))
    which.add_argument("--series", metavar="ID", help=_("every session of a repeating series"))
    which.add_argument("--club", metavar="NAME", help=_("every session of a club"))
    designate.add_argument("--off", action="store_true", help=_("remove the mark instead"))
    return {"furusato": _cmd_furusato}


def _cmd_furusato(db_path: Location, args: argparse.Namespace) -> int:
    action = args.furusato_action
    if action == "settings":
        return with_services(db_path, lambda services: _settings(services, args))
    if action == "designate":
        return with_services(db_path, lambda services: _designate(services, args))
    problem = period_problem(args)
    if problem:
        return fail(problem)
    code = checked_code(args)
    if code is None:
        return 1
    if action == "export":
        return with_services(db_path, lambda services: _export(services, args, code))
    return with_services(db_path, lambda services: _status(services, args, code))


def _status(services: Services, args: argparse.Namespace, code: str) -> int:
    start, end = resolve_period(services, args)
    report = services.furusato.status(code, start, end)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(_status_text(report))
    return EXIT_OK


def _status_text(report: StatusReport) -> str:
    settings = report.settings
    lines = [
        _("{municipality} ({code}), {start} – {end}").format(
            municipality=report.scope.full_name, code=report.scope.code,
            start=report.period_start.isoformat(), end=report.period_end.isoformat()),
        _("Premium needs at least {minimum} designated activities, a residence elsewhere and "
          "fewer than {maximum} premium registrations in other municipalities.").format(
              minimum=settings.minimum_activities, maximum=settings.maximum_premium),
        ngettext("{count} designated session held in the period.",
                 "{count} designated sessions held in the period.", report.sessions).format(
                     count=report.sessions),
    ]
    if not report.people:
        lines.append(_("Nobody is registered or attended a designated activity in this "
                       "period."))
        return "\n".join(lines)
    rows = [[person.name, person.residence or "-",
             label(RegistrationTier(person.tier)) if person.tier else "-",
             str(person.activities), _("Yes") if person.eligible_premium else _("No"),
             " ".join(person.reasons), person.person_id.hex] for person in report.people]
    table = render_table([_("Name"), _("Residence"), _("Registration"), _("Activities"),
                          _("Premium possible"), _("Why not"), _("ID")], rows)
    return "\n".join([*lines, "", table])


def _export(services: Services, args: argparse.Namespace, code: str) -> int:
    from kankei_desktop.commands.reports import check_output
    from kankei_desktop.reports.furusato_export import status_csv, status_workbook
    from kankei_desktop.reports.settings import load_cover

    output: Path = args.output.expanduser()
    problem = check_output(output, "furusato.xlsx")
    if problem is None and output.suffix.lower() not in (".xlsx", ".csv"):
        problem = _("{name} must end in .xlsx or .csv.").format(name=output.name)
    if problem:
        return fail(problem)
    start, end = resolve_period(services, args)
    report = services.furusato.status(code, start, end)
    year = args.fy if args.fy is not None else args.year
    data = status_csv(report) if output.suffix.lower() == ".csv" else status_workbook(
        report, load_cover(services).date_style, year)
    try:
        write_atomically(output, data)
    except OSError as exc:
        return fail(_("{path} could not be written ({detail}). Choose a place where you may "
                      "write.").format(path=output, detail=exc.strerror or exc))
    print(ngettext("{count} person written to {path}.", "{count} people written to {path}.",
                   len(report.people)).format(count=len(report.people), path=output))
    return EXIT_OK


def _settings(services: Services, args: argparse.Namespace) -> int:
    from kankei_desktop.core.furusato.period import year_label

    current = services.furusato.settings()
    changes: dict[str, Any] = {field: getattr(args, field) for _option, field
                                  in _NUMBER_OPTIONS if getattr(args, field) is not None}
    if args.period is not None:
        changes["period"] = args.period
    if changes:
        try:
            current = services.furusato.save_settings(replace(current, **changes))
        except KankeiError as exc:
            return fail(exc.message)
        print(_("Settings saved."))
    if args.json:
        print(json.dumps({name: getattr(current, name) for name, _caption in SETTING_CAPTIONS},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    rows = []
    for name, caption in SETTING_CAPTIONS:
        value = getattr(current, name)
        rows.append([_(caption), _(PERIODS[value]) if name == "period" else str(value)])
    print(render_table([_("Setting"), _("Value")], rows))
    print(_("Example: {label}").format(label=year_label(date.today().year, current.period)))
    return EXIT_OK


def _designate(services: Services, args: argparse.Namespace) -> int:
    designated = not args.off
    try:
        if args.meeting:
            changed = services.furusato.designate([_uuid(args.meeting)], designated)
        elif args.series:
            changed = services.furusato.designate_series(_uuid(args.series), designated)
        else:
            club = services.clubs.find_by_name(args.club)
            if club is None:
                return fail(_("There is no club called '{name}' in this file. 'kankei list "
                              "clubs' shows the names.").format(name=args.club))
            changed = services.furusato.designate_club(club.id, designated)
    except KankeiError as exc:
        return fail(exc.message)
    message = (ngettext("{count} session marked as a designated activity.",
                        "{count} sessions marked as designated activities.", changed)
               if designated else
               ngettext("{count} session is no longer a designated activity.",
                        "{count} sessions are no longer designated activities.", changed))
    print(message.format(count=changed))
    return EXIT_OK


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise KankeiError(_("'{id}' is not an id; give the id (32 hexadecimal digits) as "
                            "'kankei list meetings' prints it.").format(id=text)) from None
