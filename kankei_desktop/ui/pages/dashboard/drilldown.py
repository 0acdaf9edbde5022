"""A dialog listing the exact sessions and people behind a figure."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
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
from kankei_desktop.core.models import Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import display_name
from kankei_desktop.core.vocabulary import MeetingFormat, PersonCategory, label
from kankei_desktop.ui.pages.dashboard.breakdown import Breakdown

AnyIndex = QModelIndex | QPersistentModelIndex
Cell = str | int
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class RowsModel(QAbstractTableModel):
    """Read-only rows held in memory (numbers sort as numbers, text by its sort key)."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                 sort_keys: Sequence[Sequence[Cell]] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows = [list(row) for row in rows]
        self._keys = [list(key) for key in sort_keys] if sort_keys is not None else self._rows

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
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._rows[index.row()][index.column()]
            return f"{value:,}" if isinstance(value, int) and value >= 10_000 else str(value)
        if role == SORT_ROLE:
            return self._keys[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(
                self._rows[index.row()][index.column()], int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @override
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None


def _table(model: RowsModel) -> QTableView:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    table = QTableView()
    table.setModel(proxy)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setDefaultSectionSize(140)
    table.setSortingEnabled(True)
    table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the given order until clicked
    return table


class DrilldownDialog(QDialog):
    """Sessions and people behind one figure (a card or a bar of a chart)."""

    def __init__(
        self,
        services: Services,
        title: str,
        explanation: str,
        data: Breakdown,
        *,
        meetings: list[Meeting] | None = None,
        first_time_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 580)
        column = QVBoxLayout(self)
        intro = QLabel(explanation + "\n" + _("Click a column title to sort."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        shown = data.meetings if meetings is None else meetings
        clubs = services.clubs.names({m.club_id for m in shown})
        meeting_rows: list[list[Cell]] = [
            [m.date.isoformat(), clubs.get(m.club_id, ""), m.title,
             label(MeetingFormat(m.format)), data.meeting_people.get(m.id, 0)]
            for m in shown
        ]
        people = [
            person for person_id, person in data.people.items()
            if not first_time_only or person_id in data.first_time
        ]
        people.sort(key=lambda p: (p.sort_key, p.person_id))
        people_rows: list[list[Cell]] = [
            [display_name(p.family_name, p.given_name),
             display_name(p.family_reading, p.given_reading), label(PersonCategory(p.category)),
             data.attendance.get(p.person_id, 0),
             _("Yes") if p.person_id in data.first_time else ""]
            for p in people
        ]
        people_keys: list[list[Cell]] = [
            [p.sort_key, p.sort_key, row[2], row[3], row[4]] for p, row in zip(
                people, people_rows, strict=True)
        ]
        self.tabs = QTabWidget()
        self.sessions_model = RowsModel(
            [_("Date"), _("Club"), _("Session"), _("Format"), _("Attended")], meeting_rows,
            parent=self)
        self.people_model = RowsModel(
            [_("Name"), _("Reading"), _("Category"), _("Times attended"), _("First time")],
            people_rows, people_keys, parent=self)
        self.sessions_table = _table(self.sessions_model)
        self.people_table = _table(self.people_model)
        self.sessions_table.setColumnWidth(0, 110)
        self.sessions_table.setColumnWidth(2, 280)
        self.tabs.addTab(self.sessions_table,
                         _("Sessions ({count})").format(count=len(meeting_rows)))
        self.tabs.addTab(self.people_table, _("People ({count})").format(count=len(people_rows)))
        column.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
