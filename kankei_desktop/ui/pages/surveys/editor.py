"""質問: a questionnaire's title and introduction, its questions in order, each edited in a
form (kind, options one per line, a scale's points and end labels); questions from the
template library in one click."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Question
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.survey_questions import QuestionDraft
from kankei_desktop.core.surveys.templates import TEMPLATES
from kankei_desktop.core.surveys.values import MAX_POINTS, MIN_POINTS, split_options
from kankei_desktop.core.vocabulary import QuestionKind, label
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.form import FieldForm


class QuestionEditor(QWidget):
    """The questions of one survey."""

    changed = Signal()
    """The questionnaire was saved (the list and the other tabs refresh)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.survey_id: uuid.UUID | None = None
        self.questions: list[Question] = []
        column = QVBoxLayout(self)
        self.survey_form = FieldForm()
        self.title = self.survey_form.add_field("title", _("Title"), QLineEdit())
        self.intro = self.survey_form.add_field("intro", _("Introduction"), QPlainTextEdit())
        self.intro.setPlaceholderText(_("Printed above the questions (leave empty for the "
                                        "standard greeting)."))
        self.intro.setMaximumHeight(56)
        self.save_survey = QPushButton(_("Save title"))
        self.survey_form.add_row("", self.save_survey)
        column.addWidget(self.survey_form)
        splitter = QSplitter()
        column.addWidget(splitter, 1)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        left_column.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.add_button = QToolButton()
        self.add_button.setText(_("Add question"))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        menu.addAction(_("Empty question"), self.add_empty)
        menu.addSeparator()
        for item in TEMPLATES:
            menu.addAction(_("Template: {name}").format(name=_(item.name)),
                           partial(self.add_template, item.key))
        self.add_button.setMenu(menu)
        buttons.addWidget(self.add_button)
        self.up = QPushButton(_("Up"))
        self.down = QPushButton(_("Down"))
        self.remove = QPushButton(_("Delete"))
        for button in (self.up, self.down, self.remove):
            buttons.addWidget(button)
        left_column.addLayout(buttons)
        splitter.addWidget(left)
        self.form = FieldForm()
        self.text = self.form.add_field("text", _("Question"), QPlainTextEdit())
        self.text.setMaximumHeight(72)
        self.kind = self.form.add_field("kind", _("Kind of question"),
                                        VocabularyCombo(QuestionKind))
        self.options = self.form.add_field("options", _("Options (one per line)"),
                                           QPlainTextEdit())
        self.options.setMinimumHeight(140)
        self.scale_min = self.form.add_field("scale_min", _("Scale starts at"), QComboBox())
        self.scale_min.addItem("1", 1)
        self.scale_min.addItem("0", 0)
        self.points = self.form.add_field("points", _("Number of points"), QSpinBox())
        self.points.setRange(MIN_POINTS, MAX_POINTS)
        self.low_label = self.form.add_field("low_label", _("Label of the lowest point"),
                                             QLineEdit())
        self.high_label = self.form.add_field("high_label", _("Label of the highest point"),
                                              QLineEdit())
        self.save_question = QPushButton(_("Save question"))
        self.form.add_row("", self.save_question)
        self.form.layout_.setRowWrapPolicy(self.form.layout_.RowWrapPolicy.DontWrapRows)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.form)
        right_column.addStretch(1)
        splitter.addWidget(right)
        splitter.setSizes([320, 520])
        self.list.currentRowChanged.connect(self._show_question)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.save_question.clicked.connect(self.save)
        self.save_survey.clicked.connect(self._save_survey)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.remove.clicked.connect(self._delete)
        self._kind_changed()

    # -- loading ---------------------------------------------------------------------------

    def show_survey(self, survey_id: uuid.UUID | None, select: int = 0) -> None:
        """Edit ``survey_id`` (nothing when None), question ``select`` selected."""
        self.survey_id = survey_id
        self.setEnabled(survey_id is not None)
        self.survey_form.clear_errors()
        self.form.clear_errors()
        if survey_id is None:
            self.questions = []
            self.list.clear()
            return
        survey = self._services.surveys.get(survey_id)
        self.title.setText(survey.title)
        self.intro.setPlainText(survey.intro)
        self.questions = self._services.surveys.questions(survey_id)
        self.list.blockSignals(True)
        self.list.clear()
        for number, question in enumerate(self.questions, start=1):
            item = QListWidgetItem(_("Q{number}.").format(number=number) + " " +
                                   question.text.replace("\n", " "))
            item.setToolTip(label(QuestionKind(question.kind)))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(select, len(self.questions) - 1))
        self._show_question(self.list.currentRow())

    def _show_question(self, row: int) -> None:
        self.form.clear_errors()
        has = 0 <= row < len(self.questions)
        self.form.setEnabled(has)
        draft = QuestionDraft.of(self.questions[row]) if has else QuestionDraft("")
        self.text.setPlainText(draft.text)
        self.kind.set_code(draft.kind)
        self.options.setPlainText("\n".join(draft.options))
        self.scale_min.setCurrentIndex(max(self.scale_min.findData(draft.scale_min), 0))
        self.points.setValue(draft.points)
        self.low_label.setText(draft.low_label)
        self.high_label.setText(draft.high_label)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.code()
        choice = kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
        scale = kind == QuestionKind.SCALE
        self.form.layout_.setRowVisible(_box(self.options), choice)
        for widget in (self.scale_min, self.points, self.low_label, self.high_label):
            self.form.layout_.setRowVisible(_box(widget), scale)

    # -- editing ---------------------------------------------------------------------------

    def draft(self) -> QuestionDraft:
        """The question as the form holds it."""
        return QuestionDraft(
            text=self.text.toPlainText(), kind=self.kind.code(),
            options=split_options(self.options.toPlainText().replace("\r", "")),
            scale_min=int(self.scale_min.currentData() or 0), points=self.points.value(),
            low_label=self.low_label.text(), high_label=self.high_label.text())

    def save(self) -> bool:
        """Save the question in the form."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.questions):
            return False
        question_id = self.questions[row].id
        if self.form.attempt(lambda: self._services.surveys.update_question(
                question_id, self.draft())):
            self.show_survey(self.survey_id, row)
            self.changed.emit()
            return True
        return False

    def add_empty(self) -> None:
        """A new free-text question to fill in."""
        self._add(lambda survey_id: self._services.surveys.add_question(
            survey_id, QuestionDraft(_("New question"), QuestionKind.TEXT.value)))

    def add_template(self, key: str) -> None:
        """A question from the template library."""
        self._add(lambda survey_id: self._services.surveys.add_template(survey_id, key))

    def _add(self, action: Callable[[uuid.UUID], object]) -> None:
        if self.survey_id is None:
            return
        survey_id = self.survey_id
        if self.form.attempt(lambda: action(survey_id)):
            self.show_survey(survey_id, len(self.questions))
            self.changed.emit()

    def _move(self, offset: int) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.questions):
            self._services.surveys.move_question(self.questions[row].id, offset)
            self.show_survey(self.survey_id, max(0, min(row + offset, len(self.questions) - 1)))
            self.changed.emit()

    def _delete(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.questions):
            self._services.surveys.delete_question(self.questions[row].id)
            self.show_survey(self.survey_id, max(row - 1, 0))
            self.changed.emit()

    def _save_survey(self) -> None:
        if self.survey_id is None:
            return
        survey_id = self.survey_id
        if self.survey_form.attempt(lambda: self._services.surveys.rename(
                survey_id, self.title.text(), self.intro.toPlainText())):
            self.changed.emit()


def _box(widget: QWidget) -> QWidget:
    """The form row's field (the widget with its error label)."""
    return widget.parentWidget() or widget
