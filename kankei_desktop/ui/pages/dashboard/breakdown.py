"""The sessions and people behind a figure, by the same definitions as core.figures.

Used by the drill-down dialog. Reads through the services only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from kankei_desktop.core.models import Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.meetings import AttendedRow
from kankei_desktop.core.vocabulary import ONLINE_FORMATS, MeetingStatus


@dataclass
class Breakdown:
    """Held sessions in a period, and per person how often they attended."""

    meetings: list[Meeting] = field(default_factory=list)
    attendance: dict[uuid.UUID, int] = field(default_factory=dict)
    people: dict[uuid.UUID, AttendedRow] = field(default_factory=dict)
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
    """Everything behind the figures of ``date_from`` … ``date_to`` (four queries in all).

    Safe to run in a worker thread: only service calls, no widgets.
    """
    live_clubs = {club.id for club in services.clubs.list()}
    result = Breakdown()
    result.meetings = [
        meeting for meeting in services.meetings.list(
            date_from=date_from, date_to=date_to, status=MeetingStatus.HELD.value)
        if meeting.club_id in live_clubs
    ]
    result.meeting_people = dict.fromkeys((m.id for m in result.meetings), 0)
    for row in services.meetings.held_attendance(date_from, date_to, category=category):
        result.meeting_people[row.meeting_id] = result.meeting_people.get(row.meeting_id, 0) + 1
        result.attendance[row.person_id] = result.attendance.get(row.person_id, 0) + 1
        result.people[row.person_id] = row
    newcomers = services.meetings.first_time_people(date_from, date_to)
    result.first_time = newcomers & result.people.keys()
    return result
