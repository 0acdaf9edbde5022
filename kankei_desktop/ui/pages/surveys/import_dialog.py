"""回答を取り込む: an online form's export (Google Forms, Microsoft Forms; csv or xlsx) onto a
session, with a preview of each column's inferred kind that the user can correct before the
import. All or nothing; the same file twice changes nothing."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import QuestionKind, ResponseSource, label
from kankei_desktop.imports.importer import ImportRejectedError
from kankei_desktop.imports.surveys.analysis import QuestionPlan, SurveyAnalysis, analyse_survey
from kankei_desktop.imports.surveys.form import FormSheet, cell_text, read_form
from kankei_desktop.imports.surveys.importer import SurveyImportSummary, run_survey_import
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.progress_dialog import run_with_progress

KIND_COLUMN = 3
SAMPLES = 3
SHOWN_ISSUES = 200


class SurveyImportDialog(QDialog):
    """Choose the session and the file, check the columns' kinds, import."""

    def __init__(self, services: Services, sessions: list[tuple[uuid.UUID, str]],
                 meeting_id: uuid.UUID | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.form: FormSheet | None = None
        self.analysis: SurveyAnalysis | None = None
        self.kinds: dict[int, str] = {}
        self.summary: SurveyImportSummary | None = None
        self.changed = False
        self.setWindowTitle(_("Import answers of an online form"))
        self.resize(1000, 640)
        column = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Session:")))
        self.session = QComboBox()
        for session_id, text in sessions:
            self.session.addItem(text, session_id)
        self.session.setCurrentIndex(max(self.session.findData(meeting_id), 0))
        row.addWidget(self.session, 1)
        column.addLayout(row)
        row = QHBoxLayout()
        self.file_label = QLabel(_("Choose the export of the form's responses: Google Forms "
                                   "(.csv) or Microsoft Forms (.xlsx)."))
        self.file_label.setWordWrap(True)
        row.addWidget(self.file_label, 1)
        self.choose = QPushButton(_("Choose file…"))
        row.addWidget(self.choose)
        column.addLayout(row)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("No."), _("Question (column header)"),
                                              _("The answers suggest"), _("Import as"),
                                              _("Examples of answers")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.table, 1)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setObjectName("surveyImportInfo")
        column.addWidget(self.info)
        self.issues = QPlainTextEdit()
        self.issues.setReadOnly(True)
        self.issues.setMaximumHeight(120)
        self.issues.setVisible(False)
        column.addWidget(self.issues)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton(_("Import"))
        self.import_button.setEnabled(False)
        self.close_button = QPushButton(_("Close"))
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        column.addLayout(buttons)
        self.choose.clicked.connect(self._choose)
        self.import_button.clicked.connect(self.run_import)
        self.close_button.clicked.connect(self.accept)
        self.session.currentIndexChanged.connect(lambda _index: self._analyse(fill=True))

    def _choose(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the export of the form"), str(Path.home()),
            _("Form exports (*.csv *.xlsx *.txt);;All files (*)"))
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> bool:
        """Read ``path`` and show its columns (False, with the reason shown, when it cannot
        be read)."""
        self.kinds = {}
        self.summary = None
        try:
            self.form = read_form(path)
        except KankeiError as exc:
            self.form = None
            self._problem(exc.message)
            return False
        self.file_label.setText(_("{name} — {source}, {rows} rows").format(
            name=path.name, source=label(ResponseSource(self.form.source)),
            rows=len(self.form.rows)))
        return self._analyse(fill=True)

    def _analyse(self, *, fill: bool = False) -> bool:
        meeting_id = self.session.currentData()
        if self.form is None or not isinstance(meeting_id, uuid.UUID):
            return False
        try:
            self.analysis = analyse_survey(self.services, self.form, meeting_id, self.kinds)
        except KankeiError as exc:
            self._problem(exc.message)
            return False
        if fill:
            self._fill()
        else:
            self._update_rows()
        self._show_state()
        return True

    def _fill(self) -> None:
        assert self.analysis is not None
        plans = self.analysis.questions
        self.table.setRowCount(len(plans))
        for row, plan in enumerate(plans):
            self.table.setItem(row, 0, QTableWidgetItem(str(plan.column.number)))
            self.table.setItem(row, 1, QTableWidgetItem(plan.column.header))
            combo = VocabularyCombo(QuestionKind)
            combo.set_code(plan.kind)
            combo.currentIndexChanged.connect(
                lambda _index, number=plan.column.number, box=combo: self.set_kind(
                    number, box.code()))
            self.table.setCellWidget(row, KIND_COLUMN, combo)
        self._update_rows()
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.table.resizeColumnToContents(KIND_COLUMN)

    def _update_rows(self) -> None:
        assert self.analysis is not None
        assert self.form is not None
        for row, plan in enumerate(self.analysis.questions):
            self.table.setItem(row, 2, QTableWidgetItem(_describe(plan, plan.inferred)))
            self.table.setItem(row, 4, QTableWidgetItem(self._samples(plan)))

    def _samples(self, plan: QuestionPlan) -> str:
        assert self.form is not None
        found: list[str] = []
        for _number, cells in self.form.rows:
            text = cell_text(self.form.cell(cells, plan.column.index)).replace("\n", " ")
            if text and text not in found:
                found.append(text if len(text) <= 30 else text[:29] + "…")
            if len(found) == SAMPLES:
                break
        return " / ".join(found)

    def set_kind(self, number: int, kind: str) -> None:
        """Import question ``number`` as ``kind`` (the user's correction)."""
        self.kinds[number] = kind
        self._analyse()

    def combo(self, number: int) -> VocabularyCombo:
        """The kind chooser of question ``number``."""
        widget = self.table.cellWidget(number - 1, KIND_COLUMN)
        assert isinstance(widget, VocabularyCombo)
        return widget

    def _show_state(self) -> None:
        analysis = self.analysis
        assert analysis is not None
        rows = len(analysis.responses)
        text = ngettext("{count} response can be imported", "{count} responses can be imported",
                        rows).format(count=rows)
        text += _("; {linked} linked to people by e-mail or name, the others anonymous.").format(
            linked=analysis.linked)
        if not analysis.survey_live:
            text += " " + _("The session's questionnaire will be made from these columns.")
        if analysis.issues:
            text += " " + ngettext(
                "{count} row does not fit; correct the file or the kinds above.",
                "{count} rows do not fit; correct the file or the kinds above.",
                len(analysis.rejected)).format(count=len(analysis.rejected))
        self.info.setText(text)
        self.issues.setPlainText("\n".join(str(issue) for issue in
                                           analysis.issues[:SHOWN_ISSUES]))
        self.issues.setVisible(bool(analysis.issues))
        self.import_button.setEnabled(not analysis.issues and rows > 0)

    def _problem(self, message: str) -> None:
        self.analysis = None
        self.table.setRowCount(0)
        self.info.setText(message)
        self.issues.setVisible(False)
        self.import_button.setEnabled(False)

    def run_import(self) -> SurveyImportSummary | None:
        """Import the file as previewed (all or nothing)."""
        analysis = self.analysis
        if analysis is None:
            return None
        outcome = run_with_progress(
            self, _("Import answers of an online form"), _("Importing…"),
            lambda _control: run_survey_import(self.services, analysis), cancellable=False,
            refusal=_("The import runs in one transaction; it cannot be interrupted halfway."))
        if isinstance(outcome.error, ImportRejectedError | KankeiError):
            self._problem(outcome.error.message)
            return None
        if outcome.error is not None:
            raise outcome.error
        self.summary = outcome.result
        self.changed = True
        if self.summary is not None:
            self.info.setText("\n".join(self.summary.lines()))
        self.import_button.setEnabled(False)
        return self.summary


def _describe(plan: QuestionPlan, kind: str) -> str:
    text = label(QuestionKind(kind))
    if kind == QuestionKind.SCALE and plan.kind == kind:
        text += f" {plan.scale_min}–{plan.scale_max}"
    return text
