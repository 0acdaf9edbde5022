"""交流記録: follow-up contacts after sessions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import normalize_multiline, normalize_text
from kankei_desktop.core.models import Attendance, Interaction, InteractionPerson, Meeting, Person
from kankei_desktop.core.services.context import ServiceContext, get_row, live
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import AttendanceStatus, InteractionChannel
from kankei_desktop.core.writes.natural_ids import interaction_person_uuid


@dataclass
class InteractionDraft:
    """A follow-up: when, how, who, and what was said."""

    date: date | None
    channel: str = InteractionChannel.OTHER.value
    person_ids: list[uuid.UUID] = field(default_factory=list)
    club_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None
    summary: str = ""
    note: str = ""


class InteractionService:
    """Use cases for follow-ups."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def create(self, draft: InteractionDraft) -> Interaction:
        """Validate and save a follow-up with the people who took part."""
        check = Checker()
        check.required("date", draft.date, _("Date"))
        check.choice("channel", draft.channel, InteractionChannel, _("Channel"))
        if not draft.person_ids:
            check.add("person_ids", _("Choose at least one person."))
        check.limits("interaction", {"summary": normalize_text(draft.summary),
                                     "note": normalize_multiline(draft.note)})
        check.raise_if_any()
        with self._ctx.transaction() as session:
            for person_id in draft.person_ids:
                get_row(session, Person, person_id)
            row = self._ctx.writes.add(session, Interaction(
                id=uuid.uuid4(),
                date=draft.date,
                channel=draft.channel,
                club_id=draft.club_id,
                meeting_id=draft.meeting_id,
                summary=normalize_text(draft.summary),
                note=normalize_multiline(draft.note),
            ))
            session.flush()
            for person_id in dict.fromkeys(draft.person_ids):
                self._ctx.writes.add(session, InteractionPerson(
                    id=interaction_person_uuid(row.id, person_id), interaction_id=row.id,
                    person_id=person_id))
            return row

    def draft_for_meeting(self, meeting_id: uuid.UUID, on: date) -> InteractionDraft:
        """A follow-up after a session: its club, and the people who attended it (or, when
        nobody is recorded as attending, everyone on its attendance list).
        """
        with self._ctx.reading() as session:
            meeting = get_row(session, Meeting, meeting_id)
            rows: list[tuple[uuid.UUID, str]] = [
                (person_id, status) for person_id, status in session.execute(
                    select(Attendance.person_id, Attendance.status)
                    .join(Person, Person.id == Attendance.person_id)
                    .where(Attendance.meeting_id == meeting_id, live(Attendance), live(Person))
                    .order_by(Person.sort_key))]
            attended = [person for person, status in rows
                        if status == AttendanceStatus.ATTENDED.value]
            return InteractionDraft(
                date=on, club_id=meeting.club_id, meeting_id=meeting_id,
                person_ids=attended or [person for person, _status in rows],
            )

    def delete(self, interaction_id: uuid.UUID) -> None:
        """Tombstone a follow-up."""
        with self._ctx.transaction() as session:
            self._ctx.writes.tombstone(get_row(session, Interaction, interaction_id))

    def for_person(self, person_id: uuid.UUID) -> list[Interaction]:
        """A person's follow-ups, newest first."""
        with self._ctx.reading() as session:
            return list(
                session.scalars(
                    select(Interaction)
                    .join(InteractionPerson, InteractionPerson.interaction_id == Interaction.id)
                    .where(
                        InteractionPerson.person_id == person_id,
                        live(InteractionPerson),
                        live(Interaction),
                    )
                    .order_by(Interaction.date.desc())
                )
            )

    def find(
        self, *, club_id: uuid.UUID | None = None, meeting_id: uuid.UUID | None = None,
        date_from: date | None = None, date_to: date | None = None,
    ) -> list[Interaction]:
        """Follow-ups, newest first, filtered."""
        query = select(Interaction).where(live(Interaction))
        if club_id is not None:
            query = query.where(Interaction.club_id == club_id)
        if meeting_id is not None:
            query = query.where(Interaction.meeting_id == meeting_id)
        if date_from is not None:
            query = query.where(Interaction.date >= date_from)
        if date_to is not None:
            query = query.where(Interaction.date <= date_to)
        with self._ctx.reading() as session:
            return list(session.scalars(query.order_by(Interaction.date.desc())))

    def people_of(self, interaction_id: uuid.UUID) -> list[uuid.UUID]:
        """The ids of the people in a follow-up."""
        with self._ctx.reading() as session:
            return list(
                session.scalars(
                    select(InteractionPerson.person_id).where(
                        InteractionPerson.interaction_id == interaction_id,
                        live(InteractionPerson),
                    )
                )
            )
