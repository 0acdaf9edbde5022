"""The month grid, painted in one widget (no child widget per day or chip, so a month full
of sessions costs one paint, not thousands of widgets).

Weeks start on Sunday, as Japanese wall calendars do; Sundays and public holidays are red
(with the holiday's name), Saturdays blue, today highlighted. Each session is a chip in its
club's colour; what does not fit becomes 「他 N 件」.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

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

from kankei_desktop.core.i18n import ngettext
from kankei_desktop.core.services.calendar import CalendarEntry
from kankei_desktop.ui.pages.calendar import colors
from kankei_desktop.ui.pages.calendar.entries import (
    chip_text,
    is_cancelled,
    tooltip,
    weekday_name,
)

#: Column order: Sunday first (``date.weekday()`` numbers).
COLUMN_WEEKDAYS = (6, 0, 1, 2, 3, 4, 5)


def month_grid_start(year: int, month: int) -> date:
    """The Sunday on or before the 1st of the month."""
    first = date(year, month, 1)
    return first - timedelta(days=(first.weekday() + 1) % 7)


def month_grid_range(year: int, month: int) -> tuple[date, date]:
    """First and last day shown by the 6-week grid."""
    start = month_grid_start(year, month)
    return start, start + timedelta(days=41)


class MonthView(QWidget):
    """Six weeks around one month; double-click a day or a chip."""

    day_activated = Signal(object)
    """A day's empty space was double-clicked (a ``date``): create a session there."""
    entry_activated = Signal(object)
    """A chip was double-clicked (the session's ``uuid.UUID``)."""
    more_activated = Signal(object)
    """「他 N 件」 was double-clicked (its ``date``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Rich text for a session's tooltip; the page replaces it with one that reads the
        #: place and URL (the grid's rows do not carry them).
        self.tooltip_for: Callable[[CalendarEntry], str] = tooltip
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.year = date.today().year
        self.month = date.today().month
        self.today = date.today()
        self._by_day: dict[date, list[CalendarEntry]] = {}
        self._holidays: dict[date, str] = {}
        self._chips: list[tuple[QRect, CalendarEntry]] = []
        self._more: list[tuple[QRect, date, list[CalendarEntry]]] = []
        self._cells: list[tuple[QRect, date]] = []
        self._laid_out_for: tuple[object, ...] = ()
        self._generation = 0  # bumped per set_month: the layout is redone for new entries
        self._elided: dict[tuple[object, ...], str] = {}

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Room for the day numbers and a chip or two per day."""
        return QSize(560, 380)

    def set_month(
        self, year: int, month: int, entries: list[CalendarEntry], holidays: dict[date, str],
        today: date,
    ) -> None:
        """Show ``entries`` (already filtered) in the grid of ``year``/``month``."""
        self.year, self.month, self.today = year, month, today
        by_day: dict[date, list[CalendarEntry]] = defaultdict(list)
        for entry in entries:
            by_day[entry.date].append(entry)
        self._by_day = dict(by_day)
        self._generation += 1
        self._holidays = holidays
        if len(self._elided) > 20_000:
            self._elided.clear()
        self.update()

    def holiday(self, day: date) -> str:
        """The name of the public holiday drawn on ``day`` ("" for none)."""
        return self._holidays.get(day, "")

    def entries_on(self, day: date) -> list[CalendarEntry]:
        """The sessions drawn on ``day``."""
        return list(self._by_day.get(day, []))

    def forget_texts(self) -> None:
        """Drop the cached elided texts."""
        self._elided.clear()

    # -- geometry ------------------------------------------------------------------------

    def _header_height(self) -> int:
        return self.fontMetrics().height() + 8

    def cell_rect(self, day: date) -> QRect:
        """Where ``day`` is drawn (an empty rect when it is outside the grid)."""
        start = month_grid_start(self.year, self.month)
        index = (day - start).days
        if not 0 <= index < 42:
            return QRect()
        return self._cell_at(index // 7, index % 7)

    def _cell_at(self, row: int, column: int) -> QRect:
        top = self._header_height()
        width = self.width() - 1
        height = self.height() - top - 1
        x0 = column * width // 7
        x1 = (column + 1) * width // 7
        y0 = top + row * height // 6
        y1 = top + (row + 1) * height // 6
        return QRect(x0, y0, x1 - x0, y1 - y0)

    def _chip_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.9, 9.0))
        return small

    def _layout(self) -> None:
        """Place cells, chips and 「他 N 件」 for the current size (used by paint and clicks)."""
        self._chips, self._more, self._cells = [], [], []
        start = month_grid_start(self.year, self.month)
        chip_height = QFontMetrics(self._chip_font()).height() + 4
        line = self.fontMetrics().height()
        for index in range(42):
            day = start + timedelta(days=index)
            cell = self._cell_at(index // 7, index % 7)
            self._cells.append((cell, day))
            entries = self._by_day.get(day, [])
            if not entries:
                continue
            top = cell.top() + line + 4
            room = max(0, (cell.bottom() - 2 - top) // (chip_height + 2))
            shown = entries if len(entries) <= room else entries[: max(room - 1, 0)]
            for entry in shown:
                self._chips.append((QRect(cell.left() + 3, top, cell.width() - 6, chip_height),
                                    entry))
                top += chip_height + 2
            hidden = entries[len(shown):]
            if hidden:
                self._more.append((QRect(cell.left() + 3, top, cell.width() - 6, chip_height),
                                   day, hidden))
        self._laid_out_for = (self.size(), self.year, self.month, self._generation)

    def _ensure_layout(self) -> None:
        if self._laid_out_for != (self.size(), self.year, self.month, self._generation):
            self._layout()

    def chip_rect(self, meeting_id: uuid.UUID) -> QRect:
        """Where a session's chip is drawn (empty when hidden under 「他 N 件」)."""
        self._ensure_layout()
        for rect, entry in self._chips:
            if entry.id == meeting_id:
                return QRect(rect)
        return QRect()

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        """Header, cells, day numbers, holiday names, chips."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(self.rect(), self.palette().base())
        base = QFont(self.font())
        small = self._chip_font()
        bold = QFont(base)
        bold.setBold(True)
        metrics = self.fontMetrics()
        header = self._header_height()
        for column, weekday in enumerate(COLUMN_WEEKDAYS):
            rect = self._cell_at(0, column)
            rect = QRect(rect.left(), 0, rect.width(), header)
            painter.setPen(colors.SUNDAY if weekday == 6 else
                           colors.SATURDAY if weekday == 5 else colors.WEEKDAY)
            painter.setFont(bold)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, weekday_name(weekday))
        self._layout()
        for rect, day in self._cells:
            holiday = self._holidays.get(day, "")
            in_month = day.month == self.month
            if day == self.today:
                painter.fillRect(rect, colors.TODAY)
            elif holiday or day.weekday() == 6:
                painter.fillRect(rect, colors.HOLIDAY_BACKGROUND)
            painter.setPen(QPen(colors.GRID))
            painter.drawRect(rect)
            color = colors.day_color(day, holiday)
            if not in_month:
                color = QColor(color)
                color.setAlpha(110)
            painter.setFont(bold if day == self.today else base)
            painter.setPen(color)
            number = QRect(rect.left() + 4, rect.top() + 2, rect.width() - 8, metrics.height())
            painter.drawText(number, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             str(day.day))
            if day == self.today:
                ring = QRect(number.left() - 2, number.top(),
                             metrics.horizontalAdvance(str(day.day)) + 6, metrics.height())
                painter.setPen(QPen(colors.TODAY_RING, 2))
                painter.drawRect(ring)
            if holiday:
                painter.setFont(small)
                painter.setPen(color)
                left = metrics.horizontalAdvance("00") + 10
                name_rect = QRect(rect.left() + left, rect.top() + 2, rect.width() - left - 4,
                                  metrics.height())
                painter.drawText(
                    name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    painter.fontMetrics().elidedText(holiday, Qt.TextElideMode.ElideRight,
                                                     name_rect.width()))
        self._paint_chips(painter, small)
        painter.end()

    def _paint_chips(self, painter: QPainter, font: QFont) -> None:
        """All chips in few state changes: backgrounds first (antialiased, one brush per
        colour change), then the texts (elided once per chip width and cached).
        """
        brush_for: dict[uuid.UUID, QColor] = {}
        for rect, entry in self._chips:
            color = brush_for.get(entry.club_id)
            if color is None:
                color = brush_for[entry.club_id] = colors.club_color(entry.club_id)
            if is_cancelled(entry):
                color = QColor(color)
                color.setAlpha(90)
            painter.fillRect(rect, color)
        metrics = QFontMetrics(font)
        struck = QFont(font)
        struck.setStrikeOut(True)
        white, dark = QColor("white"), QColor("#333333")
        painter.setFont(font)
        painter.setPen(white)
        cancelled: list[tuple[QRect, str]] = []
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for rect, entry in self._chips:
            text_rect = rect.adjusted(4, 0, -3, 0)
            key = (entry.id, entry.title, entry.start_time, text_rect.width(), entry.designated)
            text = self._elided.get(key)
            if text is None:
                text = self._elided[key] = metrics.elidedText(
                    chip_text(entry), Qt.TextElideMode.ElideRight, text_rect.width())
            if is_cancelled(entry):
                cancelled.append((text_rect, text))
            else:
                painter.drawText(text_rect, align, text)
        if cancelled:
            painter.setFont(struck)
            painter.setPen(dark)
            for text_rect, text in cancelled:
                painter.drawText(text_rect, align, text)
        painter.setFont(font)
        painter.setPen(colors.WEEKDAY)
        more_texts: dict[int, str] = {}
        for rect, _day, hidden in self._more:
            text = more_texts.get(len(hidden))
            if text is None:
                text = more_texts[len(hidden)] = ngettext(
                    "+{count} more", "+{count} more", len(hidden)).format(count=len(hidden))
            painter.drawText(rect, align,
                             metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width()))

    # -- interaction ---------------------------------------------------------------------

    def entry_at(self, point: QPoint) -> CalendarEntry | None:
        """The chip under ``point``."""
        self._ensure_layout()
        for rect, entry in self._chips:
            if rect.contains(point):
                return entry
        return None

    def day_at(self, point: QPoint) -> date | None:
        """The day under ``point``."""
        self._ensure_layout()
        for rect, day in self._cells:
            if rect.contains(point):
                return day
        return None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """Chip → open it; 「他 N 件」 → that week; empty space → a new session that day."""
        point = event.position().toPoint()
        entry = self.entry_at(point)
        if entry is not None:
            self.entry_activated.emit(entry.id)
            return
        for rect, day, _hidden in self._more:
            if rect.contains(point):
                self.more_activated.emit(day)
                return
        empty_day = self.day_at(point)
        if empty_day is not None:
            self.day_activated.emit(empty_day)

    def event(self, event: QEvent) -> bool:
        """Tooltips for chips and 「他 N 件」."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            point = event.pos()
            entry = self.entry_at(point)
            if entry is not None:
                QToolTip.showText(event.globalPos(), self.tooltip_for(entry), self)
                return True
            for rect, _day, hidden in self._more:
                if rect.contains(point):
                    QToolTip.showText(event.globalPos(),
                                      "<hr>".join(self.tooltip_for(item) for item in hidden), self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)
