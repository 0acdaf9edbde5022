"""Dialogs of the 同期 page: choosing what to export, and the import preview."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.sync.encryption import protection
from kankei_desktop.sync.merge import ImportReport
from kankei_desktop.sync.service import Peer

COUNT_KEYS = ("new", "changed", "deleted", "restored", "conflicts")


def table_label(table: str) -> str:
    """The Japanese/English name of a synced table."""
    labels = {
        "organization": _("Organisations"), "person": _("People"), "club": _("Clubs"),
        "club_partner": _("Club partners"), "membership": _("Members"),
        "meeting": _("Sessions"), "attendance": _("Attendance"),
        "interaction": _("Follow-ups"), "interaction_person": _("Follow-up people"),
        "kpi_target": _("KPI targets"),
        "matching": _("Matchings"), "stage_entry": _("Stage history"), "kpi": _("KPIs"),
        "tag": _("Tags"), "tag_link": _("Tags on records"),
    }
    return labels.get(table, table)


#: A scope the export may keep to: (what the list shows, ``municipality:CODE`` or
#: ``club:NAME``).
ScopeChoice = tuple[str, str]


class ExportDialog(QDialog):
    """Full bundle or one for a colleague, of every record or of one municipality's or
    club's; passphrase typed twice (or no encryption)."""

    def __init__(self, peers: list[Peer], parent: QWidget | None = None, *,
                 scopes: list[ScopeChoice] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export a bundle"))
        self.setMinimumWidth(480)
        column = QVBoxLayout(self)
        self.full = QRadioButton(_("Everything (for a new colleague)"))
        self.for_peer = QRadioButton(_("Only what this colleague does not have yet:"))
        self.peer = QComboBox()
        for peer in peers:
            self.peer.addItem(f"{peer.name} ({str(peer.replica_id)[:8]})", str(peer.replica_id))
        group = QButtonGroup(self)
        group.addButton(self.full)
        group.addButton(self.for_peer)
        if peers:
            self.for_peer.setChecked(True)
        else:
            self.full.setChecked(True)
            self.for_peer.setEnabled(False)
            self.peer.setEnabled(False)
        column.addWidget(self.full)
        column.addWidget(self.for_peer)
        column.addWidget(self.peer)
        form = QFormLayout()
        self.scope = QComboBox()
        self.scope.addItem(_("Every record"), None)
        for label, term in scopes or []:
            self.scope.addItem(label, term)
        self.scope.setToolTip(_(
            "Only the records of one municipality's clubs (or of one club) and the people and "
            "organisations they involve: for a colleague who works for that town. A "
            "colleague's copy remembers it, and later bundles for it keep to it."))
        form.addRow(_("Which records"), self.scope)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Passphrase"), self.passphrase)
        form.addRow(_("Passphrase again"), self.again)
        column.addLayout(form)
        self.plain = QCheckBox(_("Do not encrypt (the bundle holds personal data)"))
        self.plain.toggled.connect(self._plain_toggled)
        column.addWidget(self.plain)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        column.addWidget(self.problem)
        hint = QLabel(_("Tell your colleague the passphrase by phone or in person, not in the "
                        "same e-mail as the bundle."))
        hint.setWordWrap(True)
        column.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    def _plain_toggled(self, plain: bool) -> None:
        self.passphrase.setEnabled(not plain)
        self.again.setEnabled(not plain)

    def chosen_peer(self) -> str | None:
        """The colleague's replica id, or None for a full bundle."""
        return None if self.full.isChecked() else self.peer.currentData()

    def chosen_scope(self) -> list[str] | None:
        """``municipality:CODE`` or ``club:NAME`` to keep the bundle to, or None (all)."""
        term = self.scope.currentData()
        return [str(term)] if term else None

    def chosen_passphrase(self) -> str | None:
        """The passphrase, or None when the bundle is not to be encrypted."""
        return None if self.plain.isChecked() else self.passphrase.text()

    def problem_text(self) -> str:
        """Why the choices cannot be used yet ("" when they can)."""
        if self.plain.isChecked():
            return ""
        if len(self.passphrase.text()) < 8:
            return _("Choose a passphrase of at least 8 characters.")
        if self.passphrase.text() != self.again.text():
            return _("The two passphrases differ.")
        return ""

    def _check(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        if not problem:
            self.accept()


class PreviewDialog(QDialog):
    """What an import will do, per kind of record; Import or Cancel."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import preview"))
        self.setMinimumSize(620, 420)
        column = QVBoxLayout(self)
        manifest = report.manifest
        heading = QLabel(_("Bundle from {name}, made {created}.").format(
            name=manifest["source_name"], created=manifest["created"]))
        heading.setWordWrap(True)
        column.addWidget(heading)
        #: Whether the bundle was encrypted, in plain words (in red when it was not).
        self.protection = QLabel(protection(manifest))
        self.protection.setWordWrap(True)
        if manifest.get("encryption") is None:
            self.protection.setStyleSheet("color: #b00020; font-weight: bold;")
        column.addWidget(self.protection)
        self.table = preview_table(report)
        column.addWidget(self.table)
        note = QLabel(_("A backup of this file is taken before the import. Values that lose "
                        "against a colleague's newer edit are kept under Conflicts."))
        note.setWordWrap(True)
        column.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.addButton(_("Import"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)


def preview_table(report: ImportReport) -> QTableWidget:
    """A table: one row per kind of record, columns new/changed/deleted/restored/conflicts."""
    headers = [_("Records"), _("New"), _("Changed"), _("Deleted"), _("Restored"),
               _("Conflicts")]
    rows = [(name, counts) for name, counts in report.counts.items()]
    table = QTableWidget(len(rows) + 1, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for row, (name, counts) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(table_label(name)))
        for index, key in enumerate(COUNT_KEYS, start=1):
            table.setItem(row, index, QTableWidgetItem(str(getattr(counts, key))))
    table.setItem(len(rows), 0, QTableWidgetItem(_("Total")))
    for index, key in enumerate(COUNT_KEYS, start=1):
        table.setItem(len(rows), index, QTableWidgetItem(str(report.total(key))))
    table.resizeColumnsToContents()
    return table
