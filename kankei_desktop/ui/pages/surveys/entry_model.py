"""The paper sheets of one survey at one session as a table: one row per sheet, one column
per question, always one blank row at the end for the next sheet.

Answers are typed as digits (a scale's point, a choice's number); a row is saved whole when
the typist leaves it, through :meth:`SurveyService.save_response`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from typing_extensions import override

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Question
from kankei_desktop.core.services import Services
from kankei_desktop.core.surveys.values import scale_values, split_options
from kankei_desktop.core.vocabulary import QuestionKind, ResponseSource

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass
class Sheet:
    """One paper sheet: its saved response (None until saved), number and answers."""

    sheet: int
    response_id: uuid.UUID | None = None
    answers: dict[uuid.UUID, str] = field(default_factory=dict)
    dirty: bool = False

    @property
    def blank(self) -> bool:
        return not any(self.answers.values())


def option_number(index: int) -> str:
    """The key that chooses option ``index`` (0-based): 1 … 9, then 0 for the tenth."""
    return str((index + 1) % 10)


class PaperEntryModel(QAbstractTableModel):
    """Sheets × questions of one survey at one session."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self._services = services
        self.survey_id: uuid.UUID | None = None
        self.meeting_id: uuid.UUID | None = None
        self.questions: list[Question] = []
        self.sheets: list[Sheet] = []
        self._pending: tuple[int, int, str] | None = None
        self.last_error = ""

    # -- loading ---------------------------------------------------------------------------

    def load(self, survey_id: uuid.UUID | None, meeting_id: uuid.UUID | None) -> None:
        """Show the paper sheets of ``survey_id`` at ``meeting_id`` (nothing when None)."""
        self.beginResetModel()
        self.survey_id, self.meeting_id = survey_id, meeting_id
        self.questions, self.sheets, self._pending = [], [], None
        if survey_id is not None and meeting_id is not None:
            self.questions = self._services.surveys.questions(survey_id)
            for row in self._services.surveys.responses(survey_id, meeting_id):
                if row.source == ResponseSource.PAPER:
                    self.sheets.append(Sheet(row.sheet or 0, row.id, dict(row.answers)))
            self.sheets.append(Sheet(self._next_number()))
        self.endResetModel()

    def _next_number(self) -> int:
        return max((sheet.sheet for sheet in self.sheets), default=0) + 1

    # -- Qt model --------------------------------------------------------------------------

    @override
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.sheets)

    @override
    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.questions)

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.sheets):
            return None
        question = self.questions[index.column()]
        value = self.sheets[index.row()].answers.get(question.id, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.display(question, value) if role == Qt.ItemDataRole.DisplayRole \
                else value
        if role == Qt.ItemDataRole.TextAlignmentRole and question.kind == QuestionKind.SCALE:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and value:
            return value
        return None

    @staticmethod
    def display(question: Question, value: str) -> str:
        """「2 勤務先からの案内」: an option with the key that chooses it."""
        if not value or question.kind in (QuestionKind.SCALE, QuestionKind.TEXT):
            return value.replace("\n", " ")
        options = split_options(question.options)
        return "、".join(f"{option_number(options.index(item))} {item}" if item in options
                        else item for item in split_options(value))

    @override
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(self.sheets[section].sheet) if section < len(self.sheets) else None
        if section >= len(self.questions):
            return None
        question = self.questions[section]
        text = question.text if len(question.text) <= 14 else question.text[:13] + "…"
        return _("Q{number}.").format(number=section + 1) + " " + text

    @override
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.questions[index.column()].kind == QuestionKind.TEXT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    @override
    def setData(self, index: AnyIndex, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        self._set(index.row(), index.column(), str(value or "").strip())
        return True

    # -- typing ----------------------------------------------------------------------------

    def kind(self, column: int) -> str:
        return self.questions[column].kind if 0 <= column < len(self.questions) else ""

    def digit(self, row: int, column: int, digit: int) -> bool:
        """A digit typed in a cell; returns whether the cell is complete (go on)."""
        question = self.questions[column]
        if question.kind == QuestionKind.SCALE:
            return self._point(row, column, question, digit)
        self._pending = None
        options = split_options(question.options)
        number = 10 if digit == 0 else digit
        if number > len(options):
            return False
        chosen = options[number - 1]
        if question.kind == QuestionKind.SINGLE:
            self._set(row, column, chosen)
            return True
        current = split_options(self.sheets[row].answers.get(question.id, ""))
        picked = [item for item in options
                  if (item in current) != (item == chosen)]
        self._set(row, column, "\n".join(picked))
        return False

    def _point(self, row: int, column: int, question: Question, digit: int) -> bool:
        points = [str(point) for point in scale_values(question.scale_min, question.points)]
        typed = str(digit)
        if self._pending is not None and self._pending[:2] == (row, column):
            longer = self._pending[2] + typed
            if longer in points:
                typed = longer
        if typed not in points:
            self._pending = None
            return False
        self._set(row, column, typed)
        more = any(point.startswith(typed) and point != typed for point in points)
        self._pending = (row, column, typed) if more else None
        return not more

    def clear(self, row: int, column: int) -> None:
        """Take the answer out of a cell."""
        self._pending = None
        self._set(row, column, "")

    def _set(self, row: int, column: int, value: str) -> None:
        sheet = self.sheets[row]
        question = self.questions[column]
        if sheet.answers.get(question.id, "") == value:
            return
        sheet.answers[question.id] = value
        sheet.dirty = True
        index = self.index(row, column)
        self.dataChanged.emit(index, index)

    # -- saving ----------------------------------------------------------------------------

    def save_row(self, row: int) -> bool:
        """Save a changed sheet (a blank new one is not saved); False when refused."""
        self._pending = None
        if not 0 <= row < len(self.sheets) or self.survey_id is None or \
                self.meeting_id is None:
            return True
        sheet = self.sheets[row]
        if not sheet.dirty or (sheet.response_id is None and sheet.blank):
            return True
        from kankei_desktop.core.errors import KankeiError

        try:
            saved = self._services.surveys.save_response(
                self.survey_id, self.meeting_id, sheet.answers, response_id=sheet.response_id,
                sheet=sheet.sheet)
        except KankeiError as exc:
            self.last_error = exc.message
            return False
        sheet.response_id = saved.id
        sheet.dirty = False
        self.last_error = ""
        if row == len(self.sheets) - 1:
            self.beginInsertRows(QModelIndex(), len(self.sheets), len(self.sheets))
            self.sheets.append(Sheet(self._next_number()))
            self.endInsertRows()
        return True

    @property
    def saved_sheets(self) -> int:
        """Sheets saved in the file."""
        return sum(1 for sheet in self.sheets if sheet.response_id is not None)
