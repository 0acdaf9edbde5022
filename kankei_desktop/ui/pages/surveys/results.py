"""結果: per question the answers, counts and shares, the mean of a scale, a bar chart, and
the free texts with a tick for those to print in the reports — for one session, a club's
fiscal year or the whole programme's."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import current_fiscal_year, fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.surveys.results import QuestionResult, SurveyResults
from kankei_desktop.core.vocabulary import QuestionKind, label
from kankei_desktop.ui.pages.dashboard.charts import BarChart
from kankei_desktop.ui.widgets.empty_state import EmptyState
from kankei_desktop.ui.widgets.fiscal_year_combo import FiscalYearCombo

SESSION, CLUB, PROGRAMME = "session", "club", "programme"
ANSWER_ID = Qt.ItemDataRole.UserRole + 1


def percent(share: float | None) -> str:
    """「37.5%」 or 「-」."""
    return "-" if share is None else f"{share * 100:.1f}%"


class QuestionBox(QGroupBox):
    """One question's results: table and chart, or the free texts to choose from."""

    def __init__(self, services: Services, number: int, question: QuestionResult,
                 parent: QWidget | None = None) -> None:
        title = _("Q{number}.").format(number=number) + " " + question.text
        super().__init__(f"{title}（{label(QuestionKind(question.kind))}）", parent)
        self._services = services
        self.question = question
        row = QHBoxLayout(self)
        if question.closed:
            row.addWidget(self._table(), 2)
            self.chart = BarChart("", horizontal=True)
            self.chart.setMinimumHeight(max(160, 34 * len(question.counts) + 40))
            self.chart.set_data([_option(question, option) for option in question.counts],
                                list(question.counts.values()))
            row.addWidget(self.chart, 3)
            return
        column = QVBoxLayout()
        column.addWidget(QLabel(_("{count} answers. Tick the texts to quote in the club and "
                                  "annual reports.").format(count=question.answered)))
        self.texts = QListWidget()
        self.texts.setWordWrap(True)
        self.texts.setMinimumHeight(min(60 + 40 * len(question.texts), 260))
        for item in question.texts:
            entry = QListWidgetItem(item.text)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if item.featured
                                else Qt.CheckState.Unchecked)
            entry.setData(ANSWER_ID, item.answer_id)
            self.texts.addItem(entry)
        self.texts.itemChanged.connect(self._on_ticked)
        column.addWidget(self.texts)
        row.addLayout(column)

    def _table(self) -> QTableWidget:
        question = self.question
        rows = [(_option(question, option), f"{count:,}", percent(question.share(option)))
                for option, count in question.counts.items()]
        rows.append((_("Respondents"), f"{question.answered:,}", ""))
        if question.mean is not None:
            rows.append((_("Mean"), f"{question.mean:.2f}", ""))
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels([_("Answer"), _("Count"), _("Share")])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for number, values in enumerate(rows):
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(number, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.setMinimumHeight(min(32 + 30 * len(rows), 360))
        return table

    def _on_ticked(self, item: QListWidgetItem) -> None:
        answer_id = item.data(ANSWER_ID)
        if isinstance(answer_id, uuid.UUID):
            self._services.surveys.set_featured(
                answer_id, item.checkState() == Qt.CheckState.Checked)


def _option(question: QuestionResult, option: str) -> str:
    if question.kind == QuestionKind.SCALE:
        if option == str(question.scale_min) and question.low_label:
            return f"{option}（{question.low_label}）"
        if option == str(question.scale_min + question.points - 1) and question.high_label:
            return f"{option}（{question.high_label}）"
    return option


class ResultsView(QWidget):
    """The results of the chosen scope."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.club_id: uuid.UUID | None = None
        column = QVBoxLayout(self)
        row = QHBoxLayout()
        self.scope = QComboBox()
        for key, text in ((SESSION, _("One session")), (CLUB, _("The club, fiscal year")),
                          (PROGRAMME, _("Whole programme, fiscal year"))):
            self.scope.addItem(text, key)
        row.addWidget(self.scope)
        self.session = QComboBox()
        self.session.setMinimumWidth(280)
        row.addWidget(self.session, 1)
        self.fiscal_year = FiscalYearCombo()
        year = current_fiscal_year()
        self.fiscal_year.set_range(year - 6, year, year)
        row.addWidget(self.fiscal_year)
        column.addLayout(row)
        self.summary = QLabel()
        self.summary.setObjectName("surveySummary")
        self.summary.setWordWrap(True)
        column.addWidget(self.summary)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        column.addWidget(self.area, 1)
        self.boxes: list[QuestionBox] = []
        self.scope.currentIndexChanged.connect(self.refresh)
        self.session.currentIndexChanged.connect(self.refresh)
        self.fiscal_year.fiscal_year_changed.connect(lambda _year: self.refresh())

    def show_context(self, club_id: uuid.UUID | None,
                     sessions: list[tuple[uuid.UUID, str, int]]) -> None:
        """The selected survey's club and sessions (id, label, 年度)."""
        self.club_id = club_id
        for widget in (self.session, self.scope, self.fiscal_year):
            widget.blockSignals(True)
        self.session.clear()
        for meeting_id, text, _year in sessions:
            self.session.addItem(text, meeting_id)
        if sessions:
            years = [year for _id, _text, year in sessions]
            self.fiscal_year.set_range(min(min(years), current_fiscal_year() - 6),
                                       max(max(years), current_fiscal_year()), sessions[0][2])
        for widget in (self.session, self.scope, self.fiscal_year):
            widget.blockSignals(False)
        self.refresh()

    def results(self) -> SurveyResults | None:
        """The results of the chosen scope (None: nothing to show)."""
        scope = self.scope.currentData()
        surveys = self._services.surveys
        if scope == SESSION:
            meeting_id = self.session.currentData()
            return surveys.meeting_results(meeting_id) if isinstance(
                meeting_id, uuid.UUID) else None
        start, end = fiscal_year_range(self.fiscal_year.fiscal_year)
        if scope == CLUB:
            if self.club_id is None:
                return None
            return surveys.period_results(start, end, FigureFilter(club_id=self.club_id))
        return surveys.period_results(start, end)

    def refresh(self) -> None:
        """Read the results again and show them."""
        session_scope = self.scope.currentData() == SESSION
        self.session.setVisible(session_scope)
        self.fiscal_year.setVisible(not session_scope)
        try:
            results = self.results()
        except KankeiError as exc:
            self.summary.setText(exc.message)
            return
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.boxes = []
        if results is None or not results.questions:
            self.summary.setText("")
            layout.addWidget(EmptyState(_(
                "No answers yet. Type paper sheets on the “Paper answers” tab or import an "
                "online form's export with [Import answers].")))
        else:
            rate = results.response_rate
            self.summary.setText(_(
                "Responses: {responses} · attendees of the surveyed sessions: {attendees} · "
                "response rate: {rate} · sessions: {sessions}").format(
                responses=results.responses, attendees=results.attendees,
                rate=percent(rate), sessions=results.sessions))
            for number, question in enumerate(results.questions, start=1):
                box = QuestionBox(self._services, number, question)
                self.boxes.append(box)
                layout.addWidget(box)
        layout.addStretch(1)
        self.area.setWidget(inner)
