"""Small helpers shared by the calendar's dialogs: dates, times, warning labels."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QComboBox, QLabel, QTimeEdit, QWidget

from kankei_desktop.ui.widgets.date_field import DateField


def to_qdate(value: date) -> QDate:
    """``date`` → ``QDate``."""
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    """``QDate`` → ``date``."""
    return date(value.year(), value.month(), value.day())


def from_qtime(value: QTime) -> time:
    """``QTime`` → ``time`` (minutes)."""
    return time(value.hour(), value.minute())


def date_edit(value: date, parent: QWidget | None = None) -> DateField:
    """A date field (和暦 or 西暦 with the weekday; typed dates read as in the import) with a
    calendar button."""
    return DateField(value, parent=parent)


def time_edit(value: time, parent: QWidget | None = None) -> QTimeEdit:
    """A ``HH:mm`` time field."""
    edit = QTimeEdit(QTime(value.hour, value.minute), parent)
    edit.setDisplayFormat("HH:mm")
    return edit


class WarningLabel(QLabel):
    """An amber sentence under a field: a warning the user may accept (hidden while empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #8a5300;")
        self.setVisible(False)

    def show_messages(self, messages: list[str]) -> None:
        """Show the messages, one per line, or hide."""
        self.setText("\n".join(f"⚠ {message}" for message in messages))
        self.setVisible(bool(messages))


def index_of(combo: QComboBox, value: object) -> int:
    """The row whose data equals ``value`` (``findData`` cannot compare Python objects such
    as ``uuid.UUID``); -1 when absent.
    """
    for row in range(combo.count()):
        if combo.itemData(row) == value:
            return row
    return -1


def select_data(combo: QComboBox, value: object) -> bool:
    """Select the row holding ``value``; False when there is none."""
    row = index_of(combo, value)
    if row >= 0:
        combo.setCurrentIndex(row)
    return row >= 0
