"""出席簿 of one session, in two kinds.

- the **sign-in sheet** (受付簿), printed before the session: the expected people (the club's
  members and everyone already on the session's list) with name, reading, affiliation and an
  empty 署名 column, then numbered blank rows for walk-ins up to a full sheet;
- the **record** (出席記録), printed after it: the same people with 出席 / 欠席 / 連絡あり欠席
  (or 未記録) each, and the totals.

People are listed in 50音順 by core's collation key, whatever script their reading was
typed in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from kankei_desktop.core.figures import rule
from kankei_desktop.core.i18n import N_, _
from kankei_desktop.core.models import Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import AttendanceStatus, label
from kankei_desktop.reports.cells import Column, Kind
from kankei_desktop.reports.common import (
    FigureValue,
    format_day,
    format_label,
    format_times,
    session_place,
    short_title,
    status_label,
)
from kankei_desktop.reports.data import (
    MemberRow,
    clubs_in_scope,
    in_name_order,
    members_of,
    people_named,
)
from kankei_desktop.reports.kinds import SheetKind as SheetKind
from kankei_desktop.reports.layout import (
    FRAME_HEIGHT,
    FRAME_WIDTH,
    GRID,
    HEADER_BACKGROUND,
    Story,
)
from kankei_desktop.reports.settings import CoverSettings
from kankei_desktop.reports.tables import TableRows

#: Blank rows for walk-ins on a sign-in sheet (at least; the last page is then filled).
WALK_IN_ROWS = 5
#: Height of a sign-in row (room for a handwritten signature).
SIGN_IN_ROW_MM = 8.0
#: The count box under the sign-in rows (with the space above it).
_COUNT_BOX_MM = 18.0


SHEET_TITLES = {SheetKind.SIGN_IN: N_("Attendance sheet (sign-in)"),
                SheetKind.RECORD: N_("Attendance record")}
#: 出欠 as the record prints it; "" = nothing recorded for a member.
_NOT_RECORDED = N_("Not recorded")


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
    status: str
    place: str
    url: str
    tool: str
    kind: SheetKind
    people: list[MemberRow]
    statuses: dict[uuid.UUID, str]

    @property
    def held(self) -> bool:
        """The session counts as held (its attendance is a record, not a sign-in sheet)."""
        return self.status == rule.HELD

    def count(self, status: str) -> int:
        """People on the sheet with ``status`` ("" = not recorded)."""
        return sum(1 for person in self.people
                   if self.statuses.get(person.person_id, "") == status)

    @property
    def attended(self) -> int:
        return self.count(AttendanceStatus.ATTENDED.value)


def attendance_data(services: Services, meeting: Meeting,
                    kind: SheetKind | None = None) -> AttendanceData:
    """The club's members and everyone on the session's list, in 50音順.

    ``kind`` None: the record for a held session, the sign-in sheet otherwise.
    """
    club = clubs_in_scope(services, club_id=meeting.club_id)[0]
    members = members_of(services, meeting.club_id)
    statuses = {person.id: row.status
                for row, person in services.attendance.of_meeting(meeting.id)}
    known = {row.person_id for row in members}
    guests = people_named(services, set(statuses) - known)
    held = meeting.status == rule.HELD
    return AttendanceData(
        meeting_id=meeting.id, club_name=club.name, title=meeting.title, date=meeting.date,
        start_time=meeting.start_time, end_time=meeting.end_time, format=meeting.format,
        status=meeting.status, place=meeting.place, url=meeting.url, tool=meeting.tool,
        kind=kind or (SheetKind.RECORD if held else SheetKind.SIGN_IN),
        people=in_name_order(members + list(guests.values())), statuses=statuses)


def attendance_title(data: AttendanceData) -> str:
    """「出席簿（受付用）　〇〇クラブ」 or 「出席記録　〇〇クラブ」."""
    return f"{_(SHEET_TITLES[data.kind])}　{data.club_name}"


def attendance_snapshot(data: AttendanceData) -> list[FigureValue]:
    """The count the sheet shows (attended, when the session was held)."""
    return [FigureValue(f"meeting.{data.meeting_id}.attended", _("Attendees"),
                        data.attended if data.held else None)]


def render_attendance(data: AttendanceData, cover: CoverSettings) -> bytes:
    """The 出席簿 PDF of ``data.kind``."""
    story = Story()
    story.text(attendance_title(data), story.styles.title)
    _session_box(story, data, cover)
    story.space(5)
    if data.kind is SheetKind.SIGN_IN:
        _sign_in(story, data)
    else:
        _record(story, data)
    return story.build(title=attendance_title(data),
                       author=cover.organisation or "Kankei Desktop",
                       subject=_(SHEET_TITLES[data.kind]))


def _session_box(story: Story, data: AttendanceData, cover: CoverSettings) -> None:
    styles = story.styles
    title = short_title(data.title, data.club_name)
    if not data.held:
        title = f"{title}（{status_label(data.status)}）"
    header = [
        [_("Club"), data.club_name, _("Date held"), format_day(data.date, cover.date_style)],
        [_("Session content"), title, _("Session time"),
         format_times(data.start_time, data.end_time) or "-"],
        [_("Place / URL"), session_place(data.place, data.tool, data.url, with_url=True),
         _("Session format"), format_label(data.format)],
    ]
    cells = [[story.para(text, styles.head if index % 2 == 0 else styles.cell)
              for index, text in enumerate(row)] for row in header]
    story.add(Table(cells, colWidths=[FRAME_WIDTH * w for w in (0.14, 0.46, 0.12, 0.28)],
                    style=TableStyle([
                        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                        ("BACKGROUND", (0, 0), (0, -1), HEADER_BACKGROUND),
                        ("BACKGROUND", (2, 0), (2, -1), HEADER_BACKGROUND),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])))


def sign_in_rows(people: int, first: float, other: float, row: float, box: float) -> int:
    """Rows of a sign-in sheet: everyone, at least :data:`WALK_IN_ROWS` blank ones, and as
    many more as fill the last page. ``first``/``other``: the height for rows on the first
    and on a following page; ``box``: the height the count box takes under the last row."""
    wanted = people + WALK_IN_ROWS
    if wanted <= int((first - box) // row):
        return int((first - box) // row)
    total = int(first // row)
    while total + int((other - box) // row) < wanted:
        total += int(other // row)
    return total + int((other - box) // row)


def _sign_in(story: Story, data: AttendanceData) -> None:
    rows = [[f"{index}", person.name, person.reading, person.organisation, ""]
            for index, person in enumerate(data.people, start=1)]
    row = SIGN_IN_ROW_MM * mm
    header = story.styles.cell.leading + 5
    total = sign_in_rows(len(rows), FRAME_HEIGHT - story.height_used() - header,
                         FRAME_HEIGHT - header, row, _COUNT_BOX_MM * mm)
    rows += [[f"{number}", "", "", "", ""] for number in range(len(rows) + 1, total + 1)]
    story.table([Column(_("No."), Kind.NUMBER), Column(_("Full name"), Kind.FIT),
                 Column(_("Reading of the name"), Kind.FIT), Column(_("Affiliation"), Kind.FIT),
                 Column(_("Signature"), share=0.3)], rows, min_height=SIGN_IN_ROW_MM)
    story.space(5)
    styles = story.styles
    story.keep(Table([[story.para(_("Attendees"), styles.head),
                       story.para(_("persons"), styles.cell_right)]],
                     colWidths=[28 * mm, 40 * mm], rowHeights=[12 * mm], hAlign="RIGHT",
                     style=TableStyle([("GRID", (0, 0), (-1, -1), 0.8, GRID),
                                       ("BACKGROUND", (0, 0), (0, 0), HEADER_BACKGROUND),
                                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])))


def _status_text(status: str) -> str:
    if not status:
        return _(_NOT_RECORDED)
    try:
        return label(AttendanceStatus(status))
    except ValueError:
        return status


def _record(story: Story, data: AttendanceData) -> None:
    rows = [[f"{index}", person.name, person.reading, person.organisation,
             _status_text(data.statuses.get(person.person_id, ""))]
            for index, person in enumerate(data.people, start=1)]
    if rows:
        story.table([Column(_("No."), Kind.NUMBER), Column(_("Full name"), Kind.FIT),
                     Column(_("Reading of the name"), Kind.FIT), Column(_("Affiliation")),
                     Column(_("Attendance"), Kind.MARK)], rows)
    else:
        story.text(_("Nobody is on the list of this session."))
    story.space(5)
    totals = TableRows()
    for status in (AttendanceStatus.ATTENDED, AttendanceStatus.EXCUSED,
                   AttendanceStatus.ABSENT):
        totals.add([label(status), _("{count} persons").format(
            count=f"{data.count(status.value):,}")])
    unrecorded = data.count("")
    if unrecorded:
        totals.add([_(_NOT_RECORDED), _("{count} persons").format(count=f"{unrecorded:,}")])
    totals.total([_("Total"), _("{count} persons").format(count=f"{len(data.people):,}")])
    story.table([Column(_("Attendance"), Kind.FIT), Column(_("Number of persons"), Kind.NUMBER)],
                totals, width=0.4, keep=True)
