"""Zoom participant reports onto one chosen session.

Participants are merged (the same e-mail, or the same display name, joining twice is one
person; minutes are summed), then matched to people: a display name matched before (the
``zoom_alias`` table), the e-mail, then the normalised name or reading when exactly one person
has it. The user settles the rest by hand (choose a person, create one, or leave out); hand
choices are remembered for the next report. Everyone kept is marked 出席 on the session.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.field_limits import check_values
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import search_key, split_full_name
from kankei_desktop.core.models import Attendance, Meeting, Person, ZoomAlias
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.context import get_row, live
from kankei_desktop.core.vocabulary import AttendanceStatus, PersonCategory
from kankei_desktop.core.writes.natural_ids import attendance_uuid
from kankei_desktop.imports.importer import Analysis
from kankei_desktop.imports.layout import Field, Layout
from kankei_desktop.imports.reading import ImportFileError
from kankei_desktop.imports.values import CellError, parse_minutes, text_of

_PARENTHESISED = re.compile(r"^(.+?)\s*[(（].*[)）]\s*$")


class MatchKind(StrEnum):
    """How a participant was matched to a person."""

    REMEMBERED = "remembered"
    EMAIL = "email"
    NAME = "name"
    HAND = "hand"
    CREATE = "create"
    NONE = "none"


@dataclass
class ZoomParticipant:
    """One person in the report (joins merged)."""

    display_name: str
    email: str = ""
    minutes: int = 0
    joins: int = 0
    rows: list[int] = field(default_factory=list)
    person_id: uuid.UUID | None = None
    match: MatchKind = MatchKind.NONE
    candidates: list[uuid.UUID] = field(default_factory=list)
    """Several people with this name (namesakes): the user chooses."""

    @property
    def name_key(self) -> str:
        """The display name as compared (width, kana, case and spaces ignored)."""
        return search_key(self.display_name)


@dataclass
class ZoomSummary:
    """What a Zoom import did."""

    attended: int = 0
    created_people: int = 0
    left_out: int = 0
    remembered: int = 0

    def lines(self) -> list[str]:
        """The summary for the dialog."""
        return [
            _("Marked as attended: {count}").format(count=self.attended),
            _("People created: {count}").format(count=self.created_people),
            _("Left out: {count}").format(count=self.left_out),
        ]


def participants_of(analysis: Analysis) -> list[ZoomParticipant]:
    """The report's participants, joins of the same person merged, in report order."""
    if analysis.layout is not Layout.ZOOM:
        raise KankeiError(_("{name} is not a Zoom participant report.").format(
            name=analysis.path.name))
    columns = {f: i for i, f in enumerate(analysis.mapping.fields) if f is not None}

    def cell(cells: list[object], wanted: Field) -> object:
        index = columns.get(wanted)
        return cells[index] if index is not None and index < len(cells) else None

    merged: dict[str, ZoomParticipant] = {}
    by_email: dict[str, ZoomParticipant] = {}
    order: list[ZoomParticipant] = []
    rows = analysis.sheet.all_rows()
    for _header in zip(range(analysis.mapping.header_index + 1), rows, strict=False):
        pass
    for number, cells in rows:
        name = text_of(cell(cells, Field.NAME))
        email = text_of(cell(cells, Field.EMAIL))
        if not name and not email:
            continue
        _check_lengths(analysis, number, name, email)
        try:
            minutes = parse_minutes(cell(cells, Field.DURATION))
        except CellError:
            minutes = 0
        found = by_email.get(search_key(email)) if email else None
        if found is None:
            found = merged.get(search_key(name))
            if found is not None and email and found.email and \
                    search_key(found.email) != search_key(email):
                found = None  # the same display name with another address: someone else
        if found is None:
            found = ZoomParticipant(display_name=name or email, email=email)
            order.append(found)
            merged.setdefault(search_key(name), found)
        if email:
            by_email.setdefault(search_key(email), found)
            found.email = found.email or email
        found.minutes += minutes
        found.joins += 1
        found.rows.append(number)
    return order


def _check_lengths(analysis: Analysis, number: int, name: str, email: str) -> None:
    """A name or address longer than the fields it goes to refuses the report (with its row):
    the display name is remembered (``zoom_alias``), and may become a new person's name."""
    family, given = split_full_name(_name_variants(name)[-1])
    problems = [(Field.NAME, problem) for problem in check_values(
        "zoom_alias", {"display_name": name})]
    problems += [(Field.NAME if problem.field != "email" else Field.EMAIL, problem)
                 for problem in check_values("person", {"family_name": family,
                                                        "given_name": given, "email": email})]
    if problems:
        wanted, problem = problems[0]
        raise ImportFileError(_(
            "Row {row} of {name}, {column}: longer than {limit} characters. Shorten it in the "
            "report and try again; nothing was imported.").format(
                row=number, name=analysis.path.name, column=analysis.mapping.header_of(wanted),
                limit=problem.limit))


def match_participants(services: Services, participants: list[ZoomParticipant]) -> None:
    """Fill ``person_id``/``match`` where the file knows the participant."""
    with services.context.reading() as session:
        aliases = {alias.name_key: alias.person_id for alias in session.scalars(
            select(ZoomAlias).join(Person, Person.id == ZoomAlias.person_id)
            .where(live(Person)))}
        by_email: dict[str, uuid.UUID] = {}
        by_name: dict[str, list[uuid.UUID]] = {}
        for person_id, family, given, family_reading, given_reading, email in session.execute(
            select(Person.id, Person.family_name, Person.given_name, Person.family_reading,
                   Person.given_reading, Person.email).where(live(Person))
        ):
            if email:
                by_email.setdefault(search_key(email), person_id)
            for key in {search_key(family + given), search_key(family_reading + given_reading)}:
                if key:
                    by_name.setdefault(key, []).append(person_id)
    for participant in participants:
        participant.person_id, participant.match = None, MatchKind.NONE
        participant.candidates = []
        remembered = aliases.get(participant.name_key)
        if remembered is not None:
            participant.person_id, participant.match = remembered, MatchKind.REMEMBERED
            continue
        if participant.email and search_key(participant.email) in by_email:
            participant.person_id = by_email[search_key(participant.email)]
            participant.match = MatchKind.EMAIL
            continue
        for name in _name_variants(participant.display_name):
            found = sorted(set(by_name.get(search_key(name), [])))
            if len(found) == 1:
                participant.person_id, participant.match = found[0], MatchKind.NAME
                break
            if found:
                participant.candidates = found
                break


def _name_variants(display_name: str) -> list[str]:
    """The display name, and the part before 「（北斗商事）」 or 「(Taro Yamada)」."""
    variants = [display_name]
    match = _PARENTHESISED.match(display_name)
    if match is not None:
        variants.append(match[1])
    return variants


def apply_zoom(services: Services, meeting_id: uuid.UUID,
               participants: list[ZoomParticipant]) -> ZoomSummary:
    """Mark the matched participants 出席 on the session, in one transaction.

    ``match`` decides: a person (any kind but NONE/CREATE) is marked attended; CREATE makes a
    new person from the display name; NONE leaves the participant out. Hand matches and
    created people are remembered by display name.
    """
    context = services.context
    summary = ZoomSummary()
    title = services.meetings.get(meeting_id).title
    label = _("Zoom import into {title}").format(title=title)
    with context.action(label), context.transaction() as session:
        get_row(session, Meeting, meeting_id)
        done: set[uuid.UUID] = set()
        for participant in participants:
            if participant.match is MatchKind.CREATE:
                participant.person_id = _create_person(session, services, participant)
                summary.created_people += 1
            elif participant.match is MatchKind.NONE or participant.person_id is None:
                summary.left_out += 1
                continue
            person_id = participant.person_id
            assert person_id is not None
            if participant.match in (MatchKind.HAND, MatchKind.CREATE):
                _remember(session, services, participant, person_id)
                summary.remembered += 1
            if person_id in done:
                continue
            done.add(person_id)
            _mark_attended(session, services, meeting_id, person_id)
            summary.attended += 1
    return summary


def _create_person(session: Session, services: Services,
                   participant: ZoomParticipant) -> uuid.UUID:
    name = _name_variants(participant.display_name)[-1]
    family, given = split_full_name(name)
    person = Person(id=uuid.uuid4(), family_name=family, given_name=given, family_reading="",
                    given_reading="", category=PersonCategory.OTHER.value,
                    organization_id=None, job_title="", email=participant.email, phone="",
                    consent_date=None, notes="")
    services.context.writes.add(session, person)
    session.flush()
    return person.id


def _remember(session: Session, services: Services, participant: ZoomParticipant,
              person_id: uuid.UUID) -> None:
    key = participant.name_key
    if not key:
        return
    alias = session.get(ZoomAlias, key)
    if alias is None:
        session.add(ZoomAlias(name_key=key, display_name=participant.display_name,
                              person_id=person_id, updated_at=services.context.now()))
    else:
        alias.person_id = person_id
        alias.display_name = participant.display_name
        alias.updated_at = services.context.now()
    session.flush()


def _mark_attended(session: Session, services: Services, meeting_id: uuid.UUID,
                   person_id: uuid.UUID) -> None:
    services.context.writes.put(
        session, Attendance, attendance_uuid(meeting_id, person_id),
        {"status": AttendanceStatus.ATTENDED.value},
        keep={"meeting_id": meeting_id, "person_id": person_id, "note": ""})
    session.flush()
