"""A dialog listing the exact sessions and people behind a figure."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from kankei_desktop.core.i18n import _
from kankei_desktop.ui.pages.dashboard.breakdown import Cell, DrilldownTables

AnyIndex = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """Read-only rows held in memory (numbers sort as numbers, text by its sort key).

    The model sorts itself with one Python sort over the keys: a proxy model would ask for
    every compared cell through Qt, which took seconds for a year's 23,000 people.
    """

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                 sort_keys: Sequence[Sequence[Cell]] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows = [list(row) for row in rows]
        self._keys = [list(key) for key in sort_keys] if sort_keys is not None else self._rows
        self._order = list(range(len(self._rows)))  # shown row → given row

    @override
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (ties keep the given order); column -1 restores the given order."""
        self.layoutAboutToBeChanged.emit()
        before = list(self._order)
        given = range(len(self._rows))
        if 0 <= column < len(self._headers):
            keys = self._keys
            new = sorted(given, key=lambda row: keys[row][column],
                         reverse=order == Qt.SortOrder.DescendingOrder)
        else:
            new = list(given)
        self._order = new
        shown_at = {row: position for position, row in enumerate(new)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(
            old, [self.index(shown_at[before[index.row()]], index.column()) for index in old])
        self.layoutChanged.emit()

    @override
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._order[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._rows[row][index.column()]
            return f"{value:,}" if isinstance(value, int) and value >= 10_000 else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(
                self._rows[row][index.column()], int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @override
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None


def _table(model: RowsModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setDefaultSectionSize(140)
    # No indicator yet: enabling sorting sorts by the indicator's column; keep the given order.
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    return table


class DrilldownDialog(QDialog):
    """Sessions and people behind one figure (a card or a bar of a chart)."""

    def __init__(self, title: str, explanation: str, tables: DrilldownTables,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 580)
        column = QVBoxLayout(self)
        intro = QLabel(explanation + "\n" + _("Click a column title to sort."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.tabs = QTabWidget()
        self.sessions_model = RowsModel(
            [_("Date"), _("Club"), _("Session"), _("Format"), _("Attended")],
            tables.meeting_rows, parent=self)
        self.people_model = RowsModel(
            [_("Name"), _("Reading"), _("Category"), _("Times attended"), _("First time")],
            tables.people_rows, tables.people_keys, parent=self)
        self.sessions_table = _table(self.sessions_model)
        self.people_table = _table(self.people_model)
        self.sessions_table.setColumnWidth(0, 110)
        self.sessions_table.setColumnWidth(2, 280)
        self.tabs.addTab(self.sessions_table,
                         _("Sessions ({count})").format(count=len(tables.meeting_rows)))
        self.tabs.addTab(self.people_table,
                         _("People ({count})").format(count=len(tables.people_rows)))
        self.organisations_model: RowsModel | None = None
        if tables.organisation_rows is not None:
            self.organisations_model = RowsModel(
                [_("Organisation name"), _("Unique persons"), _("Person-times")],
                tables.organisation_rows, parent=self)
            self.organisations_table = _table(self.organisations_model)
            self.organisations_table.setColumnWidth(0, 320)
            self.tabs.addTab(self.organisations_table, _("Organisations ({count})").format(
                count=len(tables.organisation_rows)))
            self.tabs.setCurrentWidget(self.organisations_table)
        column.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
