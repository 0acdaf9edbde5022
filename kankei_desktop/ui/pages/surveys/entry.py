"""紙の回答入力: type the answers of paper questionnaires back, one row per sheet.

Keys: a digit answers the cell (a scale's point, a choice's number — 0 is the tenth option)
and a complete answer moves to the next question; a multiple choice toggles options until
→ or Tab; Delete or Space clears; typing in a free-text cell writes the text; Enter saves the
sheet and starts the next one. Every sheet is saved as soon as the typist leaves it.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.surveys.values import scale_values, split_options
from kankei_desktop.core.vocabulary import QuestionKind
from kankei_desktop.ui.pages.surveys.entry_model import PaperEntryModel, option_number

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_CLEAR = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Space)


class _TextDelegate(QStyledItemDelegate):
    """Free-text cells: Enter ends the text and goes to the next sheet."""

    def __init__(self, grid: EntryGrid) -> None:
        super().__init__(grid)
        self._grid = grid

    @override
    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                event.key() in _ENTER and isinstance(editor, QWidget):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._grid.next_sheet()
            return True
        return super().eventFilter(editor, event)


class EntryGrid(QTableView):
    """The sheets grid with the typing keys of the module docstring."""

    sheet_saved = Signal()
    """A sheet was saved."""

    def __init__(self, model: PaperEntryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = model
        self.setModel(model)
        self.setItemDelegate(_TextDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setTabKeyNavigation(True)
        self.horizontalHeader().setMinimumSectionSize(90)
        self.horizontalHeader().setDefaultSectionSize(150)
        self.verticalHeader().setDefaultSectionSize(28)

    @override
    def currentChanged(self, current: QModelIndex | QPersistentModelIndex,
                       previous: QModelIndex | QPersistentModelIndex) -> None:
        super().currentChanged(current, previous)
        if previous.isValid() and current.row() != previous.row():
            self._save(previous.row())

    def _save(self, row: int) -> None:
        if self.entries.save_row(row):
            self.sheet_saved.emit()

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if self.state() == QAbstractItemView.State.EditingState or not index.isValid():
            super().keyPressEvent(event)
            return
        kind = self.entries.kind(index.column())
        text = event.text()
        if event.key() in _ENTER:
            self.next_sheet()
        elif kind != QuestionKind.TEXT and len(text) == 1 and text.isdigit():
            if self.entries.digit(index.row(), index.column(), int(text)):
                self._move(index.row(), index.column() + 1)
        elif kind != QuestionKind.TEXT and event.key() in _CLEAR:
            self.entries.clear(index.row(), index.column())
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _move(self, row: int, column: int) -> None:
        column = min(column, self.entries.columnCount() - 1)
        self.setCurrentIndex(self.entries.index(row, column))

    def next_sheet(self) -> None:
        """Save this sheet and start on the next one (a new blank sheet at the end)."""
        row = max(self.currentIndex().row(), 0)
        self._save(row)
        self._move(min(row + 1, self.entries.rowCount() - 1), 0)


class PaperEntry(QWidget):
    """The grid with the session it types for and a legend of the keys."""

    saved = Signal()
    """A sheet was saved (the results may refresh)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.survey_id: uuid.UUID | None = None
        column = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Session:")))
        self.session = QComboBox()
        self.session.setMinimumWidth(320)
        row.addWidget(self.session, 1)
        column.addLayout(row)
        self.help = QLabel(_(
            "Type a digit for each answer (a scale's point, the number of a choice; 0 is the "
            "tenth); a complete answer moves to the next question. Multiple choice: digits "
            "tick and untick, → goes on. Free text: just type. Enter saves the sheet and "
            "starts the next one; Delete clears a cell."))
        self.help.setWordWrap(True)
        column.addWidget(self.help)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setObjectName("entryLegend")
        column.addWidget(self.legend)
        self.model = PaperEntryModel(services)
        self.grid = EntryGrid(self.model)
        column.addWidget(self.grid, 1)
        self.status = QLabel()
        column.addWidget(self.status)
        self.session.currentIndexChanged.connect(self._on_session)
        self.grid.sheet_saved.connect(self._on_saved)

    def show_survey(self, survey_id: uuid.UUID | None, sessions: list[tuple[uuid.UUID, str]]
                    ) -> None:
        """The survey to type for and the sessions that use it."""
        self.grid.entries.save_row(self.grid.currentIndex().row())
        self.survey_id = survey_id
        keep = self.session.currentData()
        self.session.blockSignals(True)
        self.session.clear()
        for meeting_id, text in sessions:
            self.session.addItem(text, meeting_id)
        index = self.session.findData(keep)
        self.session.setCurrentIndex(max(index, 0))
        self.session.blockSignals(False)
        self._on_session()

    @property
    def meeting_id(self) -> uuid.UUID | None:
        data = self.session.currentData()
        return data if isinstance(data, uuid.UUID) else None

    def _on_session(self) -> None:
        self.model.load(self.survey_id, self.meeting_id)
        self.legend.setText(self._legend())
        widths = {QuestionKind.SCALE: 120, QuestionKind.SINGLE: 190,
                  QuestionKind.MULTIPLE: 230, QuestionKind.TEXT: 320}
        for number, question in enumerate(self.model.questions):
            self.grid.setColumnWidth(number, widths.get(QuestionKind(question.kind), 160))
        if self.model.rowCount() and self.model.columnCount():
            self.grid.setCurrentIndex(self.model.index(self.model.rowCount() - 1, 0))
        self._show_count()

    def _legend(self) -> str:
        parts = []
        for number, question in enumerate(self.model.questions, start=1):
            head = _("Q{number}.").format(number=number)
            if question.kind == QuestionKind.SCALE:
                points = scale_values(question.scale_min, question.points)
                parts.append(f"{head} {points[0]}–{points[-1]}")
            elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                parts.append(f"{head} " + "　".join(
                    f"{option_number(index)}={option}"
                    for index, option in enumerate(split_options(question.options))))
            else:
                parts.append(f"{head} " + _("free text"))
        return "\n".join(parts)

    def start(self) -> None:
        """Put the cursor on the blank sheet, ready to type."""
        self.grid.setFocus()
        if self.model.rowCount() and self.model.columnCount():
            self.grid.setCurrentIndex(self.model.index(self.model.rowCount() - 1, 0))

    def _on_saved(self) -> None:
        self._show_count()
        self.saved.emit()

    def _show_count(self) -> None:
        if self.model.last_error:
            self.status.setText(self.model.last_error)
        elif self.survey_id is None or self.meeting_id is None:
            self.status.setText(_("Choose a questionnaire and a session to type sheets."))
        else:
            self.status.setText(_("{count} sheets saved for this session.").format(
                count=self.model.saved_sheets))
