"""The list of filed reports with the figures that have changed since."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.reports.submitted import Drift, Submission, describe_drift


class SubmittedList(QGroupBox):
    """提出済みの報告書: date, recipient, title and whether the figures still agree."""

    save_requested = Signal(object)
    """The user wants a copy of the filed PDF (the :class:`Submission`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Submitted reports"), parent)
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Submitted on"), _("Addressed to"), _("Report title"),
                                   _("Figures now")])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._show_selected)
        layout.addWidget(self.tree)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setObjectName("driftWarning")
        self.warning.setStyleSheet("color: #B71C1C;")
        self.warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.warning)
        self.save_button = QPushButton(_("Save the filed PDF…"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._on_save)
        layout.addWidget(self.save_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self._rows: list[tuple[Submission, list[Drift]]] = []

    def set_rows(self, rows: list[tuple[Submission, list[Drift]]]) -> None:
        """Show the filed reports and their drift."""
        self._rows = rows
        self.tree.clear()
        for submission, changes in rows:
            state = _("{count} changed").format(count=len(changes)) if changes else \
                _("unchanged")
            item = QTreeWidgetItem([submission.submitted_on.isoformat(), submission.recipient,
                                    submission.title, state])
            if changes:
                item.setForeground(3, Qt.GlobalColor.darkRed)
            self.tree.addTopLevelItem(item)
        for column in (0, 1, 3):
            self.tree.resizeColumnToContents(column)
        self.warning.setText(self.warning_text())
        self.save_button.setEnabled(False)

    def warning_text(self) -> str:
        """One sentence per filed report whose figures differ now."""
        return "\n".join(describe_drift(submission, changes)
                         for submission, changes in self._rows if changes)

    def _selected(self) -> Submission | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        return self._rows[self.tree.indexOfTopLevelItem(items[0])][0]

    def _show_selected(self) -> None:
        self.save_button.setEnabled(self._selected() is not None)

    def _on_save(self) -> None:
        submission = self._selected()
        if submission is not None:
            self.save_requested.emit(submission)
