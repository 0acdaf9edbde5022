"""The drill-down beside the status list: one person's designated activities (the sessions
behind the count) and why premium is or is not possible."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.furusato.status import PersonStatus
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.reports.common import session_place, short_title


class PersonDetail(QWidget):
    """One person's count, reasons and sessions."""

    certificate_requested = Signal()
    """The user asked for this person's 活動実績証明書."""
    register_requested = Signal()
    """The user asked to record a registration for this person."""
    session_opened = Signal(object)
    """A session was double-clicked (its ``uuid.UUID``)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.session_ids: list[uuid.UUID] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 0, 0, 0)
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        column.addWidget(self.heading)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        column.addWidget(self.reasons)
        self.sessions = QTableWidget(0, 3)
        self.sessions.setHorizontalHeaderLabels([_("Date held"), _("Activity"), _("Place")])
        self.sessions.verticalHeader().setVisible(False)
        self.sessions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.sessions.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 140)
        self.sessions.setWordWrap(True)
        self.sessions.setToolTip(_("The designated sessions behind the count (attended, "
                                   "held); double-click to open one"))
        self.sessions.cellDoubleClicked.connect(self._open)
        column.addWidget(self.sessions, 1)
        buttons = QHBoxLayout()
        self.certificate = QPushButton(_("Certificate…"))
        self.certificate.setToolTip(_("The 活動実績証明書 of this person"))
        self.certificate.clicked.connect(self.certificate_requested.emit)
        self.register = QPushButton(_("Register…"))
        self.register.setToolTip(_("Record this person's registration with the municipality"))
        self.register.clicked.connect(self.register_requested.emit)
        buttons.addWidget(self.certificate)
        buttons.addWidget(self.register)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.show_person(None)

    def show_person(self, person: PersonStatus | None, code: str = "",
                    period: tuple[date, date] | None = None) -> None:
        """Show ``person``'s sessions for the municipality ``code`` in ``period``."""
        self.sessions.setRowCount(0)
        self.session_ids = []
        self.certificate.setEnabled(person is not None)
        self.register.setEnabled(person is not None and person.registration is None)
        if person is None or period is None:
            self.heading.setText(_("Choose a person to see the designated activities behind "
                                   "the count."))
            self.reasons.setText("")
            return
        self.heading.setText(_("{name}: {count} designated activities").format(
            name=person.name, count=person.activities))
        self.reasons.setText("\n".join(person.reasons) if person.reasons else _(
            "Qualifies for premium registration."))
        activities = self._services.furusato.activities(person.person_id, code, *period)
        self.sessions.setRowCount(len(activities))
        for index, activity in enumerate(activities):
            cells = (activity.date.isoformat(),
                     f"{activity.club_name}　{short_title(activity.title, activity.club_name)}",
                     session_place(activity.place, activity.tool, activity.url))
            for column, text in enumerate(cells):
                self.sessions.setItem(index, column, QTableWidgetItem(text))
            self.session_ids.append(activity.meeting_id)
        self.sessions.resizeRowsToContents()

    def _open(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.session_ids):
            self.session_opened.emit(self.session_ids[row])
