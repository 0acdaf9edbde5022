"""A table model that fetches its rows page by page from a service query.

The model keeps only ids and display strings; it asks for the next page of 200 when the
view scrolls near the end (``canFetchMore``/``fetchMore``), so a file with 100,000 people
never loads them all at once. The number of matching rows is counted only when someone asks
for :attr:`LazyTableModel.total` (or the source needs it first): a short first page already
is the whole answer, and a full one means "maybe more", so a keystroke in a search box costs
one page query, not a page query and a count over every record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from typing_extensions import override

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class TableRow:
    """One displayed record: its id, the cell texts and an optional tooltip."""

    id: uuid.UUID
    cells: tuple[str, ...]
    tooltip: str = ""


Fetch = Callable[[int, int], Sequence[TableRow]]
"""``fetch(limit, offset)`` → rows."""
Count = Callable[[], int]


class LazyTableModel(QAbstractTableModel):
    """Rows from ``fetch``/``count``; reset with :meth:`set_source`."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[TableRow] = []
        self._total: int | None = 0  # None: not counted yet (the first page was full)
        self._more = False  # the last page fetched was full
        self._count_first = False
        self._fetch: Fetch = lambda _limit, _offset: []
        self._count: Count = lambda: 0

    # -- feeding -------------------------------------------------------------------------

    def set_source(self, fetch: Fetch, count: Count, *, count_first: bool = False) -> None:
        """Use a new query (search or filter changed) and load its first page.

        ``count_first`` for sources whose ``fetch`` depends on the count (pages taken from
        the end of a query).
        """
        self.beginResetModel()
        self._fetch = fetch
        self._count = count
        self._count_first = count_first
        self._total = count() if count_first else None
        self._rows = list(fetch(PAGE_SIZE, 0)) if self._total != 0 else []
        self._settle(PAGE_SIZE)
        self.endResetModel()

    def reload(self) -> None:
        """Fetch again with the same query (after an edit), keeping as many rows loaded."""
        loaded = max(len(self._rows), PAGE_SIZE)
        self.beginResetModel()
        self._total = self._count() if self._count_first else None
        self._rows = list(self._fetch(loaded, 0)) if self._total != 0 else []
        self._settle(loaded)
        self.endResetModel()

    def _settle(self, asked: int) -> None:
        """After fetching ``asked`` rows from the start: is the total known now?"""
        self._more = len(self._rows) >= asked
        if self._total is not None:
            self._total = max(self._total, len(self._rows))
        elif not self._more:
            self._total = len(self._rows)

    @property
    def total(self) -> int:
        """How many rows the query has (loaded or not); counted on first use."""
        if self._total is None:
            self._total = max(self._count(), len(self._rows))
        return self._total

    def row_id(self, row: int) -> uuid.UUID | None:
        """The record id shown in ``row``."""
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: uuid.UUID) -> int:
        """The loaded row showing ``record_id``, or -1."""
        for index, row in enumerate(self._rows):
            if row.id == record_id:
                return index
        return -1

    # -- Qt model API ----------------------------------------------------------------------

    @override
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    @override
    def canFetchMore(self, parent: AnyIndex) -> bool:
        if parent.isValid():
            return False
        return self._more if self._total is None else len(self._rows) < self._total

    @override
    def fetchMore(self, parent: AnyIndex) -> None:
        if parent.isValid():
            return
        offset = len(self._rows)
        rows = list(self._fetch(PAGE_SIZE, offset))
        if not rows:  # the end, even if a count said otherwise (rows deleted meanwhile)
            self._total, self._more = offset, False
            return
        self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
        self._rows.extend(rows)
        self._settle(offset + PAGE_SIZE)
        self.endInsertRows()

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            return row.cells[column] if 0 <= column < len(row.cells) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or None
        if role == ID_ROLE:
            return str(row.id)
        return None

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return section + 1

    @override
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
