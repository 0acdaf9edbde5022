"""A club's members with their roles: add existing people by search, remove, change role."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
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
from kankei_desktop.core.services.people import person_name
from kankei_desktop.core.vocabulary import MembershipRole, label
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.pickers import person_search
from kankei_desktop.ui.widgets.record_picker import RecordPicker


class MembersPanel(QWidget):
    """Members of one saved club; changes are saved at once."""

    members_changed = Signal()
    """A member was added or removed."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.club_id: uuid.UUID | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([_("Name"), _("Role")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(140)
        column.addWidget(self.table)
        add_row = QHBoxLayout()
        self.person = RecordPicker(person_search(services), _("Add a person: type a name"))
        self.role = VocabularyCombo(MembershipRole)
        self.add_button = QPushButton(_("Add"))
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setToolTip(_("Take the selected person out of the club "
                                        "(their attendance stays)"))
        add_row.addWidget(self.person, 2)
        add_row.addWidget(self.role)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)
        column.addLayout(add_row)
        self.add_button.clicked.connect(self.add_chosen)
        self.remove_button.clicked.connect(self.remove_selected)
        self._ids: list[uuid.UUID] = []

    def load(self, club_id: uuid.UUID | None) -> None:
        """Show the members of ``club_id`` (None: a new club, which has none yet)."""
        self.club_id = club_id
        self.setEnabled(club_id is not None)
        self.person.setPlaceholderText(
            _("Add a person: type a name") if club_id else _("Save the club first"))
        self.table.setRowCount(0)
        self._ids = []
        if club_id is None:
            return
        members = self._services.clubs.members(club_id)
        self.table.setRowCount(len(members))
        for index, (membership, person) in enumerate(members):
            self._ids.append(person.id)
            self.table.setItem(index, 0, QTableWidgetItem(person_name(person)))
            self.table.setItem(index, 1, QTableWidgetItem(label(MembershipRole(membership.role))))
        self.table.resizeColumnToContents(0)

    def member_names(self) -> list[str]:
        """The names shown (for tests and summaries)."""
        return [self.table.item(row, 0).text() for row in range(self.table.rowCount())]

    def add_chosen(self) -> None:
        """Add the person chosen in the picker with the chosen role."""
        person_id = self.person.value
        if self.club_id is None or not isinstance(person_id, uuid.UUID):
            QMessageBox.information(self, _("Add a member"),
                                    _("Type part of a name and choose the person from the list."))
            return
        try:
            self._services.clubs.add_member(self.club_id, person_id, self.role.code())
        except KankeiError as exc:
            QMessageBox.warning(self, _("Could not add the member"), exc.message)
            return
        self.person.set_value(None)
        self.load(self.club_id)
        self.members_changed.emit()

    def remove_selected(self) -> None:
        """Take the selected member out of the club, after asking."""
        rows = self.table.selectionModel().selectedRows()
        if self.club_id is None or not rows:
            return
        row = rows[0].row()
        name = self.table.item(row, 0).text()
        answer = QMessageBox.question(
            self, _("Remove member"),
            _("Take '{name}' out of this club? Their attendance stays recorded.").format(
                name=name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._services.clubs.remove_member(self.club_id, self._ids[row])
        self.load(self.club_id)
        self.members_changed.emit()
