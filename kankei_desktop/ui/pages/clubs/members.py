"""A club's members with their roles: add existing people by search or as new people, remove;
saved with the club."""

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
    """Members of one club. Additions and removals are part of the club's form: kept here,
    saved by the club editor's 保存 and dropped by its 取消."""

    members_changed = Signal()
    """A member was added or removed in the form (not saved yet)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.club_id: uuid.UUID | None = None
        self._added: dict[uuid.UUID, tuple[str, str]] = {}  # person → (name, role)
        self._removed: set[uuid.UUID] = set()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
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
        add_row.addWidget(self.person, 1)
        add_row.addWidget(self.role)
        column.addLayout(add_row)
        button_row = QHBoxLayout()
        button_row.addWidget(self.add_button)
        button_row.addWidget(self.new_person_button)
        button_row.addWidget(self.remove_button)
        button_row.addStretch(1)
        column.addLayout(button_row)
        self.add_button.clicked.connect(self.add_chosen)
        self.new_person_button.clicked.connect(self.create_person)
        self.remove_button.clicked.connect(self.remove_selected)

    def load(self, club_id: uuid.UUID | None) -> None:
        """Show the members of ``club_id`` (None: a new club), dropping unsaved changes.

        Fetched a page at a time: a club of a thousand members opens at once.
        """
        self.club_id = club_id
        self._added.clear()
        self._removed.clear()
        self._show()

    def _show(self) -> None:
        club_id = self.club_id
        clubs = self._services.clubs
        added = [TableRow(person_id, (name, _("{role} (added when saved)").format(
            role=_role_label(role)))) for person_id, (name, role) in self._added.items()]

        def fetch(limit: int, offset: int) -> list[TableRow]:
            rows = added[offset:offset + limit]
            stored_offset = max(0, offset - len(added))
            if club_id is not None and len(rows) < limit:
                for membership, person in clubs.member_page(
                        club_id, limit=limit - len(rows), offset=stored_offset):
                    role = _role_label(membership.role)
                    if person.id in self._removed:
                        role = _("{role} (removed when saved)").format(role=role)
                    rows.append(TableRow(person.id, (person_name(person), role)))
            return rows

        def count() -> int:
            return len(added) + (clubs.member_count(club_id) if club_id is not None else 0)

        self.model.set_source(fetch, count)
        total = self.model.total - len(self._removed)
        text = _("{count} members").format(count=total)
        if self.is_dirty():
            text += _(" — changes are saved with the club (Save) or dropped (Cancel)")
        self.count_label.setText(text)
        self.table.resizeColumnToContents(0)

    def member_names(self) -> list[str]:
        """The names shown (for tests and summaries)."""
        return [str(self.model.index(row, 0).data()) for row in range(self.model.rowCount())]

    def is_dirty(self) -> bool:
        """Whether members were added or removed in the form."""
        return bool(self._added or self._removed)

    def save(self, club_id: uuid.UUID) -> None:
        """Write the additions and removals (the club editor's 保存; one transaction)."""
        if self.is_dirty():
            self._services.clubs.change_members(
                club_id, {person_id: role for person_id, (_name, role) in self._added.items()},
                set(self._removed))
        self.load(club_id)

    def add_chosen(self) -> None:
        """Add the person chosen in the picker with the chosen role."""
        person_id = self.person.value
        if not isinstance(person_id, uuid.UUID):
            QMessageBox.information(self, _("Add a member"),
                                    _("Type part of a name and choose the person from the list."))
            return
        self._add(person_id, self.person.text())
        self.person.set_value(None)

    def _add(self, person_id: uuid.UUID, name: str) -> None:
        if person_id in self._removed:
            self._removed.discard(person_id)
        else:
            self._added[person_id] = (name, self.role.code())
        self._show()
        self.members_changed.emit()

    def new_person_dialog(self) -> NewPersonDialog:
        """The inline form for a person who is not in the file yet (not shown)."""
        name = self._services.clubs.names({self.club_id}).get(self.club_id, "") \
            if self.club_id is not None else ""
        return NewPersonDialog(self._services, name, self)

    def create_person(self) -> None:
        """[New person…]: the short form saves the person; they join when the club is saved."""
        dialog = self.new_person_dialog()
        if dialog.exec() and dialog.person is not None:
            self.add_person(dialog.person)
        dialog.deleteLater()

    def add_person(self, person: Person) -> None:
        """Add a just-created person to the club's form."""
        self._add(person.id, person_name(person))

    def remove_selected(self) -> None:
        """Take the selected member out of the club (when the club is saved)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        person_id = self.model.row_id(rows[0].row())
        if person_id is None:
            return
        if person_id in self._added:
            del self._added[person_id]
        elif person_id in self._removed:
            self._removed.discard(person_id)
        else:
            self._removed.add(person_id)
        self._show()
        self.members_changed.emit()
