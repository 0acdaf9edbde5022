"""出欠: who attended, was absent or excused at a session."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import display_name, normalize_multiline
from kankei_desktop.core.models import Attendance, Meeting, Membership, Person
from kankei_desktop.core.services.context import ServiceContext, get_row, live
from kankei_desktop.core.services.people import PersonDraft, PersonService
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import AttendanceStatus
from kankei_desktop.core.writes.gateway import WriteGateway
from kankei_desktop.core.writes.natural_ids import attendance_uuid


def check_statuses(statuses: Mapping[uuid.UUID, str]) -> None:
    """Every status is one of 出席/欠席/連絡あり欠席 or "" (take the person off the list)."""
    check = Checker()
    for status in set(statuses.values()) - {""}:
        check.choice("status", status, AttendanceStatus, _("Attendance"))
    check.raise_if_any()


def write_statuses(session: Session, writes: WriteGateway, meeting_id: uuid.UUID,
                   statuses: Mapping[uuid.UUID, str]) -> None:
    """Record each person's status on the session ("" takes them off the list), inside the
    caller's transaction; one row per session and person."""
    for person_id, status in statuses.items():
        row_id = attendance_uuid(meeting_id, person_id)
        if not status:
            row = session.get(Attendance, row_id)
            if row is not None:
                writes.tombstone(row)
            continue
        get_row(session, Person, person_id)
        writes.put(session, Attendance, row_id, {"status": status},
                   keep={"meeting_id": meeting_id, "person_id": person_id, "note": ""})


class AttendanceService:
    """Use cases for a session's attendance list (one row per session and person)."""

    def __init__(self, context: ServiceContext, people: PersonService) -> None:
        self._ctx = context
        self._people = people

    def set(
        self,
        meeting_id: uuid.UUID,
        person_id: uuid.UUID,
        status: str = AttendanceStatus.ATTENDED.value,
        note: str = "",
    ) -> Attendance:
        """Record a person's attendance; one row per session and person, never two."""
        check = Checker()
        check.choice("status", status, AttendanceStatus, _("Attendance"))
        check.limits("attendance", {"note": normalize_multiline(note)})
        check.raise_if_any()
        with self._ctx.transaction() as session:
            get_row(session, Meeting, meeting_id)
            get_row(session, Person, person_id)
            return self._ctx.writes.put(
                session, Attendance, attendance_uuid(meeting_id, person_id),
                {"status": status, "note": normalize_multiline(note)},
                keep={"meeting_id": meeting_id, "person_id": person_id})

    def remove(self, meeting_id: uuid.UUID, person_id: uuid.UUID) -> None:
        """Take a person off a session's attendance list."""
        with self._ctx.transaction() as session:
            row = session.get(Attendance, attendance_uuid(meeting_id, person_id))
            if row is not None:
                self._ctx.writes.tombstone(row)

    def of_meeting(self, meeting_id: uuid.UUID) -> list[tuple[Attendance, Person]]:
        """A session's attendance rows with the people, in 50音順."""
        with self._ctx.reading() as session:
            rows = session.execute(
                select(Attendance, Person)
                .join(Person, Person.id == Attendance.person_id)
                .where(Attendance.meeting_id == meeting_id, live(Attendance), live(Person))
                .order_by(Person.sort_key)
            )
            return [(attendance, person) for attendance, person in rows]

    def history(self, person_id: uuid.UUID) -> list[tuple[Attendance, Meeting]]:
        """A person's attendance rows with their sessions, newest first."""
        with self._ctx.reading() as session:
            rows = session.execute(
                select(Attendance, Meeting)
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .where(Attendance.person_id == person_id, live(Attendance), live(Meeting))
                .order_by(Meeting.date.desc(), Meeting.start_time.desc())
            )
            return [(attendance, meeting) for attendance, meeting in rows]

    def roster(self, meeting_id: uuid.UUID | None, *, club_id: uuid.UUID | None = None,
               people: Iterable[uuid.UUID] = ()) -> list[RosterRow]:
        """The club's live members and every guest with attendance, in 50音順, with their
        attendance status ("" = not recorded yet).

        For a session not saved yet (``meeting_id`` None) the list is the members of
        ``club_id``; ``people`` adds persons (guests chosen in the form) to the list.
        """
        with self._ctx.reading() as session:
            statuses: dict[uuid.UUID, str] = {}
            if meeting_id is not None:
                meeting = get_row(session, Meeting, meeting_id)
                club_id = meeting.club_id if club_id is None else club_id
                statuses = {person_id: status for person_id, status in session.execute(
                    select(Attendance.person_id, Attendance.status).where(
                        Attendance.meeting_id == meeting_id, live(Attendance)))}
            members: set[uuid.UUID] = set()
            if club_id is not None:
                members = set(session.scalars(
                    select(Membership.person_id).where(
                        Membership.club_id == club_id, live(Membership))))
            rows = session.scalars(
                select(Person)
                .where(Person.id.in_(members | set(statuses) | set(people)), live(Person))
                .order_by(Person.sort_key, Person.id)
            )
            return [
                RosterRow(person.id, display_name(person.family_name, person.given_name),
                          display_name(person.family_reading, person.given_reading),
                          person.category, person.id in members, statuses.get(person.id, ""))
                for person in rows
            ]

    def add_guest(
        self,
        meeting_id: uuid.UUID,
        person: PersonDraft,
        status: str = AttendanceStatus.ATTENDED.value,
    ) -> Person:
        """Create a new person and record their attendance, in one transaction."""
        check = Checker()
        check.choice("status", status, AttendanceStatus, _("Attendance"))
        check.raise_if_any()
        with self._ctx.transaction() as session:
            get_row(session, Meeting, meeting_id)
            row = self._people.create_in(session, person)
            session.flush()
            self._ctx.writes.add(session, Attendance(
                id=attendance_uuid(meeting_id, row.id), meeting_id=meeting_id, person_id=row.id,
                status=status, note=""))
            return row


class RosterRow(NamedTuple):
    """A person on a session's attendance list."""

    person_id: uuid.UUID
    name: str
    reading: str
    category: str
    is_member: bool
    status: str
