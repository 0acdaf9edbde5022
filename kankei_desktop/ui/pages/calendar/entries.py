"""Texts about one calendar entry (chip label, tooltip) and the holidays of a range."""

from __future__ import annotations

import html
from datetime import date, time

import jpholiday

from kankei_desktop.core.i18n import N_, _
from kankei_desktop.core.services.calendar import CalendarEntry
from kankei_desktop.core.vocabulary import MeetingFormat, MeetingStatus, label

WEEKDAY_NAMES = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def weekday_name(weekday: int) -> str:
    """「月」… for ``date.weekday()`` (0 = Monday)."""
    return _(WEEKDAY_NAMES[weekday])


def holidays_between(start: date, end: date) -> dict[date, str]:
    """Japanese public holidays in the range with their names."""
    return {day: name for day, name in jpholiday.between(start, end)}


def time_text(start: time | None, end: time | None) -> str:
    """「19:00–20:30」, 「19:00」 or 「終日」."""
    if start is None:
        return _("All day")
    if end is None:
        return f"{start:%H:%M}"
    return f"{start:%H:%M}–{end:%H:%M}"


def _label(vocabulary: type[MeetingFormat] | type[MeetingStatus], code: str) -> str:
    try:
        return label(vocabulary(code))
    except ValueError:
        return code


#: Marks a 担い手活動 in chips, blocks and lists (issue 20).
DESIGNATED_MARK = "◆"


def entry_title(entry: CalendarEntry) -> str:
    """The title, after 「◆」 for a designated activity."""
    return f"{DESIGNATED_MARK}{entry.title}" if entry.designated else entry.title


def chip_text(entry: CalendarEntry) -> str:
    """What a month chip says: start time and title (◆ first for a 担い手活動)."""
    start = entry.start_time
    if start is None:
        return entry_title(entry)
    return f"{start.hour:02d}:{start.minute:02d} {entry_title(entry)}"


def is_cancelled(entry: CalendarEntry) -> bool:
    """Drawn pale and struck through."""
    return entry.status == MeetingStatus.CANCELLED.value


def tooltip(entry: CalendarEntry) -> str:
    """Time, club, title, place or URL, format and status (rich text)."""
    where = entry.place or entry.url
    lines = [
        f"<b>{html.escape(entry.title)}</b>",
        html.escape(f"{entry.date.isoformat()}（{weekday_name(entry.date.weekday())}） "
                    f"{time_text(entry.start_time, entry.end_time)}"),
        html.escape(entry.club_name),
    ]
    if where:
        lines.append(html.escape(where))
    details = [_label(MeetingFormat, entry.format)]
    if entry.tool:
        details.append(entry.tool)
    details.append(_label(MeetingStatus, entry.status))
    lines.append(html.escape(" · ".join(details)))
    if entry.designated:
        lines.append(html.escape(_("{mark} Designated activity of the host municipality").format(
            mark=DESIGNATED_MARK)))
    return "<br>".join(lines)


def format_label(code: str) -> str:
    """The translated label of a format code."""
    return _label(MeetingFormat, code)


def status_label(code: str) -> str:
    """The translated label of a status code."""
    return _label(MeetingStatus, code)
