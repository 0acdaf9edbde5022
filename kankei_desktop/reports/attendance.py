"""出席簿: the attendance sheet of one session (printed names, blank rows, signatures)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import AttendanceStatus, MeetingStatus
from kankei_desktop.reports.common import (
    FigureValue,
    format_day,
    format_label,
    format_times,
)
from kankei_desktop.reports.data import MemberRow, clubs_in_scope, members_of, people_named
from kankei_desktop.reports.layout import FRAME_WIDTH, GRID, Story
from kankei_desktop.reports.settings import CoverSettings

#: Blank rows for walk-ins (at least; the page is filled up to a full sheet).
WALK_IN_ROWS = 5
#: Rows that fit on the first page together with the header and the count box.
FULL_SHEET = 24


@dataclass
class AttendanceData:
    """What the 出席簿 shows."""

    meeting_id: uuid.UUID
    club_name: str
    title: str
    date: date
    start_time: time | None
    end_time: time | None
    format: str
    place: str
    url: str
    held: bool
    people: list[MemberRow]
    attended: int


def attendance_data(services: Services, meeting: Meeting) -> AttendanceData:
    """The club's members and every guest on the session's list, in 50音順."""
    club = clubs_in_scope(services, club_id=meeting.club_id)[0]
    members = members_of(services, meeting.club_id)
    attendance = services.attendance.of_meeting(meeting.id)
    known = {row.person_id for row in members}
    guests = people_named(services, {person.id for _row, person in attendance} - known)
    people = members + sorted(guests.values(), key=lambda row: row.reading or row.name)
    attended = sum(1 for row, _person in attendance
                   if row.status == AttendanceStatus.ATTENDED.value)
    return AttendanceData(
        meeting_id=meeting.id, club_name=club.name, title=meeting.title, date=meeting.date,
        start_time=meeting.start_time, end_time=meeting.end_time, format=meeting.format,
        place=meeting.place, url=meeting.url, held=meeting.status == MeetingStatus.HELD.value,
        people=people, attended=attended)


def attendance_title(data: AttendanceData) -> str:
    """「出席簿　〇〇クラブ」."""
    return f"{_('Attendance sheet')}　{data.club_name}"


def attendance_snapshot(data: AttendanceData) -> list[FigureValue]:
    """The count the sheet shows (attended, when the session was held)."""
    return [FigureValue(f"meeting.{data.meeting_id}.attended", _("Attendees"),
                        data.attended if data.held else None)]


def render_attendance(data: AttendanceData, cover: CoverSettings) -> bytes:
    """The 出席簿 PDF."""
    story = Story()
    styles = story.styles
    story.text(attendance_title(data), styles.title)
    where = data.place or ""
    if data.url:
        where = f"{where}\n{data.url}".strip()
    header = [
        [_("Club"), data.club_name, _("Date held"), format_day(data.date, cover.date_style)],
        [_("Session content"), data.title, _("Session time"),
         format_times(data.start_time, data.end_time)],
        [_("Place / URL"), where or "-", _("Session format"), format_label(data.format)],
    ]
    cells = [[story.para(text, styles.head if index % 2 == 0 else styles.cell)
              for index, text in enumerate(row)] for row in header]
    story.add(Table(cells, colWidths=[FRAME_WIDTH * w for w in (0.14, 0.44, 0.12, 0.30)],
                    style=TableStyle([
                        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                        ("BACKGROUND", (0, 0), (0, -1), "#E8ECF0"),
                        ("BACKGROUND", (2, 0), (2, -1), "#E8ECF0"),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])))
    story.space(5)
    rows = [[str(index), person.reading, person.name, person.organisation, ""]
            for index, person in enumerate(data.people, start=1)]
    blank = max(WALK_IN_ROWS, FULL_SHEET - len(rows))
    rows += [[str(len(rows) + extra), "", "", "", ""] for extra in range(1, blank + 1)]
    story.table([_("No."), _("Reading of the name"), _("Full name"), _("Affiliation"),
                 _("Signature")], rows,
                [0.06, 0.2, 0.17, 0.3, 0.27], numeric=[0], min_height=7.5)
    story.space(5)
    count = f"{data.attended:,}" if data.held else ""
    story.add(Table([[story.para(_("Attendees"), styles.head),
                      story.para(_("{count} persons").format(count=count).strip()
                                 if count else _("persons"), styles.cell_right)]],
                    colWidths=[28 * mm, 40 * mm], rowHeights=[12 * mm], hAlign="RIGHT",
                    style=TableStyle([("GRID", (0, 0), (-1, -1), 0.8, GRID),
                                      ("BACKGROUND", (0, 0), (0, 0), "#E8ECF0"),
                                      ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])))
    return story.build(title=attendance_title(data),
                       author=cover.organisation or "Kankei Desktop",
                       subject=_("Attendance sheet"))
