"""A club's members with their roles: add existing people by search, remove, change role."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import person_name
from kankei_desktop.core.vocabulary import MembershipRole, label
from kankei_desktop.ui.models.lazy_table import LazyTableModel, TableRow
from kankei_desktop.ui.pages.clubs.new_person import NewPersonDialog
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.pickers import person_search
from kankei_desktop.ui.widgets.record_picker import RecordPicker


def _role_label(role: str) -> str:
    try:
        return label(MembershipRole(role))
    except ValueError:
        return role


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
        self.count_label = QLabel()
        column.addWidget(self.count_label)
        self.model = LazyTableModel([_("Name"), _("Role")], self)
        self.table = QTableView()
        self.table.setModel(self.model)
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
        self.new_person_button = QPushButton(_("New person…"))
        self.new_person_button.setToolTip(
            _("Someone not in the file yet: enter their name and add them to the club"))
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setToolTip(_("Take the selected person out of the club "
                                        "(their attendance stays)"))
        add_row.addWidget(self.person, 2)
        add_row.addWidget(self.role)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.new_person_button)
        add_row.addWidget(self.remove_button)
        column.addLayout(add_row)
        self.add_button.clicked.connect(self.add_chosen)
        self.new_person_button.clicked.connect(self.create_person)
        self.remove_button.clicked.connect(self.remove_selected)

    def load(self, club_id: uuid.UUID | None) -> None:
        """Show the members of ``club_id`` (None: a new club, which has none yet).

        Fetched a page at a time: a club of a thousand members opens at once.
        """
        self.club_id = club_id
        self.setEnabled(club_id is not None)
        self.person.setPlaceholderText(
            _("Add a person: type a name") if club_id else _("Save the club first"))
        clubs = self._services.clubs
        if club_id is None:
            self.model.set_source(lambda _limit, _offset: [], lambda: 0)
            self.count_label.setText("")
            return

        def fetch(limit: int, offset: int) -> list[TableRow]:
            return [
                TableRow(person.id, (person_name(person), _role_label(membership.role)))
                for membership, person in clubs.member_page(club_id, limit=limit, offset=offset)
            ]

        self.model.set_source(fetch, lambda: clubs.member_count(club_id))
        self.count_label.setText(_("{count} members").format(count=self.model.total))
        self.table.resizeColumnToContents(0)

    def member_names(self) -> list[str]:
        """The names shown (for tests and summaries)."""
        return [str(self.model.index(row, 0).data()) for row in range(self.model.rowCount())]

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

    def new_person_dialog(self) -> NewPersonDialog:
        """The inline form for a person who is not in the file yet (not shown)."""
        name = self._services.clubs.names({self.club_id}).get(self.club_id, "") \
            if self.club_id is not None else ""
        return NewPersonDialog(self._services, name, self)

    def create_person(self) -> None:
        """[New person…]: the short form, then the new person joins with the chosen role."""
        if self.club_id is None:
            return
        dialog = self.new_person_dialog()
        if dialog.exec() and dialog.person is not None:
            self.add_person(dialog.person)
        dialog.deleteLater()

    def add_person(self, person: Person) -> None:
        """Add a just-created person to the club."""
        if self.club_id is None:
            return
        try:
            self._services.clubs.add_member(self.club_id, person.id, self.role.code())
        except KankeiError as exc:
            QMessageBox.warning(self, _("Could not add the member"), _(
                "{name} was saved in the people list but could not join the club: "
                "{reason}").format(name=person_name(person), reason=exc.message))
            return
        self.load(self.club_id)
        self.members_changed.emit()

    def remove_selected(self) -> None:
        """Take the selected member out of the club, after asking."""
        rows = self.table.selectionModel().selectedRows()
        if self.club_id is None or not rows:
            return
        row = rows[0].row()
        person_id = self.model.row_id(row)
        name = str(self.model.index(row, 0).data())
        if person_id is None:
            return
        answer = QMessageBox.question(
            self, _("Remove member"),
            _("Take '{name}' out of this club? Their attendance stays recorded.").format(
                name=name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._services.clubs.remove_member(self.club_id, person_id)
        self.load(self.club_id)
        self.members_changed.emit()
