"""月間予定表: a month's sessions on a calendar grid, holidays marked, then as a list.

A day cell lists as many sessions as fit its box — time and title, wrapped without hanging
punctuation and cut with 「…」 after two lines — then 「ほか n 件」; nothing is drawn outside
the cell. When the month has sessions of several clubs, each club gets a letter (Ａ, Ｂ…)
shown before its sessions and explained under the grid, so the calendar reads in black and
white. The list below gives every session with its place or URL.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date

import jpholiday
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.calendar import CalendarEntry
from kankei_desktop.core.vocabulary import MeetingStatus
from kankei_desktop.reports.cells import Column, FitText, Kind
from kankei_desktop.reports.common import (
    FigureValue,
    format_label,
    format_month,
    format_times,
    session_place,
    short_title,
    status_label,
)
from kankei_desktop.reports.day_cell import DayCell, DayLine
from kankei_desktop.reports.fonts import GOTHIC, MINCHO
from kankei_desktop.reports.layout import FRAME_WIDTH, GRID, HEADER_BACKGROUND, Story
from kankei_desktop.reports.settings import CoverSettings

RED = colors.HexColor("#C62828")
BLUE = colors.HexColor("#1565C0")
GREY = colors.HexColor("#888888")
#: Padding of a day cell (points, each side).
_PAD = 2.0


@dataclass
class MonthData:
    """A month's sessions and holidays."""

    year: int
    month: int
    entries: list[CalendarEntry]
    holidays: dict[date, str]


def month_data(services: Services, year: int, month: int) -> MonthData:
    """Sessions (cancelled ones included, marked) with place and URL, and holidays."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    holidays = {day: name for day, name in jpholiday.between(first, last)}
    return MonthData(year, month,
                     services.calendar.entries(first, last, with_details=True), holidays)


def month_title(data: MonthData, cover: CoverSettings) -> str:
    """「令和3年12月　月間予定表」."""
    return f"{format_month(data.year, data.month, cover.date_style)}　{_('Monthly schedule')}"


def month_snapshot(data: MonthData) -> list[FigureValue]:
    """How many sessions the schedule shows (cancelled ones excluded)."""
    planned = sum(1 for entry in data.entries
                  if entry.status != MeetingStatus.CANCELLED.value)
    return [FigureValue(f"month.{data.year:04d}-{data.month:02d}.sessions",
                        _("Number of sessions"), planned)]


def _weekday_names() -> list[str]:
    return [_("Sun"), _("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat")]


def club_letters(entries: list[CalendarEntry]) -> dict[uuid.UUID, str]:
    """Ａ, Ｂ, … per club in the order the clubs first appear (none for a single club)."""
    order: list[uuid.UUID] = []
    for entry in entries:
        if entry.club_id not in order:
            order.append(entry.club_id)
    if len(order) < 2:
        return {}
    return {club: _letter(index) for index, club in enumerate(order)}


def _letter(index: int) -> str:
    """Ａ…Ｚ, then ＡＡ, ＡＢ … (full-width, so they read as marks)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(0xFF21 + rest) + letters
    return letters


def render_month(data: MonthData, cover: CoverSettings) -> bytes:
    """The 月間予定表 PDF (weeks start on Sunday, as Japanese wall calendars do)."""
    story = Story()
    styles = story.styles
    title = month_title(data, cover)
    story.text(title, styles.title)
    letters = club_letters(data.entries)
    by_day: dict[date, list[CalendarEntry]] = {}
    for entry in data.entries:
        by_day.setdefault(entry.date, []).append(entry)
    weeks = calendar.Calendar(firstweekday=6).monthdatescalendar(data.year, data.month)
    names = _weekday_names()
    header: list[object] = [story.para(name, styles.head) for name in names]
    header[0] = Paragraph(f'<font color="#C62828">{names[0]}</font>', styles.head)
    header[6] = Paragraph(f'<font color="#1565C0">{names[6]}</font>', styles.head)
    grid: list[list[object]] = [header]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD), ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 1), (-1, -1), _PAD), ("BOTTOMPADDING", (0, 1), (-1, -1), _PAD),
    ]
    height = _row_height(len(weeks)) * mm
    for row, week in enumerate(weeks, start=1):
        cells: list[object] = []
        for column, day in enumerate(week):
            cells.append(_day_cell(story, day, data, by_day.get(day, []), column, letters,
                                   height - 2 * _PAD))
            if day.month != data.month:
                commands.append(("BACKGROUND", (column, row), (column, row),
                                 colors.HexColor("#F2F2F2")))
            elif day in data.holidays or column == 0:
                commands.append(("BACKGROUND", (column, row), (column, row),
                                 colors.HexColor("#FDF1F1")))
            elif column == 6:
                commands.append(("BACKGROUND", (column, row), (column, row),
                                 colors.HexColor("#F0F5FC")))
        grid.append(cells)
    story.add(Table(grid, colWidths=[FRAME_WIDTH / 7] * 7,
                    rowHeights=[7 * mm] + [height] * len(weeks),
                    style=TableStyle(commands)))
    story.space(3)
    story.text(_("Red: Sundays and holidays, blue: Saturdays."), styles.small)
    if letters:
        names_by_club = {entry.club_id: entry.club_name for entry in data.entries}
        _legend(story, [f"{letter}：{names_by_club[club]}" for club, letter in letters.items()])
    story.heading(_("Sessions this month"))
    if data.entries:
        story.table(
            [Column(_("Date held"), Kind.FIT), Column(_("Session time"), Kind.FIT),
             Column(_("Club"), weight=2), Column(_("Session content"), weight=3),
             Column(_("Session format"), Kind.FIT), Column(_("Place / URL"), weight=3)],
            [[_day_label(entry.date), format_times(entry.start_time, entry.end_time) or "-",
              entry.club_name, short_title(entry.title, entry.club_name) + (
                  f"（{status_label(entry.status)}）"
                  if entry.status == MeetingStatus.CANCELLED.value else ""),
              format_label(entry.format),
              session_place(entry.place, entry.tool, entry.url, with_url=True)]
             for entry in data.entries])
    else:
        story.text(_("No sessions are planned in this month."))
    return story.build(title=title, author=cover.organisation or "Kankei Desktop",
                       subject=_("Monthly schedule"))


def _legend(story: Story, items: list[str], columns: int = 3) -> None:
    """The club letters under the grid, in columns; an entry never breaks."""
    size = float(story.styles.small.fontSize)
    story.texts.extend(items)
    cells = [FitText([item], MINCHO, size, leading=size * 1.4) for item in items]
    rows: list[list[FitText | str]] = [list(cells[start:start + columns])
                                       for start in range(0, len(cells), columns)]
    rows[-1] += [""] * (columns - len(rows[-1]))
    story.add(Table(rows, colWidths=[FRAME_WIDTH / columns] * columns, hAlign="LEFT",
                    style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("TOPPADDING", (0, 0), (-1, -1), 0),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])))


def _day_label(day: date) -> str:
    return f"{day.month}/{day.day}（{_weekday_names()[(day.weekday() + 1) % 7]}）"


def _row_height(weeks: int) -> float:
    """Height of a week row in mm (five or six weeks fill the upper part of the page)."""
    return min(32.0, 190.0 / weeks)


def _day_cell(story: Story, day: date, data: MonthData, entries: list[CalendarEntry],
              column: int, letters: dict[uuid.UUID, str], height: float) -> Flowable:
    width = FRAME_WIDTH / 7 - 2 * _PAD
    if day.month != data.month:
        story.texts.append(str(day.day))
        return DayCell(str(day.day), None, [], width, height, colour=GREY,
                       more=lambda count: "")
    colour = RED if column == 0 or day in data.holidays else (
        BLUE if column == 6 else colors.HexColor("#222222"))
    holiday = data.holidays.get(day)
    lines = []
    for entry in entries:
        text = short_title(entry.title, entry.club_name)
        start = entry.start_time.strftime("%H:%M") if entry.start_time else ""
        prefix = " ".join(part for part in (letters.get(entry.club_id, ""), start) if part)
        cancelled = entry.status == MeetingStatus.CANCELLED.value
        if cancelled:
            text = f"{text}（{status_label(entry.status)}）"
        lines.append(DayLine(prefix, text, cancelled))
    cell = DayCell(str(day.day), holiday, lines, width, height, colour=colour,
                   more=lambda count: _("and {count} more").format(count=count),
                   number_font=GOTHIC)
    story.texts.extend(cell.texts())
    return cell
