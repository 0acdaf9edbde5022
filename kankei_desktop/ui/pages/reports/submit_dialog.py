"""Asks to whom and on which day a built report was submitted (提出済み)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from kankei_desktop.core.i18n import _


class SubmitDialog(QDialog):
    """Asks to whom and on which day the report was submitted."""

    def __init__(self, recipient: str, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Mark as submitted"))
        form = QFormLayout(self)
        form.addRow(QLabel(_("The PDF and the figures it shows are kept in the file, so you "
                             "can later show what was filed.")))
        self.recipient = QLineEdit(recipient)
        self.day = QDateEdit(QDate(day.year, day.month, day.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        form.addRow(_("Submitted to"), self.recipient)
        form.addRow(_("Submitted on"), self.day)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(buttons)
        form.addRow(row)

    def values(self) -> tuple[str, date]:
        day = self.day.date()
        return self.recipient.text().strip(), date(day.year(), day.month(), day.day())
