"""``kankei survey import FILE --meeting ID`` (an online form's export) and ``kankei survey
summary`` (the results of a session, a club's year or the programme's)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from kankei_desktop.commands.common import (
    EXIT_OK,
    Handler,
    Location,
    SubParsers,
    fail,
    report_import,
    with_services,
)
from kankei_desktop.core.i18n import _

if TYPE_CHECKING:  # the rest is imported when the command runs (kankei --help stays quick)
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.surveys.results import SurveyResults
    from kankei_desktop.imports.surveys.form import FormSheet


def register(commands: SubParsers) -> dict[str, Handler]:
    """Add ``survey``; return its handler."""
    survey = commands.add_parser("survey", help=_("questionnaires: import answers, results"))
    actions = survey.add_subparsers(dest="survey_action", required=True, metavar="ACTION")
    imports = actions.add_parser(
        "import", help=_("import a Google Forms or Microsoft Forms export (.csv or .xlsx)"))
    imports.add_argument("file", type=Path, metavar="FILE",
                         help=_("the export of the form's responses (.csv or .xlsx)"))
    imports.add_argument("--meeting", required=True, metavar="ID",
                         help=_("the session's id (UUID, with or without dashes)"))
    imports.add_argument("--kind", action="append", metavar="N=KIND",
                         help=_("correct the kind of question N (1 = the first question): "
                                "scale, single, multiple or text; may be repeated"))
    imports.add_argument("--dry-run", action="store_true",
                         help=_("show what would be imported; change nothing"))
    imports.add_argument("--skip-invalid", action="store_true",
                         help=_("import the valid rows; write the invalid ones to a file to "
                                "fix"))
    summary = actions.add_parser("summary", help=_("the results per question"))
    summary.add_argument("--meeting", metavar="ID",
                         help=_("the session's id (UUID, with or without dashes)"))
    summary.add_argument("--fy", type=int, metavar="YEAR",
                         help=_("fiscal year by the April it starts in (2021 = Reiwa 3)"))
    summary.add_argument("--club", metavar="NAME", help=_("only this club (with --fy)"))
    summary.add_argument("--json", action="store_true", help=_("print one JSON object"))
    return {"survey": _cmd_survey}


def _cmd_survey(db_path: Location, args: argparse.Namespace) -> int:
    if args.survey_action == "import":
        from kankei_desktop.imports.surveys.analysis import parse_kinds
        from kankei_desktop.imports.surveys.form import read_form

        form = read_form(args.file)  # file problems fail before the database is opened
        kinds = parse_kinds(args.kind, len(form.questions))
        return with_services(db_path, lambda services: _import(services, form, kinds, args))
    if (args.meeting is None) == (args.fy is None):
        return fail(_("Give either --meeting ID (one session) or --fy YEAR (a fiscal year, "
                      "with --club NAME for one club)."))
    if args.fy is not None and not 1900 <= args.fy <= 2200:
        return fail(_("The fiscal year {year} is not plausible. Give the year of the April it "
                      "starts in, e.g. --fy 2021 for Reiwa 3.").format(year=args.fy))
    return with_services(db_path, lambda services: _summary(services, args))


def _import(services: Services, form: FormSheet, kinds: dict[int, str],
            args: argparse.Namespace) -> int:
    from kankei_desktop.imports.surveys.analysis import analyse_survey
    from kankei_desktop.imports.surveys.importer import run_survey_import

    meeting = services.surveys.meeting(args.meeting)
    analysis = analyse_survey(services, form, meeting.id, kinds)
    return report_import(lambda: run_survey_import(services, analysis, dry_run=args.dry_run,
                                                   skip_invalid=args.skip_invalid))


def _summary(services: Services, args: argparse.Namespace) -> int:
    from kankei_desktop.core.figures.scope import FigureFilter
    from kankei_desktop.core.japan.fiscal import fiscal_year_range

    if args.meeting is not None:
        meeting = services.surveys.meeting(args.meeting)
        results = services.surveys.meeting_results(meeting.id)
        title = f"{meeting.date:%Y-%m-%d} {meeting.title}"
    else:
        scope = FigureFilter()
        title = _("Fiscal year {year}").format(year=args.fy)
        if args.club:
            club = services.clubs.find_by_name(args.club)
            if club is None:
                return fail(_("There is no club called '{name}' in this file. 'kankei list "
                              "clubs' shows the names.").format(name=args.club))
            scope = FigureFilter(club_id=club.id)
            title = f"{title} {club.name}"
        start, end = fiscal_year_range(args.fy)
        results = services.surveys.period_results(start, end, scope)
    if args.json:
        print(json.dumps(results.as_json(), ensure_ascii=False, indent=2))
    else:
        print(render_results(title, results))
    return EXIT_OK


def render_results(title: str, results: SurveyResults) -> str:
    """The results as text for the terminal."""
    from kankei_desktop.core.vocabulary import QuestionKind, label

    rate = results.response_rate
    lines = [title, _("Responses: {responses}; attendees: {attendees}; response rate: {rate}")
             .format(responses=results.responses, attendees=results.attendees,
                     rate="-" if rate is None else f"{rate * 100:.1f}%")]
    if not results.questions:
        lines.append(_("This session has no questionnaire yet."))
    for number, question in enumerate(results.questions, start=1):
        lines.append("")
        lines.append(f"{number}. {question.text} [{label(QuestionKind(question.kind))}]")
        lines.append(_("   answered: {count}").format(count=question.answered))
        for option, count in question.counts.items():
            share = question.share(option)
            percent = "-" if share is None else f"{share * 100:.1f}%"
            lines.append(f"   {option}: {count} ({percent})")
        if question.mean is not None:
            lines.append(_("   mean: {mean:.2f}").format(mean=question.mean))
        lines.extend(f"   - {text.text}".replace("\n", "\n     ") for text in question.texts)
    return "\n".join(lines)
