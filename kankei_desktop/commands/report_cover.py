"""``kankei report cover``: show or set the annual report's cover fields and the year's texts.

The same settings the 報告書 page keeps in the file; ``kankei report annual`` refuses to
build a submission copy until :func:`~kankei_desktop.reports.settings.missing_fields` is
empty.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from kankei_desktop.commands.common import EXIT_OK, Location, SubParsers, fail, with_services
from kankei_desktop.core.i18n import N_, _
from kankei_desktop.reports.kinds import DATE_WAREKI, DATE_WESTERN

if TYPE_CHECKING:
    from kankei_desktop.core.services import Services
    from kankei_desktop.reports.settings import CoverSettings, ReportTexts

#: (option, CoverSettings field, caption) of every text field of the cover.
COVER_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--form-label", "form_label", N_("Form label")),
    ("--document-number", "document_number", N_("Document number")),
    ("--recipient", "recipient", N_("Addressed to")),
    ("--honorific", "honorific", N_("Honorific")),
    ("--address", "address", N_("Registered address")),
    ("--organisation", "organisation", N_("Organisation name")),
    ("--representative-title", "representative_title", N_("Representative's title")),
    ("--representative-name", "representative_name", N_("Representative's name")),
    ("--project-name", "project_name", N_("Project name")),
    ("--basis", "basis", N_("Basis (要綱・条)")),
    ("--contact-person", "contact_person", N_("Contact person")),
    ("--phone", "contact_phone", N_("Phone")),
    ("--email", "contact_email", N_("E-mail")),
)
TEXT_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--submission-date", "submission_date", N_("Date of submission")),
    ("--outcomes", "achievements", N_("Outcomes")),
    ("--challenges", "issues", N_("Challenges")),
    ("--next-steps", "next_steps", N_("Next steps")),
)


def register_cover(kinds: SubParsers) -> None:
    """Add ``report cover`` to the ``report`` subcommands."""
    cover = kinds.add_parser("cover", help=_("show or set the cover of the annual report"))
    for option, name, caption in COVER_OPTIONS:
        cover.add_argument(option, dest=f"cover_{name}", metavar="TEXT", help=_(caption))
    cover.add_argument("--seal", dest="cover_seal", action=argparse.BooleanOptionalAction,
                       help=_("print a seal box (印) beside the representative"))
    cover.add_argument("--date-style", dest="cover_date_style",
                       choices=[DATE_WAREKI, DATE_WESTERN],
                       help=_("dates in the body: Japanese era or Western"))
    cover.add_argument("--fy", type=int, metavar="YEAR",
                       help=_("the fiscal year whose texts to show or set"))
    for option, name, caption in TEXT_OPTIONS:
        cover.add_argument(option, dest=f"text_{name}", metavar="TEXT",
                           help=_("{caption} of the year given by --fy").format(
                               caption=_(caption)) + (" (YYYY-MM-DD)"
                                                      if name == "submission_date" else ""))


def cmd_cover(db_path: Location, args: argparse.Namespace) -> int:
    """Apply the options given, then print the cover (and the year's texts) and what is
    still missing."""
    changes = {name: value.strip() for _option, name, _caption in COVER_OPTIONS
               if (value := getattr(args, f"cover_{name}")) is not None}
    texts = {name: value.strip() for _option, name, _caption in TEXT_OPTIONS
             if (value := getattr(args, f"text_{name}")) is not None}
    day = texts.get("submission_date")
    if day:
        try:
            texts["submission_date"] = date.fromisoformat(day).isoformat()
        except ValueError:
            return fail(_("'{day}' is not a date; write it as YYYY-MM-DD, e.g. 2022-03-31.")
                        .format(day=day))
    if texts and args.fy is None:
        return fail(_("The texts belong to a fiscal year: add --fy, e.g. --fy 2021."))
    if args.fy is not None and not 1900 <= args.fy <= 2200:
        return fail(_("The fiscal year {year} is not plausible. Give the year of the April it "
                      "starts in, e.g. --fy 2021 for Reiwa 3.").format(year=args.fy))

    from kankei_desktop.reports.settings import load_cover, load_texts, save_cover, save_texts

    def run(services: Services) -> int:
        cover = load_cover(services)
        updated = replace(cover, **changes)
        if args.cover_seal is not None:
            updated = replace(updated, seal_box=args.cover_seal)
        if args.cover_date_style is not None:
            updated = replace(updated, date_style=args.cover_date_style)
        if updated != cover:
            save_cover(services, updated)
        year_texts: ReportTexts | None = None
        if args.fy is not None:
            year_texts = replace(load_texts(services, args.fy), **texts)
            if texts:
                save_texts(services, args.fy, year_texts)
        _print(updated, year_texts, args.fy)
        return EXIT_OK

    return with_services(db_path, run)


def _print(cover: CoverSettings, texts: ReportTexts | None, year: int | None) -> None:
    from kankei_desktop.reports.settings import missing_fields

    rows = [(_(caption), str(getattr(cover, name))) for _option, name, caption in COVER_OPTIONS]
    if texts is not None:
        rows += [(_(caption), getattr(texts, name)) for _option, name, caption in TEXT_OPTIONS]
    width = max(len(caption) for caption, _value in rows)
    for caption, value in rows:
        print(f"{caption.ljust(width, '　')}  {value or '-'}")
    missing = missing_fields(cover, texts, year)
    if missing:
        print(_("Still missing for the annual report: {fields}.").format(
            fields="、".join(missing)))
    elif texts is not None:
        print(_("The cover and the texts of this year are complete."))
    else:
        print(_("The cover is complete; add --fy YEAR to see that year's texts."))
