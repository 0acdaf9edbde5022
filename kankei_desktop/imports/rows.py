"""Validation: every data row becomes a :class:`ParsedRow` or a list of :class:`ImportIssue`.

Nothing touches the database here, so the GUI can show the errors while the user corrects
the column mapping.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, time

from kankei_desktop.core.field_limits import limit_of
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

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: The table field each column fills (its limit is that field's, ``core.field_limits``).
_STORED_IN: dict[Field, tuple[str, str]] = {
    Field.CLUB: ("club", "name"), Field.TITLE: ("meeting", "title"),
    Field.ORGANIZATION: ("organization", "name"), Field.EMAIL: ("person", "email"),
    Field.PHONE: ("person", "phone"), Field.NOTES: ("person", "notes"),
    Field.FAMILY_NAME: ("person", "family_name"), Field.GIVEN_NAME: ("person", "given_name"),
    Field.FAMILY_READING: ("person", "family_reading"),
    Field.GIVEN_READING: ("person", "given_reading"),
    Field.ADDRESS: ("person", "address"),
}
_LIMITS: dict[Field, int] = {
    wanted: limit for wanted, (table, name) in _STORED_IN.items()
    if (limit := limit_of(table, name)) is not None
}
#: A 氏名 or ふりがな cell is split into the family and given fields: each part must fit.
_PART_LIMIT = min(limit_of("person", "family_name") or 100,
                  limit_of("person", "given_name") or 100)


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


#: Problems kept to show (the count of all is kept besides): a sheet of a million bad rows
#: must not hold a million messages.
KEPT_ISSUES = 1000
#: One checked row: its number, its cells, the parsed row (None when invalid), its problems.
Checked = tuple[int, list[Cell], ParsedRow | None, list[ImportIssue]]


@dataclass
class Validation:
    """The outcome of checking every row: counts, the first problems, and the way to go
    through the rows again (the file is read again; nothing per row is kept)."""

    valid: int = 0
    invalid: int = 0
    issues: list[ImportIssue] = field(default_factory=list)
    """The first :data:`KEPT_ISSUES` problems (``issue_count`` counts them all)."""
    issue_count: int = 0
    checked: Callable[[], Iterator[Checked]] | None = None

    def check_again(self) -> Iterator[Checked]:
        """Every data row, checked again as it is read."""
        return self.checked() if self.checked is not None else iter(())

    def parsed(self) -> Iterator[ParsedRow]:
        """The valid rows, in file order."""
        return (parsed for _n, _c, parsed, _i in self.check_again() if parsed is not None)

    @property
    def rows(self) -> list[ParsedRow]:
        """The valid rows in a list (for small sheets and tests; imports stream them)."""
        return list(self.parsed())

    @property
    def rejected(self) -> list[tuple[int, list[Cell], list[ImportIssue]]]:
        """The invalid rows with their original cells (for small sheets and tests)."""
        return [(number, cells, issues) for number, cells, parsed, issues in self.check_again()
                if parsed is None]


def check_rows(sheet: SheetRows, mapping: Mapping, layout: Layout) -> Iterator[Checked]:
    """Every row after the header, checked (attendance, people or registration layout).

    A row that contradicts an earlier valid row (:class:`_Agreement`) is invalid too; the
    rows are always checked in file order, so every pass over the file agrees.
    """
    columns = {field: index for index, field in enumerate(mapping.fields) if field is not None}
    agreement = _Agreement(mapping, layout)
    rows = sheet.all_rows()
    for _skipped in zip(range(mapping.header_index + 1), rows, strict=False):
        pass
    for number, cells in rows:
        issues: list[ImportIssue] = []
        parsed = _parse_row(number, cells, mapping, layout, issues, columns)
        if not issues and parsed is not None:
            agreement.check(parsed, issues)
        yield number, cells, (None if issues else parsed), issues


def validate(sheet: SheetRows, mapping: Mapping, layout: Layout) -> Validation:
    """Check every row after the header, keeping the counts and the first problems."""
    return tally(lambda: check_rows(sheet, mapping, layout))


def tally(checked: Callable[[], Iterator[Checked]]) -> Validation:
    """Go through the rows ``checked`` yields once, keeping the counts and the first
    problems (any layout: the matching list checks its rows with its own parser)."""
    result = Validation(checked=checked)
    for _number, _cells, parsed, issues in checked():
        if parsed is None:
            result.invalid += 1
            result.issue_count += len(issues)
            room = KEPT_ISSUES - len(result.issues)
            if room > 0:
                result.issues.extend(issues[:room])
        else:
            result.valid += 1
    return result


def _person_key(row: ParsedRow) -> tuple[str, ...]:
    """The same person within one sheet: the e-mail when given, else name, reading and
    organisation (as the import matches people)."""
    if row.email:
        return ("@", search_key(row.email))
    return (search_key(row.family_name + row.given_name),
            search_key(row.family_reading + row.given_reading), search_key(row.organization))


class _Agreement:
    """Rows that contradict an earlier row (issue 20): another 担い手活動 mark for the same
    session, another residence for the same person, the same registration twice.

    One pass in file order: only the keys these checks need are kept (the sessions when the
    sheet has a 担い手活動 column, the people who have a residence, the registrations), never
    the rows, so a streamed import stays streamed.
    """

    def __init__(self, mapping: Mapping, layout: Layout) -> None:
        self._mapping = mapping
        self._layout = layout
        self._marks = layout is Layout.ATTENDANCE and Field.DESIGNATED in mapping.present()
        self._sessions: dict[tuple[object, ...], tuple[int, bool | None]] = {}
        self._residences: dict[tuple[str, ...], tuple[int, MunicipalityEntry]] = {}
        self._registrations: dict[tuple[str, ...], int] = {}

    def check(self, row: ParsedRow, issues: list[ImportIssue]) -> None:
        """Add the problems of ``row`` against the rows before it."""
        header = self._mapping.header_of
        if self._marks:
            first, designated = self._sessions.setdefault(
                (search_key(row.club), row.date, row.start, search_key(row.title)),
                (row.row, row.designated))
            if designated != row.designated:
                issues.append(ImportIssue(row.row, header(Field.DESIGNATED), _(
                    "row {first} marks the same session differently; all rows of one session "
                    "must agree").format(first=first)))
        if row.residence is not None:
            known_row, known = self._residences.setdefault(_person_key(row),
                                                           (row.row, row.residence))
            if known.code != row.residence.code:
                issues.append(ImportIssue(row.row, header(Field.RESIDENCE), _(
                    "row {first} gives this person another residence ({other})").format(
                        first=known_row, other=known.name)))
        if self._layout is Layout.REGISTRATION and row.municipality is not None:
            earlier = self._registrations.setdefault(
                (*_person_key(row), row.municipality.code), row.row)
            if earlier != row.row:
                issues.append(ImportIssue(row.row, header(Field.MUNICIPALITY), _(
                    "this person's registration with {municipality} is already on row "
                    "{first}").format(municipality=row.municipality.name, first=earlier)))


def _parse_row(
    number: int, cells: list[Cell], mapping: Mapping, layout: Layout,
    issues: list[ImportIssue], columns: dict[Field, int],
) -> ParsedRow | None:
    def cell(wanted: Field) -> Cell:
        column = columns.get(wanted)
        return cells[column] if column is not None and column < len(cells) else None

    def text(wanted: Field) -> str:
        raw = cell(wanted)
        value = text_of(raw)
        limit = _LIMITS.get(wanted)
        if limit is not None and len(value) > limit:
            problem(wanted, _("longer than {limit} characters").format(limit=limit))
        if isinstance(raw, str) and _CONTROL.search(raw):  # before they become spaces
            problem(wanted, _("contains control characters, which a spreadsheet cell never "
                              "holds (the file may be damaged)"))
        return value

    def problem(wanted: Field, reason: str) -> None:
        issues.append(ImportIssue(number, mapping.header_of(wanted), reason))

    def split(whole: Field, family_field: Field, given_field: Field) -> tuple[str, str]:
        """姓・名 from their own columns, else the whole cell split (each part must fit)."""
        full, family, given = text(whole), text(family_field), text(given_field)
        if family or given:
            return family, given
        parts = split_full_name(full) if full else ("", "")
        if max(map(len, parts)) > _PART_LIMIT:
            problem(whole, _("longer than {limit} characters").format(limit=_PART_LIMIT))
        return parts

    family, given = split(Field.NAME, Field.FAMILY_NAME, Field.GIVEN_NAME)
    if not family:
        name_field = Field.NAME if mapping.column_of(Field.NAME) is not None else Field.FAMILY_NAME
        problem(name_field, _("the name is empty"))
    family_reading, given_reading = split(Field.READING, Field.FAMILY_READING,
                                          Field.GIVEN_READING)
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
