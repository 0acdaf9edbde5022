"""``kankei report …`` (PDF documents) and ``kankei export xlsx`` (the tables for Excel)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from kankei_desktop.commands.certificate import KIND as CERTIFICATE
from kankei_desktop.commands.certificate import cmd_certificate, register_certificate
from kankei_desktop.commands.common import (
    EXIT_OK,
    Handler,
    Location,
    SubParsers,
    fail,
    with_services,
)
from kankei_desktop.commands.periods import (
    PeriodError,
    add_period_arguments,
    municipality_help,
    period_of,
)
from kankei_desktop.commands.report_cover import cmd_cover, register_cover
from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.core.storage.files import write_atomically
from kankei_desktop.reports.kinds import ReportKind, SheetKind

if TYPE_CHECKING:
    from kankei_desktop.core.services import Services
    from kankei_desktop.reports.documents import ReportRequest


def register(commands: SubParsers) -> dict[str, Handler]:
    """Add ``report`` and ``export``; return their handlers."""
    report = commands.add_parser("report", help=_("write a printable PDF report"))
    kinds = report.add_subparsers(dest="report_kind", required=True, metavar="DOCUMENT")
    annual = kinds.add_parser("annual", help=_("results report of a fiscal year, several "
                                                "fiscal years or any period"))
    add_period_arguments(annual)
    annual.add_argument("--municipality", metavar="CODE", help=municipality_help())
    annual.add_argument("--draft", action="store_true",
                        help=_("build it even if cover fields are missing, marked as a draft"))
    club = kinds.add_parser("club", help=_("activity report of one club for a fiscal year"))
    club.add_argument("--club", required=True, metavar="NAME", help=_("the club's name"))
    club.add_argument("--fy", type=int, required=True, metavar="YEAR",
                      help=_("fiscal year by the April it starts in (2021 = Reiwa 3)"))
    attendance = kinds.add_parser("attendance", help=_("attendance sheet of one session"))
    attendance.add_argument("--meeting", required=True, metavar="ID",
                            help=_("the session's id (UUID, with or without dashes)"))
    attendance.add_argument("--kind", choices=[kind.value for kind in SheetKind],
                            help=_("sign-in: sheet to sign before the session; record: who "
                                   "attended (default: record for a held session, else "
                                   "sign-in)"))
    month = kinds.add_parser("month", help=_("monthly schedule of sessions"))
    month.add_argument("--month", required=True, metavar="YYYY-MM",
                       help=_("the month, e.g. 2021-12"))
    survey_form = kinds.add_parser("survey-form",
                                   help=_("blank questionnaire of one session (to print)"))
    survey_form.add_argument("--meeting", required=True, metavar="ID",
                             help=_("the session's id (UUID, with or without dashes)"))
    for parser in (annual, club, attendance, month, survey_form):
        parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                            help=_("the PDF file to write"))
    register_cover(kinds)
    register_certificate(kinds)  # 活動実績証明書 (issue 20)
    export = commands.add_parser("export", help=_("write the report tables to a file"))
    formats = export.add_subparsers(dest="export_format", required=True, metavar="FORMAT")
    xlsx = formats.add_parser("xlsx", help=_("the tables of a fiscal year or any period as an "
                                             "Excel workbook"))
    add_period_arguments(xlsx)
    xlsx.add_argument("--municipality", metavar="CODE", help=municipality_help())
    xlsx.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                      help=_("the .xlsx file to write"))
    return {"report": _cmd_report, "export": _cmd_export}


def check_output(output: Path, example: str) -> str | None:
    """A sentence if ``output`` cannot be a file we write, else None."""
    if output.is_dir():
        return _("{path} is a folder; give a file name such as {example}.").format(
            path=output, example=example)
    if not output.parent.is_dir():
        return _("The folder {path} does not exist; create it or choose another place.").format(
            path=output.parent)
    if not os.access(output.parent, os.W_OK) or (output.exists()
                                                 and not os.access(output, os.W_OK)):
        return _("{path} cannot be written here. Choose a place where you may write.").format(
            path=output)
    return None


def _fy_problem(year: int) -> str | None:
    if 1900 <= year <= 2200:
        return None
    return _("The fiscal year {year} is not plausible. Give the year of the April it starts in, "
             "e.g. --fy 2021 for Reiwa 3.").format(year=year)


def _cmd_report(db_path: Location, args: argparse.Namespace) -> int:
    if args.report_kind == "cover":
        return cmd_cover(db_path, args)
    if args.report_kind == CERTIFICATE:
        return cmd_certificate(db_path, args)
    output: Path = args.output.expanduser()
    problem = check_output(output, "report.pdf")
    if problem is None and args.report_kind == ReportKind.ANNUAL.value:
        try:
            args.period = period_of(args)
        except PeriodError as exc:
            problem = exc.message
    elif problem is None and getattr(args, "fy", None) is not None:
        problem = _fy_problem(args.fy)
    from kankei_desktop.reports.documents import (
        IncompleteCoverError,
        build_report,
        parse_month,
    )

    if problem is None and args.report_kind == ReportKind.MONTH.value:
        try:
            parse_month(args.month)
        except KankeiError as exc:
            problem = exc.message
    if problem:
        return fail(problem)

    def run(services: Services) -> int:
        try:
            request = _request(services, args)
            built = build_report(services, request, draft=getattr(args, "draft", False))
        except IncompleteCoverError as exc:
            return fail(_(
                "The annual report is not ready to submit: {fields} not filled in. Set them "
                "with 'kankei report cover' (or on the Reports page), or add --draft to print "
                "a draft.").format(fields="、".join(exc.fields)))
        except KankeiError as exc:
            return fail(exc.message)
        try:
            write_atomically(output, built.pdf)
        except OSError as exc:
            return fail(_("{path} could not be written ({detail}). Choose a place where you "
                          "may write.").format(path=output, detail=exc.strerror or exc))
        print(ngettext("{title}: {pages} page written to {path}.",
                       "{title}: {pages} pages written to {path}.", built.page_count).format(
            title=built.title, pages=built.page_count, path=output))
        if built.draft:
            print(_("Every page is marked 「下書き」 (draft); it is not for submission."))
        return EXIT_OK

    return with_services(db_path, run)


def _request(services: Services, args: argparse.Namespace) -> ReportRequest:
    from kankei_desktop.reports.documents import ReportRequest, club_request

    kind = args.report_kind
    if kind == ReportKind.ANNUAL.value:
        if args.municipality:
            services.areas.by_code(args.municipality)
        return ReportRequest.annual(args.period, args.municipality)
    if kind == ReportKind.CLUB.value:
        return club_request(services, args.club, args.fy)
    if kind == ReportKind.ATTENDANCE.value:
        return ReportRequest(kind, meeting_id=args.meeting, sheet=args.kind)
    if kind == ReportKind.SURVEY_FORM.value:
        return ReportRequest(kind, meeting_id=args.meeting)
    return ReportRequest(kind, month=args.month)


def _cmd_export(db_path: Location, args: argparse.Namespace) -> int:
    from kankei_desktop.reports.excel import build_workbook

    output: Path = args.output.expanduser()
    problem = check_output(output, "figures.xlsx")
    if problem:
        return fail(problem)
    try:
        period = period_of(args)
    except PeriodError as exc:
        return fail(exc.message)

    def run(services: Services) -> int:
        try:
            area = services.areas.by_code(args.municipality) if args.municipality else None
            data = build_workbook(services, period, area)
            write_atomically(output, data)
        except KankeiError as exc:
            return fail(exc.message)
        except OSError as exc:
            return fail(_("{path} could not be written ({detail}). Choose a place where you "
                          "may write.").format(path=output, detail=exc.strerror or exc))
        print(_("The tables of {period} were written to {path}.").format(
            period=period.label(), path=output))
        return EXIT_OK

    return with_services(db_path, run)
