"""出欠: the club's members and the guests of one session, each with 出席/欠席/連絡あり欠席.

The list is part of the session editor's form: changes are kept here and saved with the
session by 保存 (one transaction), or dropped by 取消. A new session has the list too (the
members of the chosen club), so a session that already took place is recorded in one go.
"""

from __future__ import annotations

import uuid
from collections import Counter

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.attendance import RosterRow
from kankei_desktop.core.vocabulary import AttendanceStatus, PersonCategory, label
from kankei_desktop.ui.pages.calendar.guest import GuestDialog
from kankei_desktop.ui.widgets.pickers import person_search
from kankei_desktop.ui.widgets.record_picker import RecordPicker

STATUS_COLUMN = 4


def _category(code: str) -> str:
    try:
        return label(PersonCategory(code))
    except ValueError:
        return code


class AttendancePanel(QWidget):
    """The attendance list of one session (saved or new) with live counts."""

    changed = Signal()
    """A status was chosen or a guest added (not saved yet)."""

    def __init__(self, services: Services, meeting_id: uuid.UUID | None,
                 parent: QWidget | None = None, *, club_id: uuid.UUID | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.meeting_id = meeting_id
        self.club_id = club_id
        self._rows: list[RosterRow] = []
        self._stored: dict[uuid.UUID, str] = {}
        self._chosen: dict[uuid.UUID, str] = {}
        self._guests: list[uuid.UUID] = []
        column = QVBoxLayout(self)
        note = QLabel(_("Changes here are saved with the session when you press Save, and "
                        "dropped by Cancel."))
        note.setWordWrap(True)
        column.addWidget(note)
        self.counts = QLabel()
        self.counts.setObjectName("attendanceCounts")
        self.counts.setWordWrap(True)
        column.addWidget(self.counts)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [_("Name"), _("Reading"), _("Category"), _("Member / guest"), _("Attendance")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            STATUS_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(False)
        column.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.all_attended = QPushButton(_("Mark everyone not yet recorded as attended"))
        self.all_attended.clicked.connect(self._mark_rest_attended)
        buttons.addWidget(self.all_attended)
        buttons.addStretch(1)
        column.addLayout(buttons)
        guest_row = QHBoxLayout()
        guest_row.addWidget(QLabel(_("Guest:")))
        self.guest_picker = RecordPicker(person_search(services),
                                         _("Type part of a name to find a person"))
        guest_row.addWidget(self.guest_picker, 1)
        self.add_guest_button = QPushButton(_("Add as guest"))
        self.add_guest_button.clicked.connect(self._add_picked_guest)
        guest_row.addWidget(self.add_guest_button)
        self.new_guest_button = QPushButton(_("New person…"))
        self.new_guest_button.clicked.connect(self._new_guest)
        guest_row.addWidget(self.new_guest_button)
        column.addLayout(guest_row)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        column.addWidget(self.error)
        self.reload()

    # -- the list ---------------------------------------------------------------------------

    def set_club(self, club_id: uuid.UUID | None) -> None:
        """The session's club changed in the form: list its members (choices and guests
        stay)."""
        if club_id != self.club_id:
            self.club_id = club_id
            self.reload()

    def reload(self) -> None:
        """Read the list again (stored statuses from the file, choices from the form)."""
        try:
            rows = self._services.attendance.roster(
                self.meeting_id, club_id=self.club_id, people=[*self._chosen, *self._guests])
        except KankeiError as exc:
            self.error.setText(exc.message)
            rows = []
        self._stored = {row.person_id: row.status for row in rows}
        self._rows = [row._replace(status=self._chosen.get(row.person_id, row.status))
                      for row in rows]
        self.table.setRowCount(len(self._rows))
        for index, row in enumerate(self._rows):
            kind = _("Member") if row.is_member else _("Guest")
            for column, text in enumerate((row.name, row.reading, _category(row.category), kind)):
                self.table.setItem(index, column, QTableWidgetItem(text))
            combo = QComboBox()
            combo.addItem(_("Not recorded"), "")
            for status in AttendanceStatus:
                combo.addItem(label(status), status.value)
            combo.setCurrentIndex(max(combo.findData(row.status), 0))
            combo.currentIndexChanged.connect(
                lambda _index, person=row.person_id, box=combo: self._set(person, box))
            self.table.setCellWidget(index, STATUS_COLUMN, combo)
        self.table.resizeColumnsToContents()
        self._update_counts()
        if not self._rows:
            self.counts.setText(
                _("Choose the club on the Details tab; its members are listed here.")
                if self.club_id is None else
                _("The club has no members yet. Add members on the Clubs page, or add guests "
                  "below."))

    def status_of(self, person_id: uuid.UUID) -> str:
        """The status chosen for a person on the list ("" = not recorded)."""
        for row in self._rows:
            if row.person_id == person_id:
                return row.status
        return ""

    def set_status(self, person_id: uuid.UUID, status: str) -> None:
        """Choose ``status`` in the person's row (as a user would)."""
        for index, row in enumerate(self._rows):
            if row.person_id == person_id:
                combo = self.table.cellWidget(index, STATUS_COLUMN)
                assert isinstance(combo, QComboBox)
                combo.setCurrentIndex(combo.findData(status))
                return
        raise KeyError(person_id)

    def counts_by_status(self) -> Counter[str]:
        """How many people have each status ("" = not recorded)."""
        return Counter(row.status for row in self._rows)

    def changes(self) -> dict[uuid.UUID, str]:
        """What 保存 writes: person → status ("" = take off the list), only differences."""
        return {row.person_id: row.status for row in self._rows
                if row.status != self._stored.get(row.person_id, "")}

    def is_dirty(self) -> bool:
        """Whether anything was chosen that is not saved."""
        return bool(self.changes())

    def saved(self, meeting_id: uuid.UUID) -> None:
        """The session and its attendance were saved: the list is the stored one now."""
        self.meeting_id = meeting_id
        self._chosen.clear()
        self._guests.clear()
        self.reload()

    def _update_counts(self) -> None:
        counts = self.counts_by_status()
        self.counts.setText(_(
            "Attended {attended} · Absent {absent} · Absent (notified) {excused} · "
            "Not recorded {unknown}").format(
                attended=counts[AttendanceStatus.ATTENDED.value],
                absent=counts[AttendanceStatus.ABSENT.value],
                excused=counts[AttendanceStatus.EXCUSED.value], unknown=counts[""]))

    def _set(self, person_id: uuid.UUID, combo: QComboBox) -> None:
        status = str(combo.currentData() or "")
        self.error.clear()
        self._chosen[person_id] = status
        self._rows = [row._replace(status=status) if row.person_id == person_id else row
                      for row in self._rows]
        self._update_counts()
        self.changed.emit()

    def _mark_rest_attended(self) -> None:
        for row in list(self._rows):
            if not row.status:
                self.set_status(row.person_id, AttendanceStatus.ATTENDED.value)

    # -- guests -----------------------------------------------------------------------------

    def _add_picked_guest(self) -> None:
        value = self.guest_picker.value
        if not isinstance(value, uuid.UUID):
            self.error.setText(_("Choose the person from the list that opens while you type."))
            return
        self.add_guest(value)
        self.guest_picker.set_value(None)

    def add_guest(self, person_id: uuid.UUID) -> None:
        """Put a person on the list as attended (a guest unless a member); saved by 保存."""
        self.error.clear()
        if person_id not in self._guests:
            self._guests.append(person_id)
        self._chosen[person_id] = AttendanceStatus.ATTENDED.value
        self.reload()
        self.changed.emit()

    def _new_guest(self) -> None:
        dialog = GuestDialog(self._services, self)
        if dialog.exec() and dialog.person is not None:
            self.add_guest(dialog.person.id)
