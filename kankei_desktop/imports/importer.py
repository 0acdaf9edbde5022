"""Import a spreadsheet: analyse (read, find the header, detect the layout, validate), then
apply everything in one transaction after a backup.

Used by the CLI (``kankei import``) and by File ▸ Import… in the window. The rows are never
all in memory: the analysis keeps counts and the first problems, and the import reads the
file again, matching and inserting a chunk of rows at a time inside its one transaction, so
memory stays flat however long the sheet is (a million rows: see benchmarks/README.md).
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice
from pathlib import Path

from sqlalchemy.orm import Session

from kankei_desktop.core.cell_text import spreadsheet_row
from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _, current_language, ngettext
from kankei_desktop.core.models import Meeting, Person, Registration
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.context import ServiceContext
from kankei_desktop.core.storage.backup import REASON_IMPORT, backup_before
from kankei_desktop.core.storage.database import raw_connection
from kankei_desktop.core.storage.failures import WritePath, refuse_if_damaged
from kankei_desktop.core.storage.private import open_private
from kankei_desktop.imports.layout import (
    JAPANESE_HEADERS,
    Field,
    Layout,
    Mapping,
    detect_layout,
    field_label,
    find_header,
    missing_fields,
)
from kankei_desktop.imports.matchings import MatchingPlan, plan_matchings, validate_matchings
from kankei_desktop.imports.plan import Plan, Planner, import_cache, plan_chunk
from kankei_desktop.imports.reading import ImportFileError, SheetRows, read_rows
from kankei_desktop.imports.registrations import plan_registration_chunk, renewal_months
from kankei_desktop.imports.rows import ImportIssue, ParsedRow, Validation, validate

Progress = Callable[[int, int], None]
"""``progress(done, total)``: how far the apply step is (steps of the work, not rows)."""


class ImportRejectedError(KankeiError):
    """Some rows are invalid and ``skip_invalid`` was not given: nothing was imported."""

    def __init__(self, issues: list[ImportIssue], rows: int | None = None) -> None:
        count = len({issue.row for issue in issues}) if rows is None else rows
        super().__init__(ngettext(
            "{count} row cannot be imported; nothing was imported. Correct it, or skip the "
            "invalid rows.",
            "{count} rows cannot be imported; nothing was imported. Correct them, or skip the "
            "invalid rows.", count,
        ).format(count=count))
        self.issues = issues
        """The first problems (all of them for a short sheet)."""


class NoHeaderError(ImportFileError):
    """No row names the columns; ``sheet`` lets the dialog offer the mapping by hand."""

    def __init__(self, message: str, sheet: SheetRows) -> None:
        super().__init__(message)
        self.sheet = sheet


def first_row_mapping(sheet: SheetRows) -> Mapping:
    """The first row as header, no column mapped yet."""
    cells = sheet.rows[0][1]
    return Mapping(0, ["" if cell is None else str(cell).strip() for cell in cells],
                   [None] * len(cells))


@dataclass
class Analysis:
    """A read and checked file, ready to import (or to show in the dialog)."""

    path: Path
    sheet: SheetRows
    mapping: Mapping
    layout: Layout
    validation: Validation

    @property
    def data_rows(self) -> int:
        """Rows after the header."""
        return self.validation.valid + self.validation.invalid


@dataclass
class ImportSummary:
    """What an import created (or would create, on a dry run)."""

    organizations: int = 0
    clubs: int = 0
    meetings: int = 0
    people: int = 0
    attendance: int = 0
    matchings: int = 0
    matchings_updated: int = 0
    matching_list: bool = False
    registrations: int = 0
    registrations_changed: int = 0
    designated: int = 0
    """Sessions marked 担い手活動 (new ones and matched ones designated now)."""
    residences: int = 0
    """Matched people whose residence was filled in."""
    residences_kept: int = 0
    valid_rows: int = 0
    skipped_rows: int = 0
    dry_run: bool = False
    rejects_path: Path | None = None
    backup_path: Path | None = None
    issues: list[ImportIssue] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as sentences for the terminal and the dialog."""
        head = (_("Dry run: nothing was changed. The import would create:") if self.dry_run
                else _("Import finished. Created:"))
        if self.matching_list:
            lines = [
                head,
                _("  matchings: {count}").format(count=self.matchings),
                _("  people: {count}").format(count=self.people),
                _("  organisations: {count}").format(count=self.organizations),
                _("  clubs: {count}").format(count=self.clubs),
                _("Matchings already in the file and updated: {count}").format(
                    count=self.matchings_updated),
            ]
        else:
            lines = [
                head,
                _("  clubs: {count}").format(count=self.clubs),
                _("  sessions: {count}").format(count=self.meetings),
                _("  people: {count}").format(count=self.people),
                _("  organisations: {count}").format(count=self.organizations),
                _("  attendance rows: {count}").format(count=self.attendance),
            ]
            lines += self._furusato_lines()
        lines.append(_("Rows read: {count}").format(count=self.valid_rows))
        if self.skipped_rows:
            lines.append(ngettext(
                "{count} invalid row was skipped.", "{count} invalid rows were skipped.",
                self.skipped_rows).format(count=self.skipped_rows))
        if self.rejects_path is not None:
            lines.append(_("The skipped rows, with the reason, are in {path}; correct them "
                           "there and import that file.").format(path=self.rejects_path))
        if self.backup_path is not None:
            lines.append(_("Backup taken before the import: {path}").format(
                path=self.backup_path))
        return lines

    def _furusato_lines(self) -> list[str]:
        """ふるさと住民登録 (issue 20): shown only when the file had such columns."""
        lines = []
        if self.registrations or self.registrations_changed:
            lines.append(_("  registrations: {count} new, {changed} changed").format(
                count=self.registrations, changed=self.registrations_changed))
        if self.designated:
            lines.append(_("  sessions marked as designated activities: {count}").format(
                count=self.designated))
        if self.residences:
            lines.append(_("  residences filled in for people already recorded: {count}")
                         .format(count=self.residences))
        if self.residences_kept:
            lines.append(ngettext(
                "{count} person already had another residence; it was kept (change it on the "
                "person's page).",
                "{count} people already had another residence; it was kept (change it on the "
                "person's page).", self.residences_kept).format(count=self.residences_kept))
        return lines


def header_name(wanted: Field) -> str:
    """「日付」 in Japanese; 「Date (日付)」 in English."""
    japanese = JAPANESE_HEADERS[wanted]
    return japanese if current_language() == "ja" else f"{field_label(wanted)} ({japanese})"


def analyse(path: Path, fields: list[Field | None] | None = None) -> Analysis:
    """Read ``path``, find its header row and layout, and validate every row.

    ``fields`` overrides the detected column mapping (the dialog's combos).
    Raises :class:`ImportFileError` for an unreadable file, an unknown layout or missing
    required columns.
    """
    sheet = read_rows(path)
    mapping = find_header(sheet.rows)
    if mapping is None and fields is not None and sheet.rows:
        mapping = first_row_mapping(sheet)  # the user said by hand what each column holds
    if mapping is None:
        raise NoHeaderError(_(
            "No header row was found in {name}: one of the first rows must name the columns, "
            "including a name column (氏名, or 姓 and 名). Choose what each column means, or "
            "save the template and copy your data into it.").format(name=path.name), sheet)
    if fields is not None:
        padded = list(fields) + [None] * (len(mapping.fields) - len(fields))
        mapping = replace(mapping, fields=padded[: len(mapping.fields)])
    layout = detect_layout(mapping)
    missing = missing_fields(mapping, layout)
    if missing:
        raise ImportFileError(_(
            "{name} has no column for: {columns}. Add these columns (with a header) and try "
            "again.").format(name=path.name, columns=", ".join(header_name(f) for f in missing)))
    if layout is Layout.MATCHING:
        validation = validate_matchings(sheet, mapping)
    else:
        validation = validate(sheet, mapping, layout) if layout is not Layout.ZOOM \
            else Validation()
    return Analysis(path, sheet, mapping, layout, validation)


def rejects_path_for(path: Path) -> Path:
    """``<name>-rejected.csv`` next to the input."""
    return path.with_name(f"{path.stem}-rejected.csv")


def write_rejects(analysis: Analysis) -> Path:
    """Write the invalid rows (original cells plus a reason column) as a CSV Excel opens.

    The file is read again for them; text cells that a spreadsheet would run as formulas are
    written neutralised (``core.cell_text``) and come back as typed when imported.
    """
    target = rejects_path_for(analysis.path)
    reason_header = _("Reason")
    with open_private(target, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(spreadsheet_row([*analysis.mapping.headers, _("Row"), reason_header]))
        width = len(analysis.mapping.headers)
        for number, cells, parsed, issues in analysis.validation.check_again():
            if parsed is not None:
                continue
            values = ["" if cell is None else str(cell) for cell in cells[:width]]
            values += [""] * (width - len(values))
            reason = " / ".join(f"{issue.column}: {issue.reason}" for issue in issues)
            writer.writerow(spreadsheet_row([*values, number, reason]))
    return target


def run_import(
    services: Services,
    analysis: Analysis,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import the analysed file (attendance, people, matching or registration layout).

    All or nothing: raises :class:`ImportRejectedError` when a row is invalid and
    ``skip_invalid`` is false. A dry run plans everything and changes nothing. The import is
    one undoable action.
    """
    if analysis.layout is Layout.ZOOM:
        raise ImportFileError(_(
            "{name} is a Zoom participant report. Import it onto its session with File ▸ "
            "Import… in the window (choose the session there).").format(name=analysis.path.name))
    validation = analysis.validation
    if validation.invalid and not skip_invalid:
        raise ImportRejectedError(validation.issues, validation.invalid)
    report = progress or (lambda _done, _total: None)
    today = today or date.today()
    matching = analysis.layout is Layout.MATCHING
    summary = ImportSummary(valid_rows=validation.valid, skipped_rows=validation.invalid,
                            dry_run=dry_run, issues=list(validation.issues),
                            matching_list=matching)
    context = services.context
    steps = validation.valid + 2
    report(0, steps)
    if dry_run:
        with context.reading() as session:
            if matching:  # a list of matchings is short: planned in one go
                _count_matchings(plan_matchings(session, context, validation.rows, today),
                                 summary)
            else:
                planner = Planner(session, context, today)
                _plan_in_chunks(planner,
                                _chunk_planning(analysis.layout, session, context, planner),
                                validation, summary, report, steps, write=None)
            session.rollback()
        report(steps, steps)
        return summary
    if not services.database.shared:  # a shared database is the server's to back up
        with context.reading() as session:  # never start writing into a damaged file
            refuse_if_damaged(raw_connection(session), services.database.path,
                              WritePath.IMPORT)
        summary.backup_path = backup_before(services.database.path, REASON_IMPORT)
    report(1, steps)
    label = _("Import of {name}").format(name=analysis.path.name)
    with context.action(label), context.transaction() as session:
        if matching:
            matchings = plan_matchings(session, context, validation.rows, today)
            matchings.insert(session, context)
            _count_matchings(matchings, summary)
        else:
            planner = Planner(session, context, today)
            with import_cache(session):  # kept across the chunks, not shrunk after each
                _plan_in_chunks(planner,
                                _chunk_planning(analysis.layout, session, context, planner),
                                validation, summary, report, steps,
                                write=lambda plan: plan.insert(session, context.writes))
    if validation.invalid:
        summary.rejects_path = write_rejects(analysis)
    report(steps, steps)
    return summary


#: Rows matched and inserted at a time (memory is per chunk, not per file).
CHUNK_ROWS = 5_000


def _chunk_planning(layout: Layout, session: Session, context: ServiceContext,
                    planner: Planner) -> Callable[[list[ParsedRow]], None]:
    """How one chunk of ``layout``'s rows is matched and planned."""
    if layout is Layout.REGISTRATION:
        months = renewal_months(session)
        seen: set[uuid.UUID] = set()
        return lambda chunk: plan_registration_chunk(
            session, context, planner, chunk, renewal_months=months, seen=seen)
    prefetched: set[uuid.UUID] = set()
    attendance = layout is Layout.ATTENDANCE
    return lambda chunk: plan_chunk(planner, chunk, attendance=attendance,
                                    prefetched=prefetched)


def _plan_in_chunks(planner: Planner, plan_rows: Callable[[list[ParsedRow]], None],
                    validation: Validation, summary: ImportSummary, report: Progress,
                    steps: int, write: Callable[[Plan], None] | None) -> None:
    """Plan (and ``write``, unless a dry run) the valid rows a chunk at a time."""
    rows = validation.parsed()
    done = 0
    while chunk := list(islice(rows, CHUNK_ROWS)):
        plan_rows(chunk)
        plan = planner.finish_chunk(written=write is not None)
        if write is not None:
            write(plan)
        _count(plan, summary)
        done += len(chunk)
        report(1 + done, steps)
    if done != validation.valid:  # the file was read again: it must be the one checked
        raise ImportFileError(_(
            "The file changed while it was being imported ({count} valid rows instead of "
            "{expected}), so nothing was imported. Check it again, then import it.").format(
                count=done, expected=validation.valid))


def _count_matchings(plan: MatchingPlan, summary: ImportSummary) -> None:
    _count(plan.plan, summary)
    summary.matchings = len(plan.matchings)
    summary.matchings_updated = len(plan.updates)


def _count(plan: Plan, summary: ImportSummary) -> None:
    summary.organizations += len(plan.organizations)
    summary.clubs += len(plan.clubs)
    summary.meetings += len(plan.meetings)
    summary.people += len(plan.people)
    summary.attendance += len(plan.attendance)
    summary.registrations += len(plan.registrations)
    summary.registrations_changed += plan.count_updates(Registration, "tier")
    summary.designated += plan.count_updates(Meeting, "designated") + sum(
        1 for row in plan.meetings if row.get("designated"))
    summary.residences += plan.count_updates(Person, "residence_id")
    summary.residences_kept += plan.kept_residences
