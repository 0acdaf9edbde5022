"""月間予定表: a month's sessions on a calendar grid, holidays marked, then as a list."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import jpholiday
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.calendar import CalendarEntry
from kankei_desktop.core.vocabulary import MeetingStatus
from kankei_desktop.reports.common import (
    FigureValue,
    format_label,
    format_month,
    format_times,
    status_label,
)
from kankei_desktop.reports.layout import FRAME_WIDTH, GRID, HEADER_BACKGROUND, Story
from kankei_desktop.reports.settings import CoverSettings

RED = colors.HexColor("#C62828")
BLUE = colors.HexColor("#1565C0")


@dataclass
class MonthData:
    """A month's sessions and holidays."""

    year: int
    month: int
    entries: list[CalendarEntry]
    holidays: dict[date, str]


def month_data(services: Services, year: int, month: int) -> MonthData:
    """Sessions (cancelled ones included, marked) and holidays of the month."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    holidays = {day: name for day, name in jpholiday.between(first, last)}
    return MonthData(year, month, services.calendar.entries(first, last), holidays)


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


def render_month(data: MonthData, cover: CoverSettings) -> bytes:
    """The 月間予定表 PDF (weeks start on Sunday, as Japanese wall calendars do)."""
    story = Story()
    styles = story.styles
    title = month_title(data, cover)
    story.text(title, styles.title)
    by_day: dict[date, list[CalendarEntry]] = {}
    for entry in data.entries:
        by_day.setdefault(entry.date, []).append(entry)
    weeks = calendar.Calendar(firstweekday=6).monthdatescalendar(data.year, data.month)
    header: list[object] = [story.para(name, styles.head) for name in _weekday_names()]
    header[0] = Paragraph(f'<font color="#C62828">{_weekday_names()[0]}</font>', styles.head)
    header[6] = Paragraph(f'<font color="#1565C0">{_weekday_names()[6]}</font>', styles.head)
    grid: list[list[object]] = [header]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("TEXTCOLOR", (0, 0), (0, 0), RED),
        ("TEXTCOLOR", (6, 0), (6, 0), BLUE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for row, week in enumerate(weeks, start=1):
        cells: list[object] = []
        for column, day in enumerate(week):
            cells.append(_day_cell(story, day, data, by_day.get(day, []), column,
                                   _fitting(len(weeks), day in data.holidays)))
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
    height = _row_height(len(weeks))
    story.add(Table(grid, colWidths=[FRAME_WIDTH / 7] * 7,
                    rowHeights=[7 * mm] + [height * mm] * len(weeks),
                    style=TableStyle(commands)))
    story.space(4)
    legend = _("Red: Sundays and holidays, blue: Saturdays.")
    story.text(legend, styles.small)
    story.heading(_("Sessions this month"))
    if data.entries:
        story.table(
            [_("Date held"), _("Session time"), _("Club"), _("Session content"),
             _("Session format"), _("Place / URL")],
            [[_day_label(entry.date), format_times(entry.start_time, entry.end_time),
              entry.club_name, entry.title + (
                  f"（{status_label(entry.status)}）"
                  if entry.status == MeetingStatus.CANCELLED.value else ""),
              format_label(entry.format), entry.place or entry.url or "-"]
             for entry in data.entries],
            [0.13, 0.15, 0.19, 0.23, 0.12, 0.18])
    else:
        story.text(_("No sessions are planned in this month."))
    return story.build(title=title, author=cover.organisation or "Kankei Desktop",
                       subject=_("Monthly schedule"))


def _day_label(day: date) -> str:
    return f"{day.month}/{day.day}（{_weekday_names()[(day.weekday() + 1) % 7]}）"


def _row_height(weeks: int) -> float:
    """Height of a week row in mm (five or six weeks fill the upper part of the page)."""
    return min(32.0, 190.0 / weeks)


def _fitting(weeks: int, holiday: bool) -> int:
    """How many sessions a day cell can list (two lines each) before 「ほか n 件」."""
    lines = int((_row_height(weeks) * mm - 6) / 8) - 1 - (2 if holiday else 0)
    return max(1, (lines - 1) // 2)


def _day_cell(story: Story, day: date, data: MonthData, entries: list[CalendarEntry],
              column: int, fitting: int) -> Paragraph:
    styles = story.styles
    if day.month != data.month:
        return story.para(str(day.day), styles.small)
    colour = "#C62828" if column == 0 or day in data.holidays else (
        "#1565C0" if column == 6 else "#222222")
    parts = [f'<font color="{colour}" name="IPAexGothic" size="10">{day.day}</font>']
    holiday = data.holidays.get(day)
    if holiday:
        story.texts.append(holiday)
        parts.append(f'<font color="{colour}" size="6.5">{escape(holiday)}</font>')
    shown = entries if len(entries) <= fitting else entries[:fitting - 1 or 1]
    for entry in shown:
        text = f"{entry.start_time.strftime('%H:%M') + ' ' if entry.start_time else ''}" \
               f"{entry.club_name} {entry.title}"
        story.texts.append(text)
        if entry.status == MeetingStatus.CANCELLED.value:
            parts.append(f'<font size="6.5" color="#888888"><strike>{escape(text)}'
                         f'</strike></font>')
        else:
            parts.append(f'<font size="6.5">{escape(text)}</font>')
    if len(shown) < len(entries):
        more = _("and {count} more").format(count=len(entries) - len(shown))
        story.texts.append(more)
        parts.append(f'<font size="6.5">{escape(more)}</font>')
    style = styles.small.clone("daycell", leading=8)
    return Paragraph("<br/>".join(parts), style)
