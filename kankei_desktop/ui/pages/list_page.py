"""The shared shape of the organisation, people and club pages.

Search box first, filters beside it, the table on the left and the record's editor on the
right (splitter). Subclasses say how to query, delete and restore through the services.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.ui.models.lazy_table import Count, Fetch, LazyTableModel, TableRow
from kankei_desktop.ui.pages.record_editor import RecordEditor
from kankei_desktop.ui.settings import AppSettings
from kankei_desktop.ui.widgets.empty_state import EmptyState
from kankei_desktop.ui.widgets.page_header import PageHeader
from kankei_desktop.ui.widgets.search_box import SearchBox


class ListPage(QWidget):
    """Search, filters, lazy table and detail editor."""

    status_message = Signal(str)
    """Something happened that the status bar should say."""

    page_key = "list"
    _services: Services
    sortable_columns: frozenset[int] = frozenset({0, 1})
    """Columns whose header sorts (the services order by reading, 50音順, only)."""

    def __init__(self, title: str, headers: Sequence[str], editor: RecordEditor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.header = PageHeader(title)
        self.new_button = self.header.add_button(_("New…"), _("Add a new record (Ctrl+N)"))
        self.delete_button = self.header.add_button(_("Delete"), _("Delete the selected record"))
        self.restore_button = self.header.add_button(
            _("Restore"), _("Bring the selected deleted record back"))
        column.addWidget(self.header)

        filters = QWidget()
        self.filter_row = QHBoxLayout(filters)
        self.filter_row.setContentsMargins(12, 8, 12, 8)
        self.search_box = SearchBox(_("Search by name or reading (Ctrl+F)"))
        self.filter_row.addWidget(self.search_box, 2)
        self._build_filters(self.filter_row)
        self.deleted_toggle = QCheckBox(_("Deleted"))
        self.deleted_toggle.setToolTip(_("Show deleted records so that you can restore them"))
        self.filter_row.addWidget(self.deleted_toggle)
        column.addWidget(filters)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = LazyTableModel(headers, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 12)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(160)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setToolTip(_("Click the name to sort in 50音順 (あ→ん) or back (ん→あ)"))
        self._sort = (0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._on_sort_clicked)
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.splitter.addWidget(self.stack)
        self.editor = editor
        self.splitter.addWidget(editor)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 460])
        column.addWidget(self.splitter, 1)

        self.search_box.search_changed.connect(lambda _text: self.refresh())
        self.deleted_toggle.toggled.connect(self._on_deleted_toggled)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.editor.setFocus())
        self.new_button.clicked.connect(self.new_record)
        self.delete_button.clicked.connect(self.delete_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.editor.saved.connect(self._on_saved)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_selected)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.focus_editor)
        self.setTabOrder(self.search_box, self.table)
        editor.finish_tab_order()
        self._selecting = False
        self._started = False
        self._update_buttons()

    # -- hooks -----------------------------------------------------------------------------

    def _build_filters(self, row: QHBoxLayout) -> None:
        """Add filter widgets; call :meth:`refresh` when they change."""

    def _rows(self, search: str, deleted: bool, limit: int, offset: int) -> list[TableRow]:
        raise NotImplementedError

    def _count(self, search: str, deleted: bool) -> int:
        raise NotImplementedError

    def _delete(self, record_id: uuid.UUID) -> None:
        raise NotImplementedError

    def _restore(self, record_id: uuid.UUID) -> None:
        raise NotImplementedError

    def empty_text(self) -> str:
        """What to say when the file has none of these records."""
        raise NotImplementedError

    def _has_filters(self) -> bool:
        return False

    # -- behaviour ---------------------------------------------------------------------------

    @property
    def showing_deleted(self) -> bool:
        """True while the 削除済み filter is on."""
        return self.deleted_toggle.isChecked()

    @property
    def descending(self) -> bool:
        """True when the list runs ん→あ."""
        return self._sort[1] == Qt.SortOrder.DescendingOrder

    def refresh(self) -> None:
        """Run the query again with the current search and filters."""
        search = self.search_box.text()
        deleted = self.showing_deleted
        if self.descending:
            fetch, count = self._descending_source(search, deleted)
            self.model.set_source(fetch, count, count_first=True)
        else:
            self.model.set_source(
                lambda limit, offset: self._rows(search, deleted, limit, offset),
                lambda: self._count(search, deleted),
            )
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.table)
        else:
            self.stack.setCurrentWidget(self.empty)
            if deleted:
                self.empty.setText(_("There are no deleted records. Untick [Deleted] to see "
                                     "the others."))
            elif search.strip() or self._has_filters():
                self.empty.setText(_("Nothing matches. Check the spelling, or clear the search "
                                     "and the filters."))
            else:
                self.empty.setText(self.empty_text())
        if self.editor.record_id is not None and self.model.row_of(self.editor.record_id) >= 0:
            self.select_record(self.editor.record_id)
        elif self.editor.record_id is None and not self.editor.is_dirty():
            if self.model.rowCount():
                # Show the first record rather than an anonymous empty form.
                self.table.selectRow(0)
            elif not self._started:
                self.editor.load(None, read_only=deleted)
        self._started = True
        self._update_buttons()

    def focus_search(self) -> None:
        """Ctrl+F."""
        self.search_box.setFocus()
        self.search_box.selectAll()

    def focus_editor(self) -> None:
        """Enter on the table: edit the selected record (its first field)."""
        self.editor.tabs.setCurrentIndex(0)
        fields = self.editor.form.fields
        (fields[0] if fields else self.editor.form).setFocus()

    def selected_id(self) -> uuid.UUID | None:
        """The record selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_id(rows[0].row()) if rows else None

    def select_record(self, record_id: uuid.UUID) -> None:
        """Select ``record_id`` if it is loaded."""
        row = self.model.row_of(record_id)
        if row >= 0:
            self._selecting = True
            self.table.selectRow(row)
            self._selecting = False
            self.table.scrollTo(self.model.index(row, 0))
        self._update_buttons()

    def new_record(self) -> None:
        """Ctrl+N: an empty form."""
        if self.showing_deleted:
            self.deleted_toggle.setChecked(False)
        if not self.editor.confirm_leave():
            return
        self.table.clearSelection()
        self.editor.load(None)
        self.editor.tabs.setCurrentIndex(0)
        fields = self.editor.form.fields
        (fields[0] if fields else self.editor.form).setFocus()

    def delete_selected(self) -> None:
        """Delete with confirmation (restorable from the 削除済み filter)."""
        record_id = self.selected_id()
        if record_id is None or self.showing_deleted:
            return
        name = self._label_of(record_id)
        answer = QMessageBox.question(
            self,
            _("Delete"),
            _("Delete '{name}'? You can restore it later with the [Deleted] filter.").format(
                name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._services.context.action(_("Delete {name}").format(name=name)):
                self._delete(record_id)
        except KankeiError as exc:
            QMessageBox.warning(self, _("Could not delete"), exc.message)
            return
        self.editor.load(None)
        self.refresh()
        self.status_message.emit(_("Deleted '{name}'.").format(name=name))

    def restore_selected(self) -> None:
        """Bring the selected deleted record back."""
        record_id = self.selected_id()
        if record_id is None or not self.showing_deleted:
            return
        name = self._label_of(record_id)
        try:
            with self._services.context.action(_("Restore {name}").format(name=name)):
                self._restore(record_id)
        except KankeiError as exc:
            QMessageBox.warning(self, _("Could not restore"), exc.message)
            return
        self.deleted_toggle.setChecked(False)
        self.editor.load(record_id)
        self.refresh()
        self.select_record(record_id)
        self.status_message.emit(_("Restored '{name}'.").format(name=name))

    def reload_after_undo(self) -> None:
        """After an undo or redo: the list and the editor show the records as they are now
        (an editor with unsaved edits keeps them; the window asked about those before)."""
        editor = self.editor
        if editor.is_dirty():
            self.refresh()
            return
        record_id = editor.record_id
        editor.load(None, read_only=self.showing_deleted)
        self.refresh()
        if record_id is not None and self.model.row_of(record_id) >= 0:
            self.select_record(record_id)
            editor.load(record_id, read_only=self.showing_deleted)

    def save_state(self, settings: AppSettings) -> None:
        """Remember splitter and column widths."""
        settings.set_bytes_value(f"{self.page_key}/splitter", self.splitter.saveState())
        settings.set_bytes_value(
            f"{self.page_key}/columns", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: AppSettings) -> None:
        """Bring back splitter and column widths."""
        splitter = settings.bytes_value(f"{self.page_key}/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        columns = settings.bytes_value(f"{self.page_key}/columns")
        if columns is not None:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.restoreState(columns)
            header.setSortIndicatorShown(True)
            if header.sortIndicatorSection() in self.sortable_columns:
                self._sort = (header.sortIndicatorSection(), header.sortIndicatorOrder())
            header.setSortIndicator(*self._sort)
            header.blockSignals(False)

    # -- internals ---------------------------------------------------------------------------

    def _descending_source(self, search: str, deleted: bool) -> tuple[Fetch, Count]:
        """Pages of the same 50音順 query taken from its end, reversed: ん→あ, still lazy."""
        known = [0]

        def count() -> int:
            known[0] = self._count(search, deleted)
            return known[0]

        def fetch(limit: int, offset: int) -> list[TableRow]:
            end = known[0] - offset
            start = max(0, end - limit)
            if end <= 0:
                return []
            return list(reversed(self._rows(search, deleted, end - start, start)))

        return fetch, count

    def _on_sort_clicked(self, column: int, order: Qt.SortOrder) -> None:
        header = self.table.horizontalHeader()
        if column not in self.sortable_columns:
            header.blockSignals(True)
            header.setSortIndicator(*self._sort)
            header.blockSignals(False)
            self.status_message.emit(_(
                "This column cannot be sorted yet; the list is sorted by reading (50音順)."))
            return
        if (column, order) == self._sort:
            return
        self._sort = (column, order)
        self.refresh()

    def _label_of(self, record_id: uuid.UUID) -> str:
        row = self.model.row_of(record_id)
        return str(self.model.index(row, 0).data()) if row >= 0 else ""

    def _on_deleted_toggled(self, _checked: bool) -> None:
        self.editor.load(None, read_only=self.showing_deleted)
        self.refresh()

    def _on_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()
        if self._selecting:
            return
        record_id = self.selected_id()
        if record_id is None or record_id == self.editor.record_id:
            return
        if not self.editor.confirm_leave():
            if self.editor.record_id is not None:
                self.select_record(self.editor.record_id)
            return
        self.editor.load(record_id, read_only=self.showing_deleted)

    def _on_saved(self, record_id: uuid.UUID) -> None:
        self.model.reload()
        if self.model.row_of(record_id) < 0:
            self.refresh()
        else:
            self.stack.setCurrentWidget(self.table)
        self.select_record(record_id)
        self.status_message.emit(_("Saved."))

    def _update_buttons(self) -> None:
        selected = self.selected_id() is not None
        self.delete_button.setVisible(not self.showing_deleted)
        self.delete_button.setEnabled(selected)
        self.restore_button.setVisible(self.showing_deleted)
        self.restore_button.setEnabled(selected)
        self.new_button.setEnabled(not self.showing_deleted)
