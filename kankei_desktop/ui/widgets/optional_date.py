"""A date field that can also be empty (「なし」)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QToolButton, QWidget

from kankei_desktop.core.i18n import _

_NONE = QDate(1900, 1, 1)


class OptionalDateEdit(QWidget):
    """QDateEdit whose minimum shows as "None"; a button clears it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setMinimumDate(_NONE)
        self.edit.setSpecialValueText(_("None"))
        self.edit.setDate(_NONE)
        row.addWidget(self.edit, 1)
        clear = QToolButton()
        clear.setText(_("Clear"))
        clear.setToolTip(_("Leave the date empty"))
        clear.clicked.connect(lambda: self.set_value(None))
        row.addWidget(clear)
        self.setFocusProxy(self.edit)

    def value(self) -> date | None:
        """The date, or None when empty."""
        chosen = self.edit.date()
        if chosen == _NONE:
            return None
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, value: date | None) -> None:
        """Show ``value`` (None = empty)."""
        self.edit.setDate(QDate(value.year, value.month, value.day) if value else _NONE)
