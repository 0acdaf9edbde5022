"""同期: exchanging bundles with colleagues, the exchange history, conflicts and duplicates."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.sync.bundle import FutureBundleError
from kankei_desktop.sync.encryption import protection
from kankei_desktop.sync.export import ExportResult
from kankei_desktop.sync.identity import (
    has_replica_name,
    set_replica_name,
    stored_replica_name,
)
from kankei_desktop.sync.merge import ImportReport
from kankei_desktop.sync.service import SyncService
from kankei_desktop.ui.pages.sync.dialogs import ExportDialog, PreviewDialog, table_label
from kankei_desktop.ui.widgets.empty_state import EmptyState
from kankei_desktop.ui.widgets.page_header import PageHeader
from kankei_desktop.ui.widgets.progress_dialog import run_with_progress
from kankei_desktop.ui.workers import JobControl

T = TypeVar("T")
BUNDLE_FILTER = "Kankei bundle (*.kankei)"


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], keys: list[object] | None = None) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[row])
            table.setItem(row, column, item)
    table.resizeColumnsToContents()


def _values(values: dict[str, object]) -> str:
    return " / ".join("" if value is None else str(value) for value in values.values())


class SyncPage(QWidget):
    """The 同期 page (see the module docstring)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.sync = SyncService(services)
        #: Shows a message; tests replace it to avoid modal boxes.
        self.notify: Callable[[str, str], None] = self._message_box
        #: Asks to apply a previewed import; tests replace it.
        self.confirm_import: Callable[[ImportReport], bool] = self._confirm_preview
        #: Asks whether to accept a bundle dated in the future.
        self.confirm_future: Callable[[str], bool] = self._ask_future
        #: Warns that a bundle is not encrypted and asks whether to import it all the same.
        self.confirm_unencrypted: Callable[[str], bool] = self._ask_unencrypted
        #: Asks for the name of this copy (given the current one); None when cancelled.
        self.ask_name: Callable[[str], str | None] = self._ask_name
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        header = PageHeader(_("Sync"))
        self.export_button = header.add_button(
            _("Export…"), _("Write a bundle file for a colleague (USB stick or e-mail)"))
        self.import_button = header.add_button(
            _("Import…"), _("Merge a colleague's bundle into this file"))
        self.export_button.clicked.connect(self.choose_export)
        self.import_button.clicked.connect(self.choose_import)
        column.addWidget(header)
        body = QVBoxLayout()
        body.setContentsMargins(16, 8, 16, 16)
        column.addLayout(body)
        identity_row = QHBoxLayout()
        self.identity = QLabel()
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        identity_row.addWidget(self.identity)
        self.name_button = QPushButton(_("Change the name…"))
        self.name_button.setToolTip(_("The name colleagues see for this PC in their list, "
                                      "e.g. the office and section"))
        self.name_button.clicked.connect(self.choose_name)
        identity_row.addWidget(self.name_button)
        identity_row.addStretch(1)
        self.details_button = QPushButton(_("More details"))
        self.details_button.setCheckable(True)
        self.details_button.setToolTip(_("Technical details: the ids of the files and how "
                                         "changes are merged"))
        identity_row.addWidget(self.details_button)
        body.addLayout(identity_row)
        explain = QLabel(_(
            "Colleagues exchange sync files (.kankei) by USB stick or e-mail. [Export…] writes "
            "a file for a colleague; [Import…] brings in the file a colleague gave you. The "
            "order does not matter, and nothing anyone saved is lost."))
        explain.setWordWrap(True)
        body.addWidget(explain)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setStyleSheet("color: #555;")
        self.details.setVisible(False)
        body.addWidget(self.details)
        self.details_button.toggled.connect(self._show_details)
        self.tabs = QTabWidget()
        body.addWidget(self.tabs, 1)
        self.history = _table([_("When"), _("Direction"), _("Colleague"), _("Records"),
                               _("File")])
        self.tabs.addTab(self._with_empty(self.history, _(
            "No sync files were exchanged yet. [Export…] writes one for a colleague; "
            "[Import…] brings in a colleague's.")), _("Exchanges"))
        self.conflicts = _table([_("Record"), _("Field"), _("Kept"), _("Lost"), _("Logged"),
                                 _("State")])
        self.restore_button = QPushButton(_("Restore the lost value"))
        self.restore_button.setToolTip(_("Put the lost value back as a new edit; it then "
                                         "travels to colleagues"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.tabs.addTab(self._with_buttons(self._with_empty(self.conflicts, _(
            "No conflicts. When you and a colleague change the same field, the later change "
            "is kept everywhere and the other value waits here, so that you can restore it.")),
            self.restore_button), _("Conflicts"))
        self.duplicates = QTreeWidget()
        self.duplicates.setHeaderLabels([_("Name"), _("Reading"), _("E-mail"),
                                         _("Attendance")])
        self.merge_button = QPushButton(_("Merge into the first of the group…"))
        self.merge_button.setToolTip(_("The selected person's attendance and memberships move "
                                       "to the first person of the group; the selected one "
                                       "is deleted (restorable)"))
        self.merge_button.clicked.connect(self.merge_selected)
        self.duplicates_note = QLabel()
        self.duplicates_note.setWordWrap(True)
        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        listing_layout.addWidget(self.duplicates_note)
        listing_layout.addWidget(self.duplicates, 1)
        self.duplicates_tab = self.tabs.addTab(
            self._with_buttons(listing, self.merge_button), _("Possible duplicates"))
        #: The duplicates are looked for only while their tab is shown (a grouping of all
        #: people), and again after each change.
        self._duplicates_stale = True
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.peers = _table([_("Colleague"), _("Last received"), _("Last sent"),
                             _("Replica id")])
        self.peers.setColumnHidden(3, True)
        self.tabs.addTab(self._with_empty(self.peers, _(
            "No colleagues yet. A colleague appears here once you import a sync file from "
            "them.")), _("Colleagues"))

    @staticmethod
    def _with_empty(table: QTableWidget, text: str) -> QStackedWidget:
        """The table, or a sentence saying what to do while it is empty."""
        stack = QStackedWidget()
        stack.addWidget(table)
        stack.addWidget(EmptyState(text))
        stack.setCurrentIndex(1)
        return stack

    @staticmethod
    def _show_list(table: QTableWidget) -> None:
        stack = table.parentWidget()
        if isinstance(stack, QStackedWidget):
            stack.setCurrentIndex(0 if table.rowCount() else 1)

    @staticmethod
    def empty_text(table: QTableWidget) -> str:
        """The sentence shown instead of ``table`` ("" while it has rows)."""
        stack = table.parentWidget()
        if isinstance(stack, QStackedWidget) and stack.currentIndex() == 1:
            label = stack.widget(1)
            return label.text() if isinstance(label, QLabel) else ""
        return ""

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.peers.setColumnHidden(3, not shown)

    @staticmethod
    def _with_buttons(content: QWidget, *buttons: QPushButton) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(content, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        layout.addLayout(row)
        return holder

    # --- lists -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the identity line and every tab."""
        named = has_replica_name(self.services)
        self.identity.setText(_("Name of this PC: {name}").format(name=self.sync.name())
                              if named else _("Name of this PC: {name} (not chosen yet)")
                              .format(name=self.sync.name()))
        self.details.setText(_(
            "Replica id of this file: {replica}. When two people change the same field, the "
            "later change wins everywhere and the other value is kept under Conflicts. A "
            "delete wins over a concurrent edit; restoring the record brings the edit back. "
            "Bundle imports cannot be undone with Edit ▸ Undo; a backup is taken before "
            "each one.").format(replica=self.sync.replica_id))
        directions = {"import": _("Received"), "export": _("Sent")}
        exchanges = self.sync.history()
        _fill(self.history, [[
            exchange.at.strftime("%Y-%m-%d %H:%M"), directions.get(exchange.direction, ""),
            exchange.peer_name or _("(full bundle)"),
            str(_summary_total(exchange.summary)), Path(exchange.file_name).name,
        ] for exchange in exchanges])
        entries = self.sync.conflicts()
        _fill(self.conflicts, [[
            f"{table_label(entry.table)}: {entry.record}", entry.field, _values(entry.winner),
            _values(entry.loser), entry.logged_at.strftime("%Y-%m-%d %H:%M"),
            _("Restored") if entry.restored_at else "",
        ] for entry in entries], [entry.id for entry in entries])
        self._duplicates_stale = True
        if self.tabs.currentIndex() == self.duplicates_tab:
            self.load_duplicates()
        never = _("never")
        _fill(self.peers, [[
            peer.name,
            peer.last_import_at.strftime("%Y-%m-%d") if peer.last_import_at else never,
            peer.last_export_at.strftime("%Y-%m-%d") if peer.last_export_at else never,
            str(peer.replica_id),
        ] for peer in self.sync.peers()])
        for table in (self.history, self.conflicts, self.peers):
            self._show_list(table)

    def _on_tab_changed(self, index: int) -> None:
        if index == self.duplicates_tab and self._duplicates_stale:
            self.load_duplicates()

    def load_duplicates(self) -> None:
        """Fill the duplicates tab (the first groups in 50音順, with a note when cut)."""
        found = self.sync.duplicates()
        self._duplicates_stale = False
        items = []
        for group in found.groups:
            top = QTreeWidgetItem([_("{count} people named {name}").format(
                count=len(group), name=group[0].name)])
            for member in group:
                child = QTreeWidgetItem([member.name, member.reading, member.email,
                                         str(member.attendance)])
                child.setData(0, Qt.ItemDataRole.UserRole, member.id)
                top.addChild(child)
            items.append(top)
        self.duplicates.setUpdatesEnabled(False)
        self.duplicates.clear()
        self.duplicates.addTopLevelItems(items)
        self.duplicates.expandAll()
        self.duplicates.setUpdatesEnabled(True)
        if not found.total:
            note = _("No two people share the same name and reading.")
        elif found.total > len(found.groups):
            note = _("Showing the first {shown:,} of {total:,} groups of people with the same "
                     "name and reading, in 50音順. Merging or correcting entries shortens the "
                     "list.").format(shown=len(found.groups), total=found.total)
        else:
            note = _("People with the same name and reading. Namesakes exist: merge only "
                     "when it is the same person.")
        self.duplicates_note.setText(note)

    def prepare_screenshot(self) -> None:
        """Fill the lists before a screenshot."""
        self.refresh()
        self.tabs.setCurrentIndex(0)

    def screenshot_variants(self) -> Iterator[tuple[str, QWidget]]:
        """The conflicts and duplicates tabs, one screenshot each."""
        for index, suffix in ((1, "conflicts"), (2, "duplicates")):
            self.tabs.setCurrentIndex(index)
            yield suffix, self
        self.tabs.setCurrentIndex(0)

    # --- export ----------------------------------------------------------------------------

    def choose_export(self) -> None:
        """Ask what to export and where, then write the bundle."""
        dialog = ExportDialog(self.sync.peers(), self, scopes=self.scope_choices())
        if not dialog.exec():
            return
        path, _selected = QFileDialog.getSaveFileName(
            self, _("Save the bundle"), str(Path.home() / "kankei.kankei"), BUNDLE_FILTER)
        if not path:
            return
        if not path.endswith(".kankei"):
            path += ".kankei"
        self.export_to(Path(path), dialog.chosen_peer(), dialog.chosen_passphrase(),
                       scope=dialog.chosen_scope())

    def scope_choices(self) -> list[tuple[str, str]]:
        """The municipalities hosting clubs (by code), then the clubs (by name)."""
        clubs = self.services.clubs.find()
        hosts = self.services.organizations.municipality_codes(
            {club.host_municipality_id for club in clubs if club.host_municipality_id})
        towns = sorted({(code, name) for name, code in hosts.values()})
        return [*[(_("Municipality: {name} ({code})").format(name=name, code=code),
                   f"municipality:{code}") for code, name in towns],
                *[(_("Club: {name}").format(name=club.name), f"club:{club.name}")
                  for club in clubs]]

    def choose_name(self) -> bool:
        """Ask for the name of this copy and store it; False when cancelled."""
        current = stored_replica_name(self.services)
        while True:
            name = self.ask_name(current)
            if name is None:
                return False
            try:
                set_replica_name(self.services, name)
            except KankeiError as exc:
                self.notify("error", exc.message)
                current = name
                continue
            self.refresh()
            return True

    def export_to(self, path: Path, peer: str | None, passphrase: str | None, *,
                  scope: list[str] | None = None) -> ExportResult | None:
        """Write the bundle in the background; report the outcome.

        The first export asks for the name of this copy (sent with every bundle).
        """
        if not has_replica_name(self.services) and not self.choose_name():
            return None
        def job(control: JobControl) -> ExportResult:
            return self.sync.export(path, peer=peer, passphrase=passphrase,
                                    progress=_reporter(control), scope=scope)
        result = self._run(_("Exporting"), _("Writing the bundle…"), job)
        if result is not None:
            self.notify("info", _("Wrote {count} records to {path}.").format(
                count=result.total, path=path))
            self.refresh()
        return result

    # --- import ----------------------------------------------------------------------------

    def choose_import(self) -> None:
        """Choose a bundle, ask for its passphrase, preview and apply it."""
        path, _selected = QFileDialog.getOpenFileName(self, _("Choose a bundle"),
                                                      str(Path.home()), BUNDLE_FILTER)
        if path:
            self.import_bundle(Path(path))

    def import_bundle(self, path: Path) -> ImportReport | None:
        """Import the bundle at ``path`` (asking for its passphrase when it is encrypted)."""
        try:
            manifest = self.sync.inspect(Path(path))
        except KankeiError as exc:
            self.notify("error", exc.message)
            return None
        passphrase: str | None = None
        if manifest["encryption"] is None:
            if not self.confirm_unencrypted(protection(manifest)):
                return None
            return self.import_from(Path(path), None, allow_unencrypted=True)
        text, ok = QInputDialog.getText(
            self, _("Passphrase"), _("The passphrase {name} chose for this bundle:").format(
                name=manifest["source_name"]), QLineEdit.EchoMode.Password)
        if not ok:
            return None
        passphrase = text
        return self.import_from(Path(path), passphrase)

    def import_from(self, path: Path, passphrase: str | None, *,
                    allow_unencrypted: bool = False) -> ImportReport | None:
        """Verify and preview in the background, ask, then apply in the background.

        ``allow_unencrypted``: the user has confirmed importing a bundle that is not
        encrypted (see :meth:`import_bundle`).
        """
        accept_future = False

        def preview(control: JobControl) -> ImportReport:
            return self.sync.import_(path, passphrase, dry_run=True,
                                     accept_future=accept_future,
                                     allow_unencrypted=allow_unencrypted,
                                     progress=_reporter(control))
        try:
            report = self._run(_("Checking the bundle"), _("Checking every record…"), preview,
                               raise_future=True)
        except FutureBundleError as exc:
            if not self.confirm_future(exc.message):
                return None
            accept_future = True
            report = self._run(_("Checking the bundle"), _("Checking every record…"), preview)
        if report is None or not self.confirm_import(report):
            return None

        def apply(control: JobControl) -> ImportReport:
            return self.sync.import_(path, passphrase, accept_future=accept_future,
                                     allow_unencrypted=allow_unencrypted,
                                     progress=_reporter(control))
        result = self._run(_("Importing"), _("Merging the bundle into this file…"), apply)
        if result is not None:
            self.notify("info", _("Imported {count} changes; {conflicts} conflicts were kept "
                                  "for review.").format(count=result.changes,
                                                        conflicts=result.total("conflicts")))
            self.refresh()
        return result

    # --- conflicts and duplicates -----------------------------------------------------------

    def restore_selected(self) -> None:
        """Restore the lost value of the selected conflict."""
        rows = self.conflicts.selectionModel().selectedRows()
        if not rows:
            self.notify("info", _("Select a conflict first."))
            return
        item = self.conflicts.item(rows[0].row(), 0)
        if item is None:
            self.notify("info", _("Select a conflict first."))
            return
        try:
            self.sync.restore_conflict(item.data(Qt.ItemDataRole.UserRole))
        except KankeiError as exc:
            self.notify("error", exc.message)
            return
        self.refresh()

    def merge_selected(self) -> None:
        """Merge the selected person into the first person of its group (after asking)."""
        item = self.duplicates.currentItem()
        parent = item.parent() if item is not None else None
        keep = parent.child(0) if parent is not None else None
        if item is None or parent is None or keep is None or parent.indexOfChild(item) == 0:
            self.notify("info", _("Select the second (or a later) person of a group: it is "
                                  "merged into the first one."))
            return
        answer = QMessageBox.question(self, _("Merge people"), _(
            "Merge {other} into {keep}? Attendance and memberships move to {keep}; the other "
            "entry is deleted and can be restored.").format(other=item.text(0),
                                                            keep=keep.text(0)))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.merge(keep.data(0, Qt.ItemDataRole.UserRole), item.data(0, Qt.ItemDataRole.UserRole))

    def merge(self, keep_id: uuid.UUID, other_id: uuid.UUID) -> None:
        """Merge two people (no question asked)."""
        try:
            self.sync.merge_people(keep_id, other_id)
        except KankeiError as exc:
            self.notify("error", exc.message)
            return
        self.refresh()

    # --- helpers ---------------------------------------------------------------------------

    def _run(self, title: str, text: str, job: Callable[[JobControl], T], *,
             raise_future: bool = False) -> T | None:
        outcome = run_with_progress(self, title, text, job)
        if outcome.cancelled:
            self.notify("info", _("Cancelled; nothing was changed."))
            return None
        if outcome.error is not None:
            if raise_future and isinstance(outcome.error, FutureBundleError):
                raise outcome.error
            if isinstance(outcome.error, KankeiError):
                self.notify("error", outcome.error.message)
                return None
            raise outcome.error
        return outcome.result

    def _message_box(self, kind: str, text: str) -> None:
        if kind == "error":
            QMessageBox.warning(self, _("Sync"), text)
        else:
            QMessageBox.information(self, _("Sync"), text)

    def _confirm_preview(self, report: ImportReport) -> bool:
        return bool(PreviewDialog(report, self).exec())

    def _ask_name(self, current: str) -> str | None:
        text, ok = QInputDialog.getText(
            self, _("Name of this copy"), _(
                "Colleagues see this name in their list when they import your bundles. Use "
                "the office and section, such as 鷹栖町役場 企画課 (it is sent with every "
                "bundle, unencrypted):"), QLineEdit.EchoMode.Normal, current)
        return text if ok else None

    def _ask_unencrypted(self, message: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, _("Bundle NOT encrypted"), message + "\n\n"
                          + _("Import it only if you received it directly from the colleague "
                              "who made it. Ask for an encrypted bundle otherwise."), parent=self)
        accept = box.addButton(_("Import anyway"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is accept

    def _ask_future(self, message: str) -> bool:
        answer = QMessageBox.question(
            self, _("Bundle dated in the future"),
            message + "\n\n" + _("Import it anyway? Its changes will win over later ones until "
                                 "the clocks catch up."))
        return answer == QMessageBox.StandardButton.Yes


def _reporter(control: JobControl) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        control.report(done, total)
        control.check()
    return report


def _summary_total(summary: dict[str, object]) -> int:
    total = 0
    for value in summary.values():
        if isinstance(value, int):
            total += value
        elif isinstance(value, dict):
            total += sum(int(value.get(key, 0)) for key in ("new", "changed", "deleted",
                                                            "restored"))
    return total


def sync_page(services: Services, parent: QWidget | None = None) -> SyncPage:
    """The 同期 page."""
    return SyncPage(services, parent)
