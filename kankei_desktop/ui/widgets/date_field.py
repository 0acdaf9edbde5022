"""A date field as staff read and type dates: 和暦 or 西暦 with the weekday, and any of
「R3.12.16」「令和3年12月16日」「2021/12/16」「3/12/16」「12/16」 typed in.

The text shows the date the way the setting says (編集 ▸ 設定; by default like the reports);
what is typed is read by the import's parser (:mod:`kankei_desktop.core.japan.dates`). A
calendar button picks a day with the mouse. Text that is no date is refused with a sentence
under the field and the last date comes back.
"""

from __future__ import annotations

import datetime
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.dates import parse_date_text
from kankei_desktop.core.japan.formatting import format_day


def _to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DateField(QWidget):
    """One date (or none, when ``optional``) with a calendar button."""

    dateChanged = Signal(QDate)  # noqa: N815 - the same signal as QDateEdit's
    """The date changed (an empty optional field emits an invalid QDate)."""

    def __init__(self, value: date | None = None, *, optional: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._optional = optional
        self._value: date | None = value if value is not None or optional else date.today()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("None") if optional else "")
        self.edit.setToolTip(_("Type e.g. R3.12.16, 令和3年12月16日, 2021/12/16 or 3/12/16 "
                               "(令和3年), or choose the day with the calendar button"))
        row.addWidget(self.edit, 1)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("▦")
        self.calendar_button.setToolTip(_("Choose the day on a calendar"))
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.calendar_button)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.calendar_button.setMenu(menu)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        row.addWidget(self.calendar_button)
        column.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setVisible(False)
        column.addWidget(self.message)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self._read_text)
        self._show()

    # -- value -------------------------------------------------------------------------------

    def value(self) -> date | None:
        """The date (None: an empty optional field). Text typed but not yet read is read."""
        self._read_text()
        return self._value

    def set_value(self, value: date | None) -> None:
        """Show ``value`` (None empties an optional field)."""
        if value is None and not self._optional:
            return
        changed = value != self._value
        self._value = value
        self.message.setVisible(False)
        self._show()
        if changed:
            self.dateChanged.emit(_to_qdate(value) if value is not None else QDate())

    def date(self) -> QDate:
        """The date as a QDate (an invalid one when empty), as QDateEdit offers it."""
        value = self.value()
        return _to_qdate(value) if value is not None else QDate()

    def setDate(self, value: QDate | datetime.date) -> None:  # noqa: N802 - QDateEdit's name
        """Show ``value`` (a QDate or a date)."""
        self.set_value(_from_qdate(value) if isinstance(value, QDate) else value)

    def error(self) -> str:
        """The sentence shown for text that is no date ("" when none)."""
        return self.message.text() if self.message.isVisible() else ""

    # -- internals ---------------------------------------------------------------------------

    def _shown_text(self) -> str:
        return format_day(self._value) if self._value is not None else ""

    def _show(self) -> None:
        self.edit.setText(self._shown_text())

    def _read_text(self) -> None:
        text = self.edit.text().strip()
        if text == self._shown_text():
            return
        if not text and self._optional:
            self.set_value(None)
            return
        try:
            chosen = parse_date_text(text, by_hand=True)
        except ValueError:
            self.message.setText(_(
                "'{text}' cannot be read as a date. Type e.g. R3.12.16, 令和3年12月16日, "
                "2021/12/16 or 3/12/16 (令和3年).").format(text=text))
            self.message.setVisible(True)
            self._show()
            return
        self.set_value(chosen)

    def _prepare_calendar(self) -> None:
        self._read_text()
        self.calendar.setSelectedDate(_to_qdate(self._value or date.today()))

    def _on_calendar_clicked(self, chosen: QDate) -> None:
        self.set_value(_from_qdate(chosen))
        menu = self.calendar_button.menu()
        if menu is not None:
            menu.close()
        self.edit.setFocus()


class OptionalDateEdit(DateField):
    """A date field that may stay empty (「なし」)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(None, optional=True, parent=parent)
