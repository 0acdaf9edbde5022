"""A matching list (issue 17): one row per matching, read and matched like the attendance
import reads and matches its rows.

Columns (any order, Japanese or English headers, see :mod:`.layout`): 成立日; the party — a
person (氏名 or 姓/名, ふりがな, 所属, メール) or an organisation (団体); the host — 受入自治体
(a name or the 6-digit code) or 受入先 (an organisation; with both, 受入先 is the host and a
new 受入先 is placed in the 受入自治体); 種類; 状態 (empty: 成立 when a 成立日 is given, else
提案中); optional テーマ, クラブ, 終了日.

People and organisations are matched exactly as the attendance import matches them
(:class:`.plan.Planner`) and created when new; a club named but not in the file is created.
A matching's id derives from party, host, kind and 成立日, so importing the same list again
finds every row: a matching already in the file takes the row's 状態, テーマ, クラブ and 終了日
where the row gives them (nothing else); one deleted in the file stays deleted.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.municipalities import MunicipalityEntry
from kankei_desktop.core.japan.text import split_full_name
from kankei_desktop.core.models import Matching
from kankei_desktop.core.services.context import ServiceContext
from kankei_desktop.core.vocabulary import (
    MATCHING_MADE_STATUSES,
    MatchingKind,
    MatchingStatus,
    OrganizationKind,
    PersonCategory,
)
from kankei_desktop.core.writes.natural_ids import matching_uuid
from kankei_desktop.imports.layout import Field, Mapping
from kankei_desktop.imports.plan import Plan, Planner
from kankei_desktop.imports.reading import Cell, SheetRows
from kankei_desktop.imports.rows import Checked, ImportIssue, ParsedRow, Validation, tally
from kankei_desktop.imports.values import (
    CellError,
    parse_choice,
    parse_date,
    parse_municipality,
    text_of,
)

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LIMITS = {Field.PARTY_ORGANIZATION: 200, Field.HOST_ORGANIZATION: 200, Field.ORGANIZATION: 200,
           Field.CLUB: 200, Field.THEME: 300, Field.EMAIL: 200}
_MADE = {status.value for status in MATCHING_MADE_STATUSES}


@dataclass
class MatchingRow(ParsedRow):
    """One valid row of a matching list (the person's fields are :class:`ParsedRow`'s; an
    organisation's matching leaves them empty)."""

    party_organization: str = ""
    host_municipality: MunicipalityEntry | None = None
    host_organization: str = ""
    kind: str = MatchingKind.OTHER.value
    status: str = MatchingStatus.MADE.value
    made_on: date | None = None
    ended_on: date | None = None
    theme: str = ""
    status_given: bool = False
    """The 状態 cell was filled (an empty one does not change a matching already in the
    file)."""

    @property
    def is_person(self) -> bool:
        """The party is a person (else an organisation)."""
        return bool(self.family_name)


def validate_matchings(sheet: SheetRows, mapping: Mapping) -> Validation:
    """Check every row of a matching list (counts and the first problems kept; the rows are
    read again to import them, as every import does)."""
    return tally(lambda: _check(sheet, mapping))


def _check(sheet: SheetRows, mapping: Mapping) -> Iterator[Checked]:
    columns = {wanted: index for index, wanted in enumerate(mapping.fields)
               if wanted is not None}
    rows = sheet.all_rows()
    for _skipped in zip(range(mapping.header_index + 1), rows, strict=False):
        pass
    for number, cells in rows:
        issues: list[ImportIssue] = []
        parsed = _parse(number, cells, mapping, columns, issues)
        yield number, cells, (None if issues else parsed), issues


def _parse(number: int, cells: list[Cell], mapping: Mapping, columns: dict[Field, int],
           issues: list[ImportIssue]) -> MatchingRow:
    def cell(wanted: Field) -> Cell:
        column = columns.get(wanted)
        return cells[column] if column is not None and column < len(cells) else None

    def problem(wanted: Field, reason: str) -> None:
        issues.append(ImportIssue(number, mapping.header_of(wanted), reason))

    def text(wanted: Field) -> str:
        value = text_of(cell(wanted))
        limit = _LIMITS.get(wanted)
        if limit is not None and len(value) > limit:
            problem(wanted, _("longer than {limit} characters").format(limit=limit))
        return value

    family, given = _names(text(Field.NAME), text(Field.FAMILY_NAME), text(Field.GIVEN_NAME))
    family_reading, given_reading = _names(
        text(Field.READING), text(Field.FAMILY_READING), text(Field.GIVEN_READING))
    row = MatchingRow(row=number, family_name=family, given_name=given,
                      family_reading=family_reading, given_reading=given_reading,
                      organization=text(Field.ORGANIZATION), email=text(Field.EMAIL),
                      party_organization=text(Field.PARTY_ORGANIZATION),
                      host_organization=text(Field.HOST_ORGANIZATION),
                      theme=text(Field.THEME))
    row.club = text(Field.CLUB)
    name_field = Field.NAME if mapping.column_of(Field.NAME) is not None else Field.FAMILY_NAME
    if family and row.party_organization:
        problem(Field.PARTY_ORGANIZATION, _(
            "give either the person (氏名) or the organisation (団体) matched, not both; a "
            "person's own organisation goes in 所属"))
    elif not family and not row.party_organization:
        problem(name_field if mapping.column_of(name_field) is not None
                else Field.PARTY_ORGANIZATION,
                _("nobody matched: write the person (氏名) or the organisation (団体)"))
    elif not family and (given or family_reading or given_reading):
        problem(name_field, _("the family name is empty"))
    if row.email and not _EMAIL.fullmatch(row.email):
        problem(Field.EMAIL, _("{value} is not an e-mail address").format(value=row.email))
    try:
        row.category = parse_choice(PersonCategory, cell(Field.CATEGORY),
                                    PersonCategory.OTHER).value
    except CellError as exc:
        problem(Field.CATEGORY, str(exc))
    try:
        row.host_municipality = parse_municipality(cell(Field.HOST_MUNICIPALITY))
    except CellError as exc:
        problem(Field.HOST_MUNICIPALITY, str(exc))
    else:
        if row.host_municipality is None and not row.host_organization:
            problem(Field.HOST_MUNICIPALITY if mapping.column_of(Field.HOST_MUNICIPALITY)
                    is not None else Field.HOST_ORGANIZATION,
                    _("the host is empty: write the 受入自治体 or the 受入先"))
    _parse_matching(row, cell, text, problem)
    return row


def _parse_matching(row: MatchingRow, cell: Callable[[Field], Cell], text: Callable[[Field], str],
                    problem: Callable[[Field, str], None]) -> None:
    for wanted, attribute in ((Field.MADE_ON, "made_on"), (Field.ENDED_ON, "ended_on")):
        if text(wanted):
            try:
                setattr(row, attribute, parse_date(cell(wanted)))
            except CellError as exc:
                problem(wanted, str(exc))
    if not text(Field.MATCHING_KIND):
        problem(Field.MATCHING_KIND, _("the kind is empty"))
    else:
        try:
            row.kind = parse_choice(MatchingKind, cell(Field.MATCHING_KIND),
                                    MatchingKind.OTHER).value
        except CellError as exc:
            problem(Field.MATCHING_KIND, str(exc))
    default = MatchingStatus.MADE if text(Field.MADE_ON) else MatchingStatus.PROPOSED
    row.status_given = bool(text(Field.MATCHING_STATUS))
    try:
        row.status = parse_choice(MatchingStatus, cell(Field.MATCHING_STATUS), default).value
        status_known = True
    except CellError as exc:
        problem(Field.MATCHING_STATUS, str(exc))
        status_known = False
    if status_known and row.status in _MADE and not text(Field.MADE_ON):
        problem(Field.MADE_ON, _("the date made is empty (a matching that was made needs it)"))
    if row.made_on is not None and row.ended_on is not None and row.ended_on < row.made_on:
        problem(Field.ENDED_ON, _("the date ended is before the date made"))
    if row.kind == MatchingKind.AGREEMENT.value and row.is_person:
        problem(Field.MATCHING_KIND, _(
            "a partnership agreement is made between organisations: write the organisation "
            "in 団体, not a person"))


def _names(full: str, family: str, given: str) -> tuple[str, str]:
    """姓・名 from separate columns, else the 氏名 cell split at the first space."""
    if family or given:
        return family, given
    return split_full_name(full) if full else ("", "")


@dataclass
class MatchingPlan:
    """What importing a matching list writes: new people, organisations and clubs, new
    matchings, and the changes to matchings already in the file."""

    plan: Plan
    matchings: list[dict[str, object]] = field(default_factory=list)
    updates: list[tuple[Matching, dict[str, object]]] = field(default_factory=list)

    def insert(self, session: Session, context: ServiceContext) -> None:
        """Write everything (inside the caller's transaction)."""
        self.plan.insert(session, context.writes)
        context.writes.insert_many(session, Matching, self.matchings)
        for row, values in self.updates:
            context.writes.change(row, values)


def plan_matchings(session: Session, context: ServiceContext, rows: list[ParsedRow],
                   today: date) -> MatchingPlan:
    """Find or plan every person, organisation, club and matching the rows describe."""
    planner = Planner(session, context, today)
    result = MatchingPlan(planner.plan)
    seen: set[uuid.UUID] = set()
    for parsed in rows:
        assert isinstance(parsed, MatchingRow)
        party = planner.person(parsed) if parsed.is_person \
            else planner.organization(parsed.party_organization)
        assert party is not None
        host = _host(planner, parsed)
        club = planner.club(parsed.club, None) if parsed.club else None
        row_id = matching_uuid(party, host, parsed.kind, parsed.made_on)
        if row_id in seen:
            continue  # the same matching twice in the file: the first row counts
        seen.add(row_id)
        existing = session.get(Matching, row_id)
        if existing is None:
            result.matchings.append(context.writes.new_values(
                "matching", id=row_id, kind=parsed.kind, status=parsed.status,
                person_id=party if parsed.is_person else None,
                organization_id=None if parsed.is_person else party, host_id=host,
                theme=parsed.theme, club_id=club, meeting_id=None, made_on=parsed.made_on,
                ended_on=parsed.ended_on, note=""))
            continue
        if existing.deleted_at is not None:
            continue  # deleted in the file: an import does not bring it back
        values: dict[str, object] = {"status": parsed.status} if parsed.status_given else {}
        for name, value in (("theme", parsed.theme), ("club_id", club),
                            ("ended_on", parsed.ended_on)):
            if value:
                values[name] = value
        changed = {name: value for name, value in values.items()
                   if getattr(existing, name) != value}
        if changed:
            result.updates.append((existing, changed))
    planner.finish()
    return result


def _host(planner: Planner, row: MatchingRow) -> uuid.UUID:
    """The host: the 受入先 organisation (a new one placed in the 受入自治体), else the
    受入自治体."""
    town = planner.municipality(row.host_municipality) if row.host_municipality else None
    if not row.host_organization:
        assert town is not None  # validated
        return town
    before = len(planner.plan.organizations)
    host = planner.organization(row.host_organization)
    assert host is not None
    if town is not None and len(planner.plan.organizations) > before:
        new = planner.plan.organizations[-1]
        if new["id"] == host and new["kind"] == OrganizationKind.COMPANY.value:
            new["municipality_id"] = town
    return host
