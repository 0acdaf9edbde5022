"""A record's matchings inside its editor (a person, an organisation, a club): the list, and
a dialog to add or change one (issue 17)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.matchings import MatchingDraft, MatchingView
from kankei_desktop.ui.pages.matchings.editor import MatchingEditor
from kankei_desktop.ui.pages.matchings.page import matching_cells

#: Columns of the panel: 成立日, 種類, 相手, 受入先, 状態 (of :func:`matching_cells`).
SHOWN = (0, 1, 2, 3, 4)


class MatchingDialog(QDialog):
    """The matching form in a window: a new matching (with ``preset`` values) or one to
    change; closes when saved."""

    def __init__(self, services: Services, matching_id: uuid.UUID | None = None,
                 preset: MatchingDraft | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Matching"))
        self.resize(620, 640)
        column = QVBoxLayout(self)
        self.editor = MatchingEditor(services)
        self.editor.form.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        if preset is not None:
            self.editor.preset = preset
        self.editor.load(matching_id)
        self.editor.saved.connect(lambda _id: self.accept())
        self.editor.cancel_button.setText(_("Close"))
        self.editor.cancel_button.clicked.connect(self.reject)
        column.addWidget(self.editor)


class MatchingsPanel(QWidget):
    """The matchings of one record, newest first; 追加 opens the form with the record filled
    in, a double-click opens a matching."""

    def __init__(self, services: Services,
                 rows: Callable[[uuid.UUID], list[MatchingView]],
                 preset: Callable[[uuid.UUID], MatchingDraft],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._rows = rows
        self._preset = preset
        self.record_id: uuid.UUID | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        column.addWidget(self.summary)
        self.table = QTableWidget(0, len(SHOWN))
        self.table.setHorizontalHeaderLabels(
            [_("Date made"), _("Matching kind"), _("Matched"), _("Host"), _("Status")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(170)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        column.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.add_button = QPushButton(_("Add matching…"))
        self.add_button.setToolTip(_("Record a matching of this record (複業, インターン, "
                                     "連携協定 …)"))
        self.add_button.clicked.connect(self.add)
        self.open_button = QPushButton(_("Open…"))
        self.open_button.clicked.connect(self.open_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        column.addLayout(buttons)
        self._ids: list[uuid.UUID] = []

    def load(self, record_id: uuid.UUID | None) -> None:
        """Show the matchings of ``record_id`` (None: a new record, nothing to show)."""
        self.record_id = record_id
        self.table.setRowCount(0)
        self._ids = []
        self.add_button.setEnabled(record_id is not None)
        self.open_button.setEnabled(record_id is not None)
        if record_id is None:
            self.summary.setText(_("Save the record first."))
            return
        views = self._rows(record_id)
        self._ids = [view.id for view in views]
        self.table.setRowCount(len(views))
        for row, view in enumerate(views):
            cells = matching_cells(view)
            for column, index in enumerate(SHOWN):
                self.table.setItem(row, column, QTableWidgetItem(cells[index]))
        self.table.resizeColumnsToContents()
        self.summary.setText(_("{count} matchings.").format(count=len(views)) if views
                             else _("No matchings recorded yet."))

    def add(self) -> None:
        """A new matching of this record."""
        if self.record_id is None:
            return
        if MatchingDialog(self._services, preset=self._preset(self.record_id),
                          parent=self).exec():
            self.load(self.record_id)

    def open_selected(self) -> None:
        """Change the selected matching."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.record_id is None:
            return
        if MatchingDialog(self._services, self._ids[rows[0].row()], parent=self).exec():
            self.load(self.record_id)
