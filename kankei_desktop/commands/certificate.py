"""``kankei report activity-certificate``: the 活動実績証明書 of one person, or of everyone who
qualifies for premium (one PDF, or one file per person with ``--per-person``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from kankei_desktop.commands.common import EXIT_OK, Location, SubParsers, fail, with_services
from kankei_desktop.commands.furusato import (
    add_municipality_argument,
    add_period_arguments,
    checked_code,
    period_problem,
    resolve_period,
)
from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.core.storage.files import write_atomically

if TYPE_CHECKING:  # reportlab and the services load when the command runs
    from kankei_desktop.core.services import Services

KIND = "activity-certificate"


def register_certificate(kinds: SubParsers) -> None:
    """Add ``report activity-certificate``."""
    parser = kinds.add_parser(KIND, help=_(
        "certificate of the designated activities (担い手活動) a person attended"))
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", metavar="ID", help=_(
        "the person's id (as 'kankei furusato status --json' prints it)"))
    who.add_argument("--eligible", action="store_true", help=_(
        "everyone who qualifies for premium registration in the period"))
    add_municipality_argument(parser)
    add_period_arguments(parser)
    parser.add_argument("--per-person", action="store_true", help=_(
        "with --eligible: one PDF per person in the folder given by -o"))
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help=_("the PDF file to write (a folder with --per-person)"))


def cmd_certificate(db_path: Location, args: argparse.Namespace) -> int:
    """Write the certificate(s) (exit 1 with one sentence on any problem)."""
    from kankei_desktop.commands.reports import check_output
    from kankei_desktop.reports.certificate import (
        certificate_data,
        eligible_certificates,
        join_pdfs,
        parse_person_id,
        render_certificate,
        write_per_person,
    )
    from kankei_desktop.reports.settings import load_cover

    problem = period_problem(args)
    output: Path = args.output.expanduser()
    if problem is None and args.per_person and not args.eligible:
        problem = _("--per-person goes with --eligible (one file per person who qualifies).")
    if problem is None and args.per_person:
        if output.exists() and not output.is_dir():
            problem = _("{path} is a file; give a folder for --per-person.").format(
                path=output)
        elif not output.parent.is_dir():
            problem = _("The folder {path} does not exist; create it or choose another "
                        "place.").format(path=output.parent)
    elif problem is None:
        problem = check_output(output, "certificate.pdf")
    if problem:
        return fail(problem)
    person_id = None
    if args.person:
        try:
            person_id = parse_person_id(args.person)
        except KankeiError as exc:
            return fail(exc.message)
    code = checked_code(args)
    if code is None:
        return 1

    def run(services: Services) -> int:
        cover = load_cover(services)
        try:
            start, end = resolve_period(services, args)
            if person_id is not None:
                data = [certificate_data(services, person_id, code, start, end)]
            else:
                data = eligible_certificates(services, code, start, end)
                if not data:
                    return fail(_("Nobody qualifies for premium registration with {code} in "
                                  "this period; no certificate was written.").format(code=code))
            documents = [render_certificate(item, cover) for item in data]
            if args.per_person:
                output.mkdir(exist_ok=True)
                written = write_per_person(output, data, documents)
                print(ngettext("{count} certificate written to {path}.",
                               "{count} certificates written to {path}.", len(written)).format(
                                   count=len(written), path=output))
                return EXIT_OK
            write_atomically(output, documents[0] if len(documents) == 1
                             else join_pdfs(documents))
        except KankeiError as exc:
            return fail(exc.message)
        except OSError as exc:
            return fail(_("{path} could not be written ({detail}). Choose a place where you "
                          "may write.").format(path=output, detail=exc.strerror or exc))
        if person_id is not None:
            print(_("Certificate of {name}: {count} designated activities, written to "
                    "{path}.").format(name=data[0].name, count=len(data[0].activities),
                                      path=output))
        else:
            print(ngettext("{count} certificate written to {path}.",
                           "{count} certificates written to {path}.", len(data)).format(
                               count=len(data), path=output))
        return EXIT_OK

    return with_services(db_path, run)



