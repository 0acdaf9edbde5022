"""A club's sessions, newest first (read-only here; the calendar page edits them)."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import MeetingFormat, MeetingStatus, label
from kankei_desktop.ui.pages.calendar.entries import DESIGNATED_MARK

SHOWN = 100


def _label(vocabulary: type[MeetingFormat] | type[MeetingStatus], code: str) -> str:
    try:
        return label(vocabulary(code))
    except ValueError:
        return code


class ClubSessionsPanel(QWidget):
    """The newest sessions of one club, with their count."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        column.addWidget(self.summary)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Date"), _("Session"), _("Format"), _("Status")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(140)
        self.table.setToolTip(_("Double-click a session to open it. ◆: designated activity "
                                "(担い手活動)"))
        self.table.cellDoubleClicked.connect(self._open_row)
        column.addWidget(self.table)
        self._ids: list[uuid.UUID] = []
        self._club_id: uuid.UUID | None = None

    def load(self, club_id: uuid.UUID | None) -> None:
        """Show the sessions of ``club_id`` (None: a new club, which has none yet)."""
        self.table.setRowCount(0)
        self._ids = []
        self._club_id = club_id
        if club_id is None:
            self.summary.setText(_("Save the club first; its sessions are listed here."))
            self.table.setVisible(False)
            return
        total = self._services.meetings.count(club_id=club_id)
        meetings = self._services.meetings.find(club_id=club_id, newest_first=True, limit=SHOWN)
        if not total:
            self.summary.setText(_("No sessions yet. Sessions are planned and recorded on the "
                                   "Calendar page."))
        elif total > len(meetings):
            self.summary.setText(_("{total} sessions; the newest {shown} are shown.").format(
                total=total, shown=len(meetings)))
        else:
            self.summary.setText(_("{total} sessions.").format(total=total))
        self.table.setVisible(bool(meetings))
        self.table.setRowCount(len(meetings))
        self._ids = [meeting.id for meeting in meetings]
        for row, meeting in enumerate(meetings):
            title = f"{DESIGNATED_MARK}{meeting.title}" if meeting.designated else meeting.title
            cells = (meeting.date.isoformat(), title,
                     _label(MeetingFormat, meeting.format), _label(MeetingStatus, meeting.status))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(1, max(self.table.columnWidth(1), 200))

    def _open_row(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._ids):
            self.open_session(self._ids[row])

    def open_session(self, meeting_id: uuid.UUID) -> None:
        """Open a session in the calendar's session editor; reload the list afterwards."""
        from kankei_desktop.ui.pages.calendar.editor import SessionEditor

        editor = SessionEditor(self._services, meeting_id, parent=self)
        editor.finished.connect(lambda _result: self.load(self._club_id))
        editor.open()

    def row_count(self) -> int:
        """How many sessions are listed."""
        return self.table.rowCount()
