"""Validation: every data row becomes a :class:`ParsedRow` or a list of :class:`ImportIssue`.

Nothing touches the database here, so the GUI can show the errors while the user corrects
the column mapping.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import codes
from kankei_desktop.core.japan.municipalities import MunicipalityEntry
from kankei_desktop.core.japan.text import search_key, split_full_name
from kankei_desktop.core.vocabulary import (
    AttendanceStatus,
    MeetingFormat,
    MeetingKind,
    PersonCategory,
    RegistrationStatus,
    RegistrationTier,
)
from kankei_desktop.imports.layout import Field, Layout, Mapping
from kankei_desktop.imports.reading import Cell, SheetRows
from kankei_desktop.imports.values import (
    CellError,
    parse_choice,
    parse_date,
    parse_flag,
    parse_municipality,
    parse_time,
    text_of,
)

_CellGetter = Callable[[Field], Cell]
_TextGetter = Callable[[Field], str]
_Problem = Callable[[Field, str], None]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LIMITS = {Field.CLUB: 200, Field.TITLE: 200, Field.ORGANIZATION: 200, Field.EMAIL: 200,
           Field.PHONE: 40, Field.ADDRESS: 300}


@dataclass(frozen=True)
class ImportIssue:
    """One problem: the row number the user sees in Excel, the column header and the reason."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("Row {row}, {column}: {reason}").format(
            row=self.row, column=self.column, reason=self.reason)


@dataclass
class ParsedRow:
    """One valid data row, normalised."""

    row: int
    family_name: str
    given_name: str = ""
    family_reading: str = ""
    given_reading: str = ""
    organization: str = ""
    category: str = PersonCategory.OTHER.value
    email: str = ""
    phone: str = ""
    notes: str = ""
    # attendance layout only
    date: date | None = None
    start: time | None = None
    end: time | None = None
    club: str = ""
    municipality: MunicipalityEntry | None = None
    title: str = ""
    kind: str = MeetingKind.SESSION.value
    format: str = MeetingFormat.ONLINE.value
    attendance: str = AttendanceStatus.ATTENDED.value
    designated: bool | None = None
    """担い手活動 (None: the file has no such column)."""
    # ふるさと住民登録 (issue 20): the person's residence and address, a registration
    residence: MunicipalityEntry | None = None
    postal_code: str = ""
    address: str = ""
    tier: str = RegistrationTier.BASIC.value
    registered_on: datetime.date | None = None
    renewal_due: datetime.date | None = None
    registration_status: str = RegistrationStatus.ACTIVE.value


@dataclass
class Validation:
    """The outcome of checking every row."""

    rows: list[ParsedRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    rejected: list[tuple[int, list[Cell], list[ImportIssue]]] = field(default_factory=list)
    """Invalid rows with their original cells (for the rejects file)."""


def validate(sheet: SheetRows, mapping: Mapping, layout: Layout) -> Validation:
    """Check every row after the header (attendance or people layout)."""
    result = Validation()
    columns = {field: index for index, field in enumerate(mapping.fields) if field is not None}
    cells_of: dict[int, list[Cell]] = {}
    for number, cells in sheet.rows[mapping.header_index + 1:]:
        issues: list[ImportIssue] = []
        parsed = _parse_row(number, cells, mapping, layout, issues, columns)
        if issues or parsed is None:
            result.issues.extend(issues)
            result.rejected.append((number, cells, issues))
        else:
            result.rows.append(parsed)
            cells_of[number] = cells
    _reject_disagreements(result, mapping, layout, cells_of)
    return result


def _person_key(row: ParsedRow) -> tuple[str, ...]:
    """The same person within one sheet: the e-mail when given, else name, reading and
    organisation (as the import matches people)."""
    if row.email:
        return ("@", search_key(row.email))
    return (search_key(row.family_name + row.given_name),
            search_key(row.family_reading + row.given_reading), search_key(row.organization))


def _reject_disagreements(result: Validation, mapping: Mapping, layout: Layout,
                          cells_of: dict[int, list[Cell]]) -> None:
    """Rows that contradict an earlier row: another 担い手活動 mark for the same session,
    another residence for the same person, the same registration twice."""
    present = mapping.present()
    sessions: dict[tuple[object, ...], ParsedRow] = {}
    residences: dict[tuple[str, ...], ParsedRow] = {}
    registrations: dict[tuple[object, ...], ParsedRow] = {}
    kept: list[ParsedRow] = []
    for row in result.rows:
        issues: list[ImportIssue] = []
        if layout is Layout.ATTENDANCE and Field.DESIGNATED in present:
            first = sessions.setdefault(
                (search_key(row.club), row.date, row.start, search_key(row.title)), row)
            if first.designated != row.designated:
                issues.append(ImportIssue(row.row, mapping.header_of(Field.DESIGNATED), _(
                    "row {first} marks the same session differently; all rows of one session "
                    "must agree").format(first=first.row)))
        if row.residence is not None:
            known = residences.setdefault(_person_key(row), row)
            if known.residence is not None and known.residence.code != row.residence.code:
                issues.append(ImportIssue(row.row, mapping.header_of(Field.RESIDENCE), _(
                    "row {first} gives this person another residence ({other})").format(
                        first=known.row, other=known.residence.name)))
        if layout is Layout.REGISTRATION and row.municipality is not None:
            earlier = registrations.setdefault(
                (*_person_key(row), row.municipality.code), row)
            if earlier is not row:
                issues.append(ImportIssue(row.row, mapping.header_of(Field.MUNICIPALITY), _(
                    "this person's registration with {municipality} is already on row "
                    "{first}").format(municipality=row.municipality.name, first=earlier.row)))
        if issues:
            result.issues.extend(issues)
            result.rejected.append((row.row, cells_of[row.row], issues))
        else:
            kept.append(row)
    result.rows = kept
    result.rejected.sort(key=lambda item: item[0])
    result.issues.sort(key=lambda issue: issue.row)


def _parse_row(
    number: int, cells: list[Cell], mapping: Mapping, layout: Layout,
    issues: list[ImportIssue], columns: dict[Field, int],
) -> ParsedRow | None:
    def cell(wanted: Field) -> Cell:
        column = columns.get(wanted)
        return cells[column] if column is not None and column < len(cells) else None

    def text(wanted: Field) -> str:
        value = text_of(cell(wanted))
        limit = _LIMITS.get(wanted)
        if limit is not None and len(value) > limit:
            problem(wanted, _("longer than {limit} characters").format(limit=limit))
        return value

    def problem(wanted: Field, reason: str) -> None:
        issues.append(ImportIssue(number, mapping.header_of(wanted), reason))

    family, given = _names(text(Field.NAME), text(Field.FAMILY_NAME), text(Field.GIVEN_NAME))
    if not family:
        name_field = Field.NAME if mapping.column_of(Field.NAME) is not None else Field.FAMILY_NAME
        problem(name_field, _("the name is empty"))
    family_reading, given_reading = _names(
        text(Field.READING), text(Field.FAMILY_READING), text(Field.GIVEN_READING))
    email = text(Field.EMAIL)
    if email and not _EMAIL.fullmatch(email):
        problem(Field.EMAIL, _("{value} is not an e-mail address").format(value=email))
    row = ParsedRow(
        row=number, family_name=family, given_name=given, family_reading=family_reading,
        given_reading=given_reading, organization=text(Field.ORGANIZATION), email=email,
        phone=text(Field.PHONE), notes=text(Field.NOTES),
    )
    try:
        row.category = parse_choice(PersonCategory, cell(Field.CATEGORY),
                                    PersonCategory.OTHER).value
    except CellError as exc:
        problem(Field.CATEGORY, str(exc))
    _parse_residence(row, cell, text, problem)
    if layout is Layout.ATTENDANCE:
        _parse_session(row, cell, text, problem)
        if mapping.column_of(Field.DESIGNATED) is not None:
            row.designated = parse_flag(cell(Field.DESIGNATED))
    if layout is Layout.REGISTRATION:
        _parse_registration(row, cell, text, problem)
    return row


def _parse_residence(row: ParsedRow, cell: _CellGetter, text: _TextGetter,
                     problem: _Problem) -> None:
    """居住自治体 (a municipality, not a prefecture), postal code and address."""
    try:
        row.residence = parse_municipality(cell(Field.RESIDENCE))
    except CellError as exc:
        problem(Field.RESIDENCE, str(exc))
    if row.residence is not None and row.residence.kind == "prefecture":
        problem(Field.RESIDENCE, _("{value} is a prefecture; write the municipality").format(
            value=row.residence.name))
    postal = text(Field.POSTAL_CODE)
    if postal:
        try:
            row.postal_code = codes.normalize_postal_code(postal)
        except ValueError:
            problem(Field.POSTAL_CODE, _("{value} is not a postal code (7 digits)").format(
                value=postal))
    row.address = text(Field.ADDRESS)


def _parse_registration(row: ParsedRow, cell: _CellGetter, text: _TextGetter,
                        problem: _Problem) -> None:
    """The municipality, 登録区分, 登録日, 更新期限 and 登録状況 of a registration list."""
    try:
        row.municipality = parse_municipality(cell(Field.MUNICIPALITY))
    except CellError as exc:
        problem(Field.MUNICIPALITY, str(exc))
    else:
        if row.municipality is None:
            problem(Field.MUNICIPALITY, _("the municipality is empty"))
        elif row.municipality.kind == "prefecture":
            problem(Field.MUNICIPALITY, _("{value} is a prefecture; people register with a "
                                          "municipality").format(value=row.municipality.name))
    if not text(Field.TIER):
        problem(Field.TIER, _("the registration tier is empty (ベーシック or プレミアム)"))
    for wanted, vocabulary, default, attribute in (
            (Field.TIER, RegistrationTier, RegistrationTier.BASIC, "tier"),
            (Field.REGISTRATION_STATUS, RegistrationStatus, RegistrationStatus.ACTIVE,
             "registration_status")):
        try:
            setattr(row, attribute, parse_choice(vocabulary, cell(wanted), default).value)
        except CellError as exc:
            problem(wanted, str(exc))
    try:
        row.registered_on = parse_date(cell(Field.REGISTERED_ON))
    except CellError as exc:
        problem(Field.REGISTERED_ON, _("the registration date is empty")
                if not text(Field.REGISTERED_ON) else str(exc))
    if text(Field.RENEWAL_DUE):
        try:
            row.renewal_due = parse_date(cell(Field.RENEWAL_DUE))
        except CellError as exc:
            problem(Field.RENEWAL_DUE, str(exc))
    if row.registered_on is not None and row.renewal_due is not None and \
            row.renewal_due <= row.registered_on:
        problem(Field.RENEWAL_DUE, _("the renewal date is not after the registration date"))
    if row.tier == RegistrationTier.PREMIUM.value and \
            row.registration_status == RegistrationStatus.ACTIVE.value and \
            row.residence is not None and row.municipality is not None and \
            row.residence.code == row.municipality.code:
        problem(Field.TIER, _("premium registration is not possible in the municipality of "
                              "residence"))


def _parse_session(row: ParsedRow, cell: _CellGetter, text: _TextGetter,
                   problem: _Problem) -> None:
    try:
        row.date = parse_date(cell(Field.DATE))
    except CellError as exc:
        problem(Field.DATE, _("the date is empty") if not text(Field.DATE) else str(exc))
    for wanted in (Field.START, Field.END):
        try:
            value = parse_time(cell(wanted))
        except CellError as exc:
            problem(wanted, str(exc))
            continue
        if wanted is Field.START:
            row.start = value
        else:
            row.end = value
    if row.start is not None and row.end is not None and row.end < row.start:
        problem(Field.END, _("the end is before the start"))
    row.club = text(Field.CLUB)
    if not row.club:
        problem(Field.CLUB, _("the club is empty"))
    row.title = text(Field.TITLE)
    if not row.title:
        problem(Field.TITLE, _("the session title is empty"))
    try:
        row.municipality = parse_municipality(cell(Field.MUNICIPALITY))
    except CellError as exc:
        problem(Field.MUNICIPALITY, str(exc))
    choices = (
        (Field.KIND, MeetingKind, MeetingKind.SESSION, "kind"),
        (Field.FORMAT, MeetingFormat, MeetingFormat.ONLINE, "format"),
        (Field.ATTENDANCE, AttendanceStatus, AttendanceStatus.ATTENDED, "attendance"),
    )
    for wanted, vocabulary, default, attribute in choices:
        try:
            setattr(row, attribute, parse_choice(vocabulary, cell(wanted), default).value)
        except CellError as exc:
            problem(wanted, str(exc))


def _names(full: str, family: str, given: str) -> tuple[str, str]:
    """姓・名 from separate columns, else the 氏名 cell split at the first space."""
    if family or given:
        return family, given
    return split_full_name(full) if full else ("", "")

