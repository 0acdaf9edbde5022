"""The 登録一覧 tab: every registration with the municipality, whatever its status."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.formatting import format_day
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import RegistrationStatus, RegistrationTier, label
from kankei_desktop.imports.registrations import write_registration_template
from kankei_desktop.ui.pages.furusato.dialogs import RegistrationDialog

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class RegistrationsPanel(QWidget):
    """Registrations of one municipality: record, change, delete."""

    changed = Signal()
    """A registration was recorded, changed or deleted."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._municipality: tuple[uuid.UUID, str] | None = None
        self._ids: set[uuid.UUID] = set()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            _("Name"), _("Registration tier"), _("Status"), _("Registered on"),
            _("Renewal due"), _("Notes")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.cellDoubleClicked.connect(lambda row, _column: self.edit_row(row))
        column.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(_("New registration…"))
        self.edit_button = QPushButton(_("Change…"))
        self.delete_button = QPushButton(_("Delete"))
        for button in (self.add_button, self.edit_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        self.template_button = QPushButton(_("Save a list template…"))
        self.template_button.setToolTip(_(
            "An empty .xlsx with the columns of a registration list, to fill in and import"))
        self.template_button.clicked.connect(self.save_template)
        row.addWidget(self.template_button)
        column.addLayout(row)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(lambda: self.edit_row(self.table.currentRow()))
        self.delete_button.clicked.connect(self.delete_current)

    def load(self, municipality: tuple[uuid.UUID, str] | None,
             organization_ids: set[uuid.UUID]) -> None:
        """Show the registrations with the organisations of one municipality."""
        self._municipality = municipality
        self._ids = organization_ids
        self.add_button.setEnabled(True)
        self.table.setSortingEnabled(False)
        rows = self._services.registrations.find(municipality_ids=organization_ids) if \
            organization_ids else []
        names = self._services.people.names({row.person_id for row in rows})
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = [names.get(row.person_id, "?"), label(RegistrationTier(row.tier)),
                     label(RegistrationStatus(row.status)),
                     row.registered_on.isoformat(),
                     row.renewal_due.isoformat() if row.renewal_due else "—", row.notes]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row.id)
                if column == 4 and row.renewal_due is not None:
                    item.setToolTip(format_day(row.renewal_due))
                self.table.setItem(index, column, item)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        has_rows = bool(rows)
        self.edit_button.setEnabled(has_rows)
        self.delete_button.setEnabled(has_rows)

    def row_count(self) -> int:
        return self.table.rowCount()

    def _id_at(self, row: int) -> uuid.UUID | None:
        item = self.table.item(row, 0)
        value = item.data(ID_ROLE) if item is not None else None
        return value if isinstance(value, uuid.UUID) else None

    def add(self, person_id: uuid.UUID | None = None) -> RegistrationDialog:
        """Open the editor for a new registration with this municipality."""
        dialog = RegistrationDialog(self._services, municipality=self._municipality,
                                    person_id=person_id, parent=self)
        dialog.accepted.connect(self.changed.emit)
        dialog.open()
        return dialog

    def edit_row(self, row: int) -> RegistrationDialog | None:
        """Open the registration shown in ``row``."""
        registration_id = self._id_at(row)
        if registration_id is None:
            return None
        dialog = RegistrationDialog(self._services, registration_id=registration_id,
                                    parent=self)
        dialog.accepted.connect(self.changed.emit)
        dialog.open()
        return dialog

    def save_template(self) -> Path | None:
        """Write the registration list's template where the user says."""
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save a list template"), _("registrations.xlsx"),
            _("Excel workbooks (*.xlsx)"))
        if not name:
            return None
        try:
            return write_registration_template(Path(name))
        except OSError as exc:
            QMessageBox.warning(self, _("Save a list template"), _(
                "{path} could not be written ({detail}). Choose a place where you may "
                "write.").format(path=name, detail=exc.strerror or exc))
            return None

    def delete_current(self) -> None:
        """Delete the selected registration after asking (restorable from the file)."""
        registration_id = self._id_at(self.table.currentRow())
        if registration_id is None:
            return
        answer = QMessageBox.question(
            self, _("Delete registration"),
            _("Delete this registration? A registration that ended is better kept with the "
              "status “Withdrawn” or “Lapsed”."))
        if answer == QMessageBox.StandardButton.Yes:
            with self._services.context.action(_("Delete registration")):
                self._services.registrations.delete(registration_id)
            self.changed.emit()
