"""File ▸ Restore from backup…: choose a backup by date and figures, restore it, reopen.

The restore itself (safety copy of the current file first, atomic replacement) lives in
:mod:`kankei_desktop.core.storage.backup`; this module only asks, and runs the restore inside
``MainWindow.reopen``, which closes the file and opens it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import N_, _
from kankei_desktop.core.storage.backup import (
    REASON_BEFORE_RESTORE,
    REASON_BUNDLE_IMPORT,
    REASON_DAILY,
    REASON_IMPORT,
    REASON_MIGRATION,
    BackupInfo,
    RestoreError,
    list_backups,
    restore_backup,
)

if TYPE_CHECKING:
    from kankei_desktop.ui.main_window import MainWindow

REASON_LABELS = {
    REASON_DAILY: N_("Daily backup"),
    REASON_MIGRATION: N_("Before an upgrade"),
    REASON_IMPORT: N_("Before an import"),
    REASON_BUNDLE_IMPORT: N_("Before a bundle import"),
    REASON_BEFORE_RESTORE: N_("Before a restore"),
}
COLUMNS = (N_("Date"), N_("Reason"), N_("People"), N_("Sessions"), N_("Attendance"))


def reason_label(reason: str) -> str:
    """The reason of a backup in the user's language (unknown reasons as written)."""
    label = REASON_LABELS.get(reason)
    return _(label) if label else reason


class RestoreDialog(QDialog):
    """Lists the backups of ``db_path`` (newest first); ``chosen`` is set on accept."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore from backup"))
        self.resize(720, 440)
        self.db_path = db_path
        self.backups: list[BackupInfo] = list_backups(db_path)
        self.chosen: BackupInfo | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(_(
            "Backups are taken once a day, before upgrades and before imports. Restoring "
            "replaces the open file with the chosen backup; the file as it is now is backed "
            "up first, so nothing is lost."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(self.backups), len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(title) for title in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, info in enumerate(self.backups):
            self._fill_row(row, info)
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel(_("There are no backups of this file yet."))
        self.empty_label.setVisible(not self.backups)
        layout.addWidget(self.empty_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = QPushButton(_("Restore…"))
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self._confirm())
        if self.backups:
            self.table.selectRow(0)

    def _fill_row(self, row: int, info: BackupInfo) -> None:
        counts = info.counts
        values = [
            info.taken_at.strftime("%Y-%m-%d %H:%M"),
            reason_label(info.reason),
            *(
                [str(counts.people), str(counts.sessions), str(counts.attendance)]
                if counts is not None else [_("unreadable"), "", ""]
            ),
        ]
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column >= 2:  # figures
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    def selected(self) -> BackupInfo | None:
        """The backup of the selected row (None when nothing is selected)."""
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None and info.counts is not None)

    def _confirm(self) -> None:
        info = self.selected()
        if info is None or info.counts is None:
            return
        answer = QMessageBox.question(
            self, _("Restore from backup"),
            _("Replace the open file with the backup of {date}? The file as it is now is "
              "backed up first and stays in the list.").format(
                  date=info.taken_at.strftime("%Y-%m-%d %H:%M")))
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen = info
            self.accept()


def restore_from_backup(window: MainWindow) -> bool:
    """File ▸ Restore from backup…: choose, restore and reopen; True when restored."""
    if window.database.shared:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(window, _("Restore from backup"), _(
            "A shared database is backed up and restored on its server, by its "
            "administrator."))
        return False
    dialog = RestoreDialog(window.database.path, window)
    if not dialog.exec() or dialog.chosen is None:
        return False
    return restore_into(window, dialog.chosen.path)


def restore_into(window: MainWindow, backup: Path) -> bool:
    """Restore ``backup`` over the window's file while the window has it closed; True if done.

    Whatever happens, the window ends with the file open again (restored or unchanged), or
    closed after saying why when the file cannot be opened any more (``MainWindow.reopen``).
    """
    path = window.database.path
    restored = False
    refusal = ""

    def restore() -> None:
        nonlocal restored, refusal
        try:
            restore_backup(path, backup)
            restored = True
        except RestoreError as exc:
            refusal = exc.message

    shown = window.reopen(path, while_closed=restore)
    if refusal:  # said once the window shows the unchanged file again
        QMessageBox.critical(window, _("Restore from backup"), refusal)
    elif restored and shown:
        window.statusBar().showMessage(_("The backup was restored."), 8000)
    return restored
