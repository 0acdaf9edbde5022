"""The sessions and people behind a figure, by the same definitions as core.figures.

Used by the drill-down dialog. Reads through the services only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from kankei_desktop.core.models import Meeting, Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import ONLINE_FORMATS, AttendanceStatus, MeetingStatus


@dataclass
class Breakdown:
    """Held sessions in a period, and per person how often they attended."""

    meetings: list[Meeting] = field(default_factory=list)
    attendance: dict[uuid.UUID, int] = field(default_factory=dict)
    people: dict[uuid.UUID, Person] = field(default_factory=dict)
    meeting_people: dict[uuid.UUID, int] = field(default_factory=dict)
    first_time: set[uuid.UUID] = field(default_factory=set)

    @property
    def online_meetings(self) -> list[Meeting]:
        """Held sessions that were online or hybrid."""
        return [m for m in self.meetings if m.format in {f.value for f in ONLINE_FORMATS}]

    @property
    def person_times(self) -> int:
        """延べ人数."""
        return sum(self.attendance.values())


def breakdown(
    services: Services, date_from: date, date_to: date, category: str | None = None
) -> Breakdown:
    """Everything behind the figures of ``date_from`` … ``date_to``."""
    live_clubs = {club.id for club in services.clubs.list()}
    result = Breakdown()
    for meeting in services.meetings.list(
        date_from=date_from, date_to=date_to, status=MeetingStatus.HELD.value
    ):
        if meeting.club_id not in live_clubs:
            continue
        result.meetings.append(meeting)
        count = 0
        for attendance, person in services.meetings.attendance(meeting.id):
            if attendance.status != AttendanceStatus.ATTENDED.value:
                continue
            if category is not None and person.category != category:
                continue
            count += 1
            result.attendance[person.id] = result.attendance.get(person.id, 0) + 1
            result.people[person.id] = person
        result.meeting_people[meeting.id] = count
    for person_id in result.people:
        first = _first_attended(services, person_id, live_clubs)
        if first is not None and first >= date_from:
            result.first_time.add(person_id)
    return result


def _first_attended(
    services: Services, person_id: uuid.UUID, live_clubs: set[uuid.UUID]
) -> date | None:
    dates = [
        meeting.date
        for attendance, meeting in services.meetings.history(person_id)
        if attendance.status == AttendanceStatus.ATTENDED.value
        and meeting.status == MeetingStatus.HELD.value
        and meeting.club_id in live_clubs
    ]
    return min(dates) if dates else None
