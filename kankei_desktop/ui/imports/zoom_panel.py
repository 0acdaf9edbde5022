"""The Zoom part of the import dialog: choose the session, settle each participant, import."""

from __future__ import annotations

import uuid
from collections.abc import Hashable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.imports.importer import Analysis
from kankei_desktop.imports.zoom import (
    MatchKind,
    ZoomParticipant,
    apply_zoom,
    match_participants,
    participants_of,
)
from kankei_desktop.ui.widgets.pickers import person_search
from kankei_desktop.ui.widgets.record_picker import RecordPicker, SearchFunction

ATTEND, CREATE, LEAVE_OUT = "attend", "create", "leave_out"


def meeting_search(services: Services) -> SearchFunction:
    """Sessions matching the text, newest first, as 「2021-12-16 定例会（鷹栖クラブ）」."""

    def search(text: str) -> list[tuple[Hashable, str]]:
        meetings = services.meetings.find(text, limit=30, newest_first=True)
        clubs = services.clubs.names({meeting.club_id for meeting in meetings})
        return [(meeting.id, _("{date} {title} ({club})").format(
            date=meeting.date.isoformat(), title=meeting.title,
            club=clubs.get(meeting.club_id, ""))) for meeting in meetings]

    return search


class ZoomPanel(QWidget):
    """Participants of a Zoom report with a person picker and an action each."""

    imported = Signal(str)
    """The import was done (the summary text)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.participants: list[ZoomParticipant] = []
        self.pickers: list[RecordPicker] = []
        self.choices: list[QComboBox] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Session:")))
        self.session_picker = RecordPicker(
            meeting_search(services), _("Type a date or title, then choose the session"))
        self.session_picker.chosen.connect(lambda _key: self._update_button())
        row.addWidget(self.session_picker, 1)
        column.addLayout(row)
        self.hint = QLabel(_(
            "Participants found by e-mail, by name or from an earlier report are matched. "
            "Choose a person for the others, create them, or leave them out; your choices are "
            "remembered for the next report."))
        self.hint.setWordWrap(True)
        column.addWidget(self.hint)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [_("Zoom name"), _("E-mail"), _("Minutes"), _("Person"), _("Action")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        column.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.counts = QLabel("")
        bottom.addWidget(self.counts, 1)
        self.import_button = QPushButton(_("Mark as attended on the session"))
        self.import_button.clicked.connect(self.apply)
        bottom.addWidget(self.import_button)
        column.addLayout(bottom)
        self._update_button()

    def set_analysis(self, analysis: Analysis) -> None:
        """Show the participants of a Zoom report, matched where possible."""
        self.participants = participants_of(analysis)
        match_participants(self.services, self.participants)
        names = self.services.people.names(
            {p.person_id for p in self.participants if p.person_id is not None}
            | {c for p in self.participants for c in p.candidates})
        self.table.setRowCount(len(self.participants))
        self.pickers, self.choices = [], []
        for row, participant in enumerate(self.participants):
            self.table.setItem(row, 0, QTableWidgetItem(participant.display_name))
            self.table.setItem(row, 1, QTableWidgetItem(participant.email))
            self.table.setItem(row, 2, QTableWidgetItem(str(participant.minutes)))
            picker = RecordPicker(person_search(self.services), _("Choose a person"))
            if participant.person_id is not None:
                picker.set_value(participant.person_id, names.get(participant.person_id, ""))
            elif participant.candidates:
                picker.setPlaceholderText(_("Several people have this name: choose one"))
            action = QComboBox()
            action.addItem(_("Mark attended"), ATTEND)
            action.addItem(_("Create a new person"), CREATE)
            action.addItem(_("Leave out"), LEAVE_OUT)
            action.setCurrentIndex(0 if participant.person_id is not None else 2)
            picker.chosen.connect(lambda key, combo=action: self._on_person_chosen(key, combo))
            action.currentIndexChanged.connect(lambda _index: self._update_button())
            self.table.setCellWidget(row, 3, picker)
            self.table.setCellWidget(row, 4, action)
            self.pickers.append(picker)
            self.choices.append(action)
        self._update_button()

    def _on_person_chosen(self, key: object, combo: QComboBox) -> None:
        if key is not None:
            combo.setCurrentIndex(0)
        self._update_button()

    def _settled(self) -> list[ZoomParticipant]:
        """The participants with the user's choices applied."""
        for participant, picker, action in zip(self.participants, self.pickers, self.choices,
                                               strict=True):
            choice = action.currentData()
            chosen = picker.value
            if choice == CREATE:
                participant.match = MatchKind.CREATE
            elif choice == ATTEND and isinstance(chosen, uuid.UUID):
                if chosen != participant.person_id or participant.match is MatchKind.NONE:
                    participant.match = MatchKind.HAND
                participant.person_id = chosen
            else:
                participant.match = MatchKind.NONE
        return self.participants

    def _update_button(self) -> None:
        attending = sum(
            1 for picker, action in zip(self.pickers, self.choices, strict=True)
            if (action.currentData() == ATTEND and picker.value is not None)
            or action.currentData() == CREATE)
        self.counts.setText(_("{count} of {total} participants will be marked attended.").format(
            count=attending, total=len(self.participants)))
        self.import_button.setEnabled(
            bool(self.participants) and self.session_picker.value is not None and attending > 0)

    def apply(self) -> None:
        """Mark the settled participants attended on the chosen session."""
        meeting_id = self.session_picker.value
        if not isinstance(meeting_id, uuid.UUID):
            return
        try:
            summary = apply_zoom(self.services, meeting_id, self._settled())
        except KankeiError as exc:
            QMessageBox.warning(self, _("Import"), exc.message)
            return
        self.import_button.setEnabled(False)
        self.imported.emit("\n".join(summary.lines()))
