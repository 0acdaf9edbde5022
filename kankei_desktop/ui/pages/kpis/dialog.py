"""One KPI in a window: what it measures (a built-in figure, matchings, sessions of a kind,
organisations attending, new participants, a survey score or a value typed in), its target
and — for a value typed in — its actual (issue 17)."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.kpis import KpiDraft
from kankei_desktop.core.vocabulary import KpiMeasure, MatchingKind, MeetingKind, choices
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.dialog_buttons import save_cancel
from kankei_desktop.ui.widgets.form import FieldForm

#: Measures whose parameter is a kind of session / of matching.
_SESSION_KINDS = KpiMeasure.SESSIONS_OF_KIND.value
_MATCHING_KINDS = KpiMeasure.MATCHINGS_MADE.value


class KpiDialog(QDialog):
    """Create a KPI of ``club_id`` (None: the whole programme) for ``fiscal_year``, or edit
    ``kpi_id`` (its measure and scope stay)."""

    def __init__(self, services: Services, fiscal_year: int, club_id: uuid.UUID | None,
                 kpi_id: uuid.UUID | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.fiscal_year = fiscal_year
        self.club_id = club_id
        self.kpi_id = kpi_id
        self.setWindowTitle(_("KPI"))
        self.resize(520, 460)
        column = QVBoxLayout(self)
        scope = (services.clubs.names({club_id}).get(club_id, "") if club_id
                 else _("Whole programme"))
        heading = QLabel(_("{scope} — {year}").format(scope=scope,
                                                      year=format_fiscal_year(fiscal_year)))
        heading.setWordWrap(True)
        column.addWidget(heading)
        self.form = FieldForm()
        self.form.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form = self.form
        self.measure = form.add_field("measure", _("Measure"), VocabularyCombo(KpiMeasure))
        self.parameter = form.add_field("parameter", _("Kind"), VocabularyCombo(MeetingKind))
        self.label = form.add_field("label", _("Indicator"), QLineEdit())
        self.label.setPlaceholderText(_("e.g. 返礼品の売上, 視察受入数 (optional for a figure)"))
        self.unit = form.add_field("unit", _("Unit"), QLineEdit())
        self.unit.setPlaceholderText(_("e.g. 件, 人, 円"))
        self.target = form.add_field("target", _("Target value"), QLineEdit())
        self.actual = form.add_field("actual", _("Actual value"), QLineEdit())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        form.add_row("", self.hint)
        self.notes = form.add_field("notes", _("Remarks"), QPlainTextEdit())
        self.notes.setFixedHeight(70)
        column.addWidget(form)
        column.addStretch(1)
        column.addWidget(save_cancel(self, self.save))
        self.measure.currentIndexChanged.connect(self._on_measure)
        if kpi_id is not None:
            self._fill(KpiDraft.of(services.kpis.get(kpi_id)))
        self._on_measure()

    def _fill(self, draft: KpiDraft) -> None:
        self.measure.set_code(draft.measure)
        self.measure.setEnabled(False)  # a KPI keeps what it measures: add another instead
        self._set_parameters(draft.measure)
        self.parameter.set_code(draft.parameter)
        self.label.setText(draft.label)
        self.unit.setText(draft.unit)
        self.target.setText(draft.target)
        self.actual.setText(draft.actual)
        self.notes.setPlainText(draft.notes)

    def _set_parameters(self, measure: str) -> None:
        current = self.parameter.code()
        self.parameter.blockSignals(True)
        self.parameter.clear()
        if measure == _SESSION_KINDS:
            for code, text in choices(MeetingKind):
                self.parameter.addItem(text, code)
        elif measure == _MATCHING_KINDS:
            self.parameter.addItem(_("All kinds"), "")
            for code, text in choices(MatchingKind):
                self.parameter.addItem(text, code)
        elif measure == KpiMeasure.SURVEY_SCORE.value:
            for question_id, text in self._services.kpis.survey_questions():
                self.parameter.addItem(text, question_id)
            if current and self.parameter.findData(current) < 0:
                self.parameter.addItem(_("(a question no longer in the file)"), current)
        self.parameter.set_code(current)
        self.parameter.blockSignals(False)

    def _on_measure(self) -> None:
        measure = self.measure.code()
        if self.measure.isEnabled():
            self._set_parameters(measure)
        self.parameter.setEnabled(measure in (_SESSION_KINDS, _MATCHING_KINDS,
                                              KpiMeasure.SURVEY_SCORE.value))
        manual = measure == KpiMeasure.MANUAL.value
        self.actual.setEnabled(manual)
        if measure == KpiMeasure.SURVEY_SCORE.value:
            hint = _("The actual is the mean answer to the chosen scale question in the "
                     "surveys of the year (of the club, or of the whole programme); 「—」 while "
                     "nobody has answered it.")
        elif manual:
            hint = _("Type the actual value yourself (sales of return gifts, visits hosted …).")
        else:
            hint = _("The actual value is counted from the file, as in the figures.")
        self.hint.setText(hint)

    def draft(self) -> KpiDraft:
        """The form's values."""
        return KpiDraft(
            measure=self.measure.code(), fiscal_year=self.fiscal_year, club_id=self.club_id,
            parameter=self.parameter.code() if self.parameter.isEnabled() else "",
            label=self.label.text(), unit=self.unit.text(), target=self.target.text(),
            actual=self.actual.text() if self.actual.isEnabled() else "",
            notes=self.notes.toPlainText())

    def save(self) -> None:
        """Save and close; errors are shown by their fields."""
        kpis = self._services.kpis

        def write() -> None:
            if self.kpi_id is None:
                self.kpi_id = kpis.create(self.draft()).id
            else:
                kpis.update(self.kpi_id, self.draft())

        if self.form.attempt(write):
            self.accept()
