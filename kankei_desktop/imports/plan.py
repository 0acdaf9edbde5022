"""Matching parsed rows with what the file already holds, and the new rows to insert.

Lookups are prefetched into dicts once, so 50,000 rows cost a few queries, not 50,000.
Matching rules (issue 8): a session is (club, date, start, title); a person is their e-mail
when given, else (name, reading, organisation), all compared through search keys (width,
kana, case and spaces ignored). Matching rows update nothing, with two additions that only
fill in (issue 20): a 担い手活動 mark designates a matched session that was not designated
yet, and a residence (postal code, address) is set on a matched person who has none. Nothing
already recorded is taken away or overwritten.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.japan.municipalities import MunicipalityEntry
from kankei_desktop.core.japan.text import search_key
from kankei_desktop.core.models import (
    Attendance,
    Club,
    Meeting,
    Organization,
    Person,
    Registration,
    Synced,
)
from kankei_desktop.core.services.context import ServiceContext, live
from kankei_desktop.core.vocabulary import MeetingStatus, OrganizationKind
from kankei_desktop.core.writes.bulk import IMPORT_CACHE_KIB, page_cache
from kankei_desktop.core.writes.gateway import WriteGateway
from kankei_desktop.core.writes.natural_ids import attendance_uuid, municipality_uuid
from kankei_desktop.imports.rows import ParsedRow
from kankei_desktop.imports.values import organization_municipality

_CHUNK = 500
PersonKey = tuple[str, str, uuid.UUID | None]


def person_key(family: str, given: str, family_reading: str, given_reading: str,
               organization_id: uuid.UUID | None) -> PersonKey:
    """(name, reading, organisation) as compared: spaces, width and kana ignored."""
    return (search_key(family + given), search_key(family_reading + given_reading),
            organization_id)


def email_key(email: str) -> str:
    """E-mail addresses compare case-insensitively."""
    return search_key(email)


Values = dict[str, Any]


@dataclass
class Plan:
    """New rows as column values, stamped and keyed like the services do it."""

    organizations: list[Values] = field(default_factory=list)
    clubs: list[Values] = field(default_factory=list)
    people: list[Values] = field(default_factory=list)
    meetings: list[Values] = field(default_factory=list)
    attendance: list[Values] = field(default_factory=list)
    revived: list[Organization] = field(default_factory=list)
    registrations: list[Values] = field(default_factory=list)
    updates: list[tuple[type[Synced], uuid.UUID, Values]] = field(default_factory=list)
    """Changes of rows already in the file (designations, residences, registrations)."""
    kept_residences: int = 0
    """Matched people whose recorded residence differs from the file's (kept as recorded)."""

    def count_updates(self, model: type[Synced], name: str) -> int:
        """How many planned changes of ``model`` set ``name``."""
        return sum(1 for kind, _row_id, values in self.updates
                   if kind is model and name in values)

    def insert(self, session: Session, writes: WriteGateway) -> None:
        """Insert every new row through the write gateway (one statement per table, foreign
        keys in order), then change the rows already there; the caller holds the import's
        larger page cache (:func:`import_cache`) for the whole transaction."""
        for model, rows in ((Organization, self.organizations), (Club, self.clubs),
                            (Person, self.people), (Meeting, self.meetings),
                            (Attendance, self.attendance),
                            (Registration, self.registrations)):
            writes.insert_many(session, model, rows)
        for kind, row_id, values in self.updates:
            row = session.get(kind, row_id)
            if row is not None:
                writes.revive(row)
                writes.change(row, values)


@contextmanager
def import_cache(session: Session) -> Iterator[None]:
    """The import's larger page cache for the whole transaction (kept across the chunks:
    shrinking it between them would throw the indexes out of memory)."""
    with page_cache(session, IMPORT_CACHE_KIB):
        yield


class Planner:
    """Finds or plans every organisation, club, person, session and attendance of a file."""

    def __init__(self, session: Session, context: ServiceContext, today: date) -> None:
        self._session = session
        self._ctx = context
        self._today = today
        self.plan = Plan()
        self._key: Callable[[str], str] = lru_cache(maxsize=65536)(search_key)
        self._orgs: dict[str, uuid.UUID] = {}
        self._lgcodes: dict[str, uuid.UUID] = {}
        for org_id, name, lgcode in session.execute(
            select(Organization.id, Organization.name, Organization.lgcode)
            .where(live(Organization)).order_by(Organization.created_at)
        ):
            self._orgs.setdefault(search_key(name), org_id)
            if lgcode:
                self._lgcodes.setdefault(lgcode, org_id)
        self._clubs: dict[str, uuid.UUID] = {}
        self._club_marks: set[uuid.UUID] = set()  # clubs whose sessions are 担い手活動
        for club_id, name, marks in session.execute(
            select(Club.id, Club.name, Club.designates_activities).where(live(Club))
            .order_by(Club.created_at)
        ):
            self._clubs.setdefault(search_key(name), club_id)
            if marks:
                self._club_marks.add(club_id)
        self._new_clubs: set[uuid.UUID] = set()
        self._by_email: dict[str, uuid.UUID] = {}
        self._by_name: dict[PersonKey, tuple[uuid.UUID, str]] = {}
        #: The residence of each person who has one (issue 20).
        self._residences: dict[uuid.UUID, uuid.UUID] = {}
        for person in session.execute(
            select(Person.id, Person.family_name, Person.given_name, Person.family_reading,
                   Person.given_reading, Person.organization_id, Person.email,
                   Person.residence_id)
            .where(live(Person)).order_by(Person.created_at)
        ):
            self._remember_person(person.id, person_key(
                person.family_name, person.given_name, person.family_reading,
                person.given_reading, person.organization_id), person.email)
            if person.residence_id is not None:
                self._residences[person.id] = person.residence_id
        self._people: dict[tuple[str, ...], uuid.UUID] = {}
        self._meetings: dict[tuple[uuid.UUID, date, object, str], uuid.UUID] = {}
        self._existing_meetings: set[uuid.UUID] = set()
        self._designated: set[uuid.UUID] = set()  # existing sessions already designated
        self._attendance: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, str]] = {}
        self._existing_candidates: set[uuid.UUID] = set()
        #: Attendance planned in earlier chunks (16-byte ids), when they were not written.
        self._planned_before: set[bytes] = set()

    # -- organisations -------------------------------------------------------------------

    def organization(self, name: str) -> uuid.UUID | None:
        """The organisation called ``name`` (a municipality when it names one), else a new
        company."""
        if not name:
            return None
        key = self._key(name)
        found = self._orgs.get(key)
        if found is not None:
            return found
        entry = organization_municipality(name)
        if entry is not None:
            found = self.municipality(entry)
        else:
            found = self._add_org(kind=OrganizationKind.COMPANY.value, name=name, reading="",
                                  lgcode=None, row_id=uuid.uuid4())
        self._orgs[key] = found
        return found

    def municipality(self, entry: MunicipalityEntry) -> uuid.UUID:
        """The organisation of a public body from the master list (created if needed)."""
        found = self._lgcodes.get(entry.code)
        if found is not None:
            return found
        row_id = municipality_uuid(entry.code)
        existing = self._session.get(Organization, row_id)
        if existing is not None:  # tombstoned earlier: the same real body comes back
            self._ctx.writes.revive(existing)
            self.plan.revived.append(existing)
            found = existing.id
        else:
            kind = (OrganizationKind.PREFECTURE if entry.kind == "prefecture"
                    else OrganizationKind.MUNICIPALITY)
            found = self._add_org(kind=kind.value, name=entry.full_name,
                                  reading=entry.full_reading, lgcode=entry.code, row_id=row_id)
        self._lgcodes[entry.code] = found
        self._orgs.setdefault(search_key(entry.full_name), found)
        return found

    def _add_org(self, *, kind: str, name: str, reading: str, lgcode: str | None,
                 row_id: uuid.UUID) -> uuid.UUID:
        self.plan.organizations.append(self._ctx.writes.new_values(
            "organization", id=row_id, kind=kind, name=name, reading=reading,
            lgcode=lgcode, corporate_number=None, postal_code="", address="", phone="",
            email="", website="", contact_person="", municipality_id=None, notes=""))
        return row_id

    # -- clubs, sessions -----------------------------------------------------------------

    def club(self, name: str, host: MunicipalityEntry | None) -> uuid.UUID:
        """The club called ``name``; a new one is hosted by ``host``."""
        key = self._key(name)
        found = self._clubs.get(key)
        if found is not None:
            return found
        host_id = self.municipality(host) if host is not None else None
        row_id = uuid.uuid4()
        self.plan.clubs.append(self._ctx.writes.new_values(
            "club", id=row_id, name=name, reading="",
            host_municipality_id=host_id, theme="", start_date=None, end_date=None,
            stage="visualise", coordinator_id=None, notes=""))
        self._clubs[key] = row_id
        self._new_clubs.add(row_id)
        return row_id

    def prefetch_meetings(self, club_ids: set[uuid.UUID]) -> None:
        """Load the live sessions of the clubs the file names (once, before the rows)."""
        known = [club_id for club_id in club_ids if club_id not in self._new_clubs]
        for start in range(0, len(known), _CHUNK):
            for meeting_id, club_id, day, begin, title, designated in self._session.execute(
                select(Meeting.id, Meeting.club_id, Meeting.date, Meeting.start_time,
                       Meeting.title, Meeting.designated)
                .where(Meeting.club_id.in_(known[start:start + _CHUNK]), live(Meeting))
                .order_by(Meeting.created_at)
            ):
                self._meetings.setdefault((club_id, day, begin, search_key(title)), meeting_id)
                self._existing_meetings.add(meeting_id)
                if designated:
                    self._designated.add(meeting_id)

    def meeting(self, row: ParsedRow, club_id: uuid.UUID) -> uuid.UUID:
        """The session (club, date, start, title) of ``row``; new ones are held or planned."""
        assert row.date is not None  # validated
        key = (club_id, row.date, row.start, self._key(row.title))
        found = self._meetings.get(key)
        if found is not None:
            if row.designated and found in self._existing_meetings and \
                    found not in self._designated:  # designated after the fact
                self.plan.updates.append((Meeting, found, {"designated": 1}))
                self._designated.add(found)
            return found
        status = MeetingStatus.HELD if row.date < self._today else MeetingStatus.PLANNED
        designated = row.designated if row.designated is not None else \
            club_id in self._club_marks
        row_id = uuid.uuid4()
        self.plan.meetings.append(self._ctx.writes.new_values(
            "meeting", id=row_id, club_id=club_id, title=row.title,
            kind=row.kind, date=row.date, start_time=row.start, end_time=row.end,
            format=row.format, status=status.value, tool="", url="", place="", agenda="",
            notes="", series_id=None, designated=int(designated)))
        self._meetings[key] = row_id
        return row_id

    # -- people --------------------------------------------------------------------------

    def person(self, row: ParsedRow) -> uuid.UUID:
        """The person of ``row``: by e-mail when given, else by name, reading, organisation."""
        raw = (row.family_name, row.given_name, row.family_reading, row.given_reading,
               row.organization, row.email)
        cached = self._people.get(raw)
        if cached is not None:
            if row.residence is not None:
                self._fill_residence(cached, self.municipality(row.residence), row)
            return cached
        organization_id = self.organization(row.organization)
        key = person_key(row.family_name, row.given_name, row.family_reading,
                         row.given_reading, organization_id)
        mail = email_key(row.email)
        found = self._by_email.get(mail) if mail else None
        if found is None:
            candidate = self._by_name.get(key)
            # Someone filed with another e-mail address is another person.
            if candidate is not None and (not mail or not candidate[1]):
                found = candidate[0]
        residence = self.municipality(row.residence) if row.residence is not None else None
        if found is None:
            found = uuid.uuid4()
            self.plan.people.append(self._ctx.writes.new_values(
                "person", id=found, family_name=row.family_name,
                given_name=row.given_name, family_reading=row.family_reading,
                given_reading=row.given_reading, category=row.category,
                organization_id=organization_id, job_title="", email=row.email,
                phone=row.phone, consent_date=None, notes=row.notes, residence_id=residence,
                postal_code=row.postal_code, address=row.address))
            self._remember_person(found, key, row.email)
            if residence is not None:
                self._residences[found] = residence
        elif residence is not None:
            self._fill_residence(found, residence, row)
        self._people[raw] = found
        return found

    def _fill_residence(self, person_id: uuid.UUID, residence: uuid.UUID,
                        row: ParsedRow) -> None:
        """Set the residence of a matched person who has none; keep a different one."""
        current = self._residences.get(person_id)
        if current is None:
            self.plan.updates.append((Person, person_id, {
                "residence_id": residence, "postal_code": row.postal_code,
                "address": row.address}))
            self._residences[person_id] = residence
        elif current != residence:
            self.plan.kept_residences += 1

    def _remember_person(self, person_id: uuid.UUID, key: PersonKey, email: str) -> None:
        mail = email_key(email)
        if mail:
            self._by_email.setdefault(mail, person_id)
        self._by_name.setdefault(key, (person_id, mail))

    # -- attendance ----------------------------------------------------------------------

    def attendance(self, meeting_id: uuid.UUID, person_id: uuid.UUID, status: str) -> None:
        """One attendance row per session and person (the first row of the file wins)."""
        row_id = attendance_uuid(meeting_id, person_id)
        if row_id in self._attendance or row_id.bytes in self._planned_before:
            return
        self._attendance[row_id] = (meeting_id, person_id, status)
        if meeting_id in self._existing_meetings:
            self._existing_candidates.add(row_id)

    def finish_chunk(self, *, written: bool) -> Plan:
        """The plan of the rows given since the last call, then a fresh one for the next rows.

        For an import that streams its rows: ``written`` says the returned plan is inserted
        before the next chunk (then its attendance is found in the table like any earlier
        row; otherwise it is remembered here, as 16-byte ids).
        """
        if written:
            self._existing_candidates.update(self._attendance)
            plan = self.finish()
        else:
            plan = self.finish()
            self._planned_before.update(row_id.bytes for row_id in self._attendance)
        self._attendance.clear()
        self._existing_candidates.clear()
        self.plan = Plan()
        return plan

    def finish(self) -> Plan:
        """Drop attendance rows the file already holds (deleted ones too); stamp the rest."""
        candidates = list(self._existing_candidates)
        existing: set[uuid.UUID] = set()
        for start in range(0, len(candidates), _CHUNK):
            existing.update(self._session.scalars(
                select(Attendance.id).where(Attendance.id.in_(candidates[start:start + _CHUNK]))
            ))
        for row_id, (meeting_id, person_id, status) in self._attendance.items():
            if row_id not in existing:
                self.plan.attendance.append(self._ctx.writes.new_values(
                    "attendance", id=row_id, meeting_id=meeting_id, person_id=person_id,
                    status=status, note=""))
        return self.plan


def plan_rows(session: Session, context: ServiceContext, rows: list[ParsedRow],
              today: date, *, attendance: bool) -> Plan:
    """Match or plan everything ``rows`` describe (``attendance``: the flat layout)."""
    planner = Planner(session, context, today)
    plan_chunk(planner, rows, attendance=attendance, prefetched=set())
    return planner.finish()


def plan_chunk(planner: Planner, rows: list[ParsedRow], *, attendance: bool,
               prefetched: set[uuid.UUID]) -> None:
    """Match or plan the rows of one chunk (the sessions of clubs not in ``prefetched`` are
    loaded first, then the clubs join ``prefetched``)."""
    if not attendance:
        for row in rows:
            planner.person(row)
        return
    club_ids = {planner.club(row.club, row.municipality) for row in rows}
    planner.prefetch_meetings(club_ids - prefetched)
    prefetched.update(club_ids)
    for row in rows:
        club_id = planner.club(row.club, row.municipality)
        meeting_id = planner.meeting(row, club_id)
        planner.attendance(meeting_id, planner.person(row), row.attendance)
