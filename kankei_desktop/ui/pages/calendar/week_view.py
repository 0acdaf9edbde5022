"""The week view: seven days side by side on a time axis, sessions as blocks (one painted
widget). Sessions without a start time sit in the 「終日」 strip at the top.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, time, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services.calendar import CalendarEntry
from kankei_desktop.ui.pages.calendar import colors
from kankei_desktop.ui.pages.calendar.entries import (
    entry_title,
    is_cancelled,
    time_text,
    tooltip,
    weekday_name,
)

DEFAULT_FIRST_HOUR = 8
DEFAULT_LAST_HOUR = 22
AXIS_WIDTH = 52
#: Blocks narrower than this (many parallel sessions) show no text; the tooltip tells.
MIN_TEXT_WIDTH = 18


def week_start(day: date) -> date:
    """The Sunday on or before ``day`` (weeks start on Sunday, like the month grid)."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _end_minutes(entry: CalendarEntry) -> int:
    assert entry.start_time is not None
    start = _minutes(entry.start_time)
    if entry.end_time is None or _minutes(entry.end_time) <= start:
        return start + 60
    return _minutes(entry.end_time)


def assign_lanes(entries: list[CalendarEntry]) -> list[tuple[CalendarEntry, int, int]]:
    """``(entry, lane, lanes)``: overlapping timed sessions of one day side by side."""
    timed = sorted((e for e in entries if e.start_time is not None),
                   key=lambda e: (_minutes(e.start_time or time()), _end_minutes(e)))
    placed: list[tuple[CalendarEntry, int, int]] = []
    group: list[tuple[CalendarEntry, int]] = []
    lane_ends: list[int] = []
    group_end = -1

    def close_group() -> None:
        lanes = max((lane for _e, lane in group), default=-1) + 1
        placed.extend((entry, lane, lanes) for entry, lane in group)

    for entry in timed:
        start = _minutes(entry.start_time or time())
        if start >= group_end and group:
            close_group()
            group, lane_ends = [], []
        for lane, end in enumerate(lane_ends):
            if end <= start:
                lane_ends[lane] = _end_minutes(entry)
                group.append((entry, lane))
                break
        else:
            lane_ends.append(_end_minutes(entry))
            group.append((entry, len(lane_ends) - 1))
        group_end = max(group_end, _end_minutes(entry))
    if group:
        close_group()
    return placed


class WeekView(QWidget):
    """One week on a time axis; double-click a slot or a block."""

    slot_activated = Signal(object, object)
    """Empty space double-clicked: (``date``, ``time`` or None for the all-day strip)."""
    entry_activated = Signal(object)
    """A block double-clicked (the session's ``uuid.UUID``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Rich text for a session's tooltip; the page replaces it with one that reads the
        #: place and URL (the grid's rows do not carry them).
        self.tooltip_for: Callable[[CalendarEntry], str] = tooltip
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.start = week_start(date.today())
        self.today = date.today()
        self._by_day: dict[date, list[CalendarEntry]] = {}
        self._holidays: dict[date, str] = {}
        self.first_hour = DEFAULT_FIRST_HOUR
        self.last_hour = DEFAULT_LAST_HOUR
        self._blocks: list[tuple[QRect, CalendarEntry]] = []
        self._elided: dict[tuple[str, int], str] = {}
        self._all_day_rows = 0
        self._top = 0

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Seven narrow columns and a readable hour height."""
        return QSize(560, 380)

    def set_week(self, start: date, entries: list[CalendarEntry], holidays: dict[date, str],
                 today: date) -> None:
        """Show the week starting on ``start`` (a Sunday)."""
        self.start, self.today, self._holidays = start, today, holidays
        by_day: dict[date, list[CalendarEntry]] = defaultdict(list)
        first, last = DEFAULT_FIRST_HOUR, DEFAULT_LAST_HOUR
        for entry in entries:
            by_day[entry.date].append(entry)
            if entry.start_time is not None:
                first = min(first, entry.start_time.hour)
                last = max(last, min(24, (_end_minutes(entry) + 59) // 60))
        self._by_day = dict(by_day)
        self._all_day_rows = max((sum(1 for e in day if e.start_time is None)
                                  for day in self._by_day.values()), default=0)
        self.first_hour, self.last_hour = first, last
        self._blocks = []
        if len(self._elided) > 20_000:
            self._elided.clear()
        self.update()

    def forget_texts(self) -> None:
        """Drop the cached elided texts."""
        self._elided.clear()

    # -- geometry ------------------------------------------------------------------------

    def _header_height(self) -> int:
        return self.fontMetrics().height() * 2 + 8

    def _all_day_height(self) -> int:
        return max(self._all_day_rows, 1) * (QFontMetrics(self._small_font()).height() + 4) + 6

    def _small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.9, 9.0))
        return small

    def _column(self, index: int) -> tuple[int, int]:
        width = self.width() - AXIS_WIDTH - 1
        return (AXIS_WIDTH + index * width // 7, AXIS_WIDTH + (index + 1) * width // 7)

    def _grid_top(self) -> int:
        return self._header_height() + self._all_day_height()

    def _y_of(self, minutes: int) -> int:
        top = self._top
        span = (self.last_hour - self.first_hour) * 60
        return top + (minutes - self.first_hour * 60) * (self.height() - top - 1) // span

    def _layout(self) -> list[tuple[QRect, CalendarEntry]]:
        self._top = self._grid_top()
        blocks = []
        line = QFontMetrics(self._small_font()).height() + 4
        for index in range(7):
            day = self.start + timedelta(days=index)
            x0, x1 = self._column(index)
            entries = self._by_day.get(day, [])
            top = self._header_height() + 3
            for entry in entries:
                if entry.start_time is None:
                    blocks.append((QRect(x0 + 2, top, x1 - x0 - 4, line - 2), entry))
                    top += line
            for entry, lane, lanes in assign_lanes(entries):
                width = (x1 - x0 - 4) // lanes
                assert entry.start_time is not None
                y0 = self._y_of(_minutes(entry.start_time))
                y1 = self._y_of(_end_minutes(entry))
                blocks.append((QRect(x0 + 2 + lane * width, y0 + 1, width - 2,
                                     max(y1 - y0 - 2, line)), entry))
        return blocks

    def block_rect(self, meeting_id: uuid.UUID) -> QRect:
        """Where a session's block is drawn."""
        for rect, entry in self._layout():
            if entry.id == meeting_id:
                return rect
        return QRect()

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        """Header with dates and holidays, the all-day strip, hour lines, blocks."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        base = QFont(self.font())
        small = self._small_font()
        bold = QFont(base)
        bold.setBold(True)
        metrics = self.fontMetrics()
        header = self._header_height()
        grid_top = self._grid_top()
        line = metrics.height()
        for index in range(7):
            day = self.start + timedelta(days=index)
            x0, x1 = self._column(index)
            holiday = self._holidays.get(day, "")
            column = QRect(x0, 0, x1 - x0, self.height())
            if day == self.today:
                painter.fillRect(column, colors.TODAY)
            elif holiday or day.weekday() == 6:
                painter.fillRect(column, colors.HOLIDAY_BACKGROUND)
            color = colors.day_color(day, holiday)
            painter.setPen(color)
            painter.setFont(bold if day == self.today else base)
            painter.drawText(QRect(x0, 2, x1 - x0, line), Qt.AlignmentFlag.AlignCenter,
                             f"{day.month}/{day.day}（{weekday_name(day.weekday())}）")
            if holiday:
                painter.setFont(small)
                painter.drawText(
                    QRect(x0 + 2, 2 + line, x1 - x0 - 4, line), Qt.AlignmentFlag.AlignCenter,
                    painter.fontMetrics().elidedText(holiday, Qt.TextElideMode.ElideRight,
                                                     x1 - x0 - 4))
            painter.setPen(QPen(colors.GRID))
            painter.drawLine(x0, 0, x0, self.height())
        right = self._column(6)[1]
        painter.setPen(QPen(colors.GRID))
        painter.drawLine(right, 0, right, self.height())
        painter.drawLine(0, header, right, header)
        painter.drawLine(0, grid_top, right, grid_top)
        painter.setFont(small)
        painter.setPen(colors.MUTED)
        painter.drawText(QRect(0, header, AXIS_WIDTH - 4, grid_top - header),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         _("All day"))
        self._top = grid_top
        for hour in range(self.first_hour, self.last_hour + 1):
            y = self._y_of(hour * 60)
            painter.setPen(QPen(colors.GRID))
            painter.drawLine(AXIS_WIDTH - 4, y, right, y)
            if hour < self.last_hour:
                painter.setPen(colors.MUTED)
                painter.drawText(QRect(0, y, AXIS_WIDTH - 8, line),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                                 f"{hour}:00")
        self._blocks = self._layout()
        self._paint_blocks(painter, small)
        painter.end()

    def _paint_blocks(self, painter: QPainter, font: QFont) -> None:
        """Backgrounds first, then texts: few state changes; narrow blocks stay plain
        (their tooltip tells), elided texts are cached per block width.
        """
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for rect, entry in self._blocks:
            color = colors.club_color(entry.club_id)
            if is_cancelled(entry):
                color.setAlpha(90)
            painter.setBrush(color)
            painter.drawRoundedRect(rect, 3, 3)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        metrics = QFontMetrics(font)
        line = metrics.height()
        struck = QFont(font)
        struck.setStrikeOut(True)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for cancelled in (False, True):
            painter.setFont(struck if cancelled else font)
            painter.setPen(QColor("#333333") if cancelled else QColor("white"))
            for rect, entry in self._blocks:
                if is_cancelled(entry) != cancelled:
                    continue
                inner = rect.adjusted(4, 1, -3, -1)
                if inner.width() < MIN_TEXT_WIDTH:
                    continue
                texts = [entry_title(entry)] if entry.start_time is None else [
                    time_text(entry.start_time, entry.end_time), entry_title(entry),
                    entry.club_name]
                fitting = max(1, (inner.height() + 2) // line)
                for index, text in enumerate(texts[:fitting]):
                    key = (text, inner.width())
                    shown = self._elided.get(key)
                    if shown is None:
                        shown = self._elided[key] = metrics.elidedText(
                            text, Qt.TextElideMode.ElideRight, inner.width())
                    painter.drawText(QRect(inner.left(), inner.top() + index * line,
                                           inner.width(), line), align, shown)

    # -- interaction ---------------------------------------------------------------------

    def entry_at(self, point: QPoint) -> CalendarEntry | None:
        """The block under ``point`` (the topmost when they overlap)."""
        for rect, entry in reversed(self._layout()):
            if rect.contains(point):
                return entry
        return None

    def slot_at(self, point: QPoint) -> tuple[date, time | None] | None:
        """The day and the half hour (None in the all-day strip) under ``point``."""
        for index in range(7):
            x0, x1 = self._column(index)
            if x0 <= point.x() < x1:
                day = self.start + timedelta(days=index)
                if point.y() < self._header_height():
                    return None
                if point.y() < self._grid_top():
                    return day, None
                top = self._grid_top()
                span = (self.last_hour - self.first_hour) * 60
                minutes = self.first_hour * 60 + (point.y() - top) * span // max(
                    self.height() - top - 1, 1)
                minutes = max(0, min(minutes - minutes % 30, 23 * 60 + 30))
                return day, time(minutes // 60, minutes % 60)
        return None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """Block → open it; empty slot → a new session then."""
        point = event.position().toPoint()
        entry = self.entry_at(point)
        if entry is not None:
            self.entry_activated.emit(entry.id)
            return
        slot = self.slot_at(point)
        if slot is not None:
            self.slot_activated.emit(*slot)

    def event(self, event: QEvent) -> bool:
        """Tooltips for blocks."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            entry = self.entry_at(event.pos())
            if entry is not None:
                QToolTip.showText(event.globalPos(), self.tooltip_for(entry), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
