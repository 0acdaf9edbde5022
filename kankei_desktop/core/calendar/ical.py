"""iCalendar (.ics) export of sessions for Outlook, Google Calendar and phones.

One VEVENT per live session. The UID is ``<meeting id>@kankei-desktop`` and never changes,
so importing a newer export updates the events instead of duplicating them. Times are
Asia/Tokyo with its VTIMEZONE; a session without a start time becomes an all-day event
(DTSTART/DTEND as DATE). A session with a start but no end time has no DTEND (RFC 5545:
it ends when it starts), rather than an invented length. Cancelled sessions are exported
with STATUS:CANCELLED so calendars that imported them earlier strike them out; planned and
held sessions are CONFIRMED.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from kankei_desktop import __version__
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Meeting
from kankei_desktop.core.vocabulary import MeetingFormat, MeetingStatus, label

TOKYO = ZoneInfo("Asia/Tokyo")
UID_DOMAIN = "kankei-desktop"


def meeting_uid(meeting: Meeting) -> str:
    """The stable UID of a session's event."""
    return f"{meeting.id}@{UID_DOMAIN}"


def _utc(moment: datetime) -> datetime:
    """Stored datetimes are naive UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _description(meeting: Meeting) -> str:
    lines = []
    if meeting.agenda:
        lines.append(meeting.agenda)
        lines.append("")
    with contextlib.suppress(ValueError):
        lines.append(_("Format: {format}").format(format=label(MeetingFormat(meeting.format))))
    if meeting.tool:
        lines.append(_("Tool: {tool}").format(tool=meeting.tool))
    if meeting.url:
        lines.append(_("URL: {url}").format(url=meeting.url))
    return "\n".join(lines).strip()


def meeting_event(meeting: Meeting, club_name: str, stamp: datetime) -> Event:
    """The VEVENT of one session."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", _utc(stamp))
    event.add("last-modified", _utc(meeting.updated_at))
    event.add("created", _utc(meeting.created_at))
    event.add("summary", f"{club_name} {meeting.title}".strip())
    if meeting.start_time is None:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + timedelta(days=1))
    else:
        event.add("dtstart", datetime.combine(meeting.date, meeting.start_time, TOKYO))
        if meeting.end_time is not None:
            event.add("dtend", datetime.combine(meeting.date, meeting.end_time, TOKYO))
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.url:
        event.add("location", meeting.url)
    if meeting.url:
        event.add("url", meeting.url)
    description = _description(meeting)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED.value
              else "CONFIRMED")
    return event


def build_calendar(
    rows: Iterable[tuple[Meeting, str]], name: str = "", now: datetime | None = None
) -> Calendar:
    """A VCALENDAR with one VEVENT per ``(meeting, club name)`` and the Tokyo VTIMEZONE."""
    stamp = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", f"-//Kankei Desktop//{__version__}//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name or "Kankei Desktop")
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    for meeting, club_name in rows:
        calendar.add_component(meeting_event(meeting, club_name, stamp))
    calendar.add_missing_timezones()
    return calendar


def to_ics(rows: Iterable[tuple[Meeting, str]], name: str = "",
           now: datetime | None = None) -> bytes:
    """The .ics file's bytes (UTF-8, CRLF line ends, folded lines)."""
    data: bytes = build_calendar(rows, name, now).to_ical()
    return data
