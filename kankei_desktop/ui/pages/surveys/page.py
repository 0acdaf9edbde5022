"""The アンケート page: the questionnaires of sessions and clubs on the left; on the right
their questions, the paper answers typed back, and the results. The header's actions make a
new questionnaire from the templates, import an online form's answers and print the blank
form."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHeaderView,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import fiscal_year_of
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.surveys import SurveyRow
from kankei_desktop.core.storage.files import write_atomically
from kankei_desktop.reports.documents import ReportKind, ReportRequest, build_report
from kankei_desktop.ui.pages.surveys.editor import QuestionEditor
from kankei_desktop.ui.pages.surveys.entry import PaperEntry
from kankei_desktop.ui.pages.surveys.import_dialog import SurveyImportDialog
from kankei_desktop.ui.pages.surveys.new_dialog import NewSurveyDialog
from kankei_desktop.ui.pages.surveys.results import ResultsView
from kankei_desktop.ui.widgets.empty_state import EmptyState
from kankei_desktop.ui.widgets.page_header import PageHeader

SURVEY_ID = Qt.ItemDataRole.UserRole + 1
_ALL_TIME = (date(1900, 1, 1), date(2200, 12, 31))


class SurveysPage(QWidget):
    """Questionnaires, paper answers, online forms and results."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.rows: list[SurveyRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = PageHeader(_("Surveys"))
        self.new_button = header.add_button(
            _("New questionnaire…"), _("For a session or a club, from the templates"))
        self.import_button = header.add_button(
            _("Import answers…"), _("A Google Forms or Microsoft Forms export (.csv, .xlsx)"))
        self.print_button = header.add_button(
            _("Print blank form…"), _("The questionnaire as an A4 PDF to print"))
        self.delete_button = header.add_button(_("Delete questionnaire"))
        layout.addWidget(header)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.empty = EmptyState(_(
            "No questionnaires yet. Make one with [New questionnaire…] from the templates "
            "(satisfaction, what brought people, intention to return, impressions), or bring "
            "the answers of a Google or Microsoft form with [Import answers…]."))
        self.stack.addWidget(self.empty)
        splitter = QSplitter()
        self.list = QTreeWidget()
        self.list.setColumnCount(4)
        self.list.setHeaderLabels([_("Questionnaire"), _("For"), _("Questions"),
                                   _("Responses")])
        self.list.setRootIsDecorated(False)
        self.list.setMinimumWidth(300)
        self.list.setColumnWidth(0, 140)
        heading = self.list.header()
        heading.setStretchLastSection(False)
        heading.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3):
            heading.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        splitter.addWidget(self.list)
        self.tabs = QTabWidget()
        self.editor = QuestionEditor(services)
        self.entry = PaperEntry(services)
        self.results = ResultsView(services)
        # Each tab scrolls rather than making the window taller than a 1366×768 screen at 125 %.
        self.editor_tab = _scrolling(self.editor)
        self.entry_tab = _scrolling(self.entry)
        self.results_tab = _scrolling(self.results)
        self.tabs.addTab(self.editor_tab, _("Questions"))
        self.tabs.addTab(self.entry_tab, _("Paper answers"))
        self.tabs.addTab(self.results_tab, _("Results"))
        splitter.addWidget(self.tabs)
        splitter.setSizes([430, 850])
        self.stack.addWidget(splitter)
        self.list.currentItemChanged.connect(lambda *_args: self._on_selected())
        self.tabs.currentChanged.connect(self._on_tab)
        self.editor.changed.connect(self._after_edit)
        self.entry.saved.connect(self._count_again)
        self.new_button.clicked.connect(self.new_survey)
        self.import_button.clicked.connect(self.import_answers)
        self.print_button.clicked.connect(self.print_form)
        self.delete_button.clicked.connect(self.delete_survey)
        self.refresh()

    # -- the list --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the questionnaires again (the page was shown, something was saved)."""
        keep = self.current_id()
        self.rows = self.services.surveys.find()
        self.list.blockSignals(True)
        self.list.clear()
        for row in self.rows:
            target = (f"{row.meeting_date:%Y-%m-%d} {row.meeting_title}"
                      if row.meeting_id is not None and row.meeting_date is not None
                      else _("the whole club"))
            item = QTreeWidgetItem([row.title, f"{row.club_name}　{target}", str(row.questions),
                                   str(row.responses)])
            item.setData(0, SURVEY_ID, row.id)
            item.setToolTip(1, f"{row.club_name}　{target}")
            item.setToolTip(0, row.title)
            for column in (2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
        self.list.blockSignals(False)
        self.stack.setCurrentIndex(1 if self.rows else 0)
        self.select(keep if keep is not None else (self.rows[0].id if self.rows else None))
        for button in (self.print_button, self.delete_button):
            button.setEnabled(bool(self.rows))

    def select(self, survey_id: uuid.UUID | None) -> None:
        """Show the questionnaire ``survey_id``."""
        for index in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(index)
            if item is not None and item.data(0, SURVEY_ID) == survey_id:
                self.list.setCurrentItem(item)
                break
        self._on_selected()

    def current_id(self) -> uuid.UUID | None:
        item = self.list.currentItem()
        data = item.data(0, SURVEY_ID) if item is not None else None
        return data if isinstance(data, uuid.UUID) else None

    def current(self) -> SurveyRow | None:
        """The questionnaire shown."""
        survey_id = self.current_id()
        return next((row for row in self.rows if row.id == survey_id), None)

    def sessions_of(self, row: SurveyRow | None) -> list[tuple[uuid.UUID, str, int]]:
        """(id, label, 年度) of the sessions that use the questionnaire, newest first."""
        if row is None:
            return []
        if row.meeting_id is not None and row.meeting_date is not None:
            return [(row.meeting_id, f"{row.meeting_date:%Y-%m-%d}　{row.meeting_title}",
                     fiscal_year_of(row.meeting_date))]
        return [(meeting.id, f"{meeting.date:%Y-%m-%d}　{meeting.title}",
                 fiscal_year_of(meeting.date))
                for meeting in self.services.meetings.find(club_id=row.club_id,
                                                           newest_first=True)]

    def _on_selected(self) -> None:
        row = self.current()
        sessions = self.sessions_of(row)
        self.editor.show_survey(row.id if row is not None else None)
        self.entry.show_survey(row.id if row is not None else None,
                               [(meeting_id, text) for meeting_id, text, _year in sessions])
        self.results.show_context(row.club_id if row is not None else None, sessions)

    def _on_tab(self, index: int) -> None:
        if self.tabs.widget(index) is self.results_tab:
            self.results.refresh()
        elif self.tabs.widget(index) is self.entry_tab:
            self.entry.start()

    def _after_edit(self) -> None:
        self.refresh()

    def _count_again(self) -> None:
        survey_id = self.current_id()
        self.rows = self.services.surveys.find()
        row = next((item for item in self.rows if item.id == survey_id), None)
        current = self.list.currentItem()
        if row is not None and current is not None:
            current.setText(3, str(row.responses))

    # -- actions ---------------------------------------------------------------------------

    def _all_sessions(self) -> list[tuple[uuid.UUID, str]]:
        return [(meeting_id, f"{day:%Y-%m-%d}　{club}　{title}")
                for meeting_id, day, club, title in self.services.calendar.choices(*_ALL_TIME)]

    def new_survey(self) -> None:
        """新しいアンケート…"""
        clubs = [(club.id, club.name) for club in self.services.clubs.find()]
        dialog = NewSurveyDialog(self.services, self._all_sessions(), clubs, self)
        if dialog.exec() == NewSurveyDialog.DialogCode.Accepted and dialog.created is not None:
            self.refresh()
            self.select(dialog.created.id)

    def import_answers(self) -> None:
        """回答を取り込む… (onto a session of the questionnaire shown, or any session)."""
        row = self.current()
        sessions = [(meeting_id, text) for meeting_id, text, _year in self.sessions_of(row)] \
            or self._all_sessions()
        dialog = SurveyImportDialog(self.services, sessions, self.entry.meeting_id, self)
        dialog.exec()
        if dialog.changed:
            self.refresh()

    def print_form(self) -> None:
        """The blank questionnaire of the session chosen on the paper tab, as a PDF."""
        meeting_id = self.entry.meeting_id
        if meeting_id is None:
            QMessageBox.warning(self, _("Print blank form"), _(
                "The club has no sessions yet. Add a session in the calendar first."))
            return
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Print blank form"), str(Path.home() / "questionnaire.pdf"),
            _("PDF files (*.pdf)"))
        if chosen:
            self.save_form(meeting_id, Path(chosen))

    def save_form(self, meeting_id: uuid.UUID, path: Path) -> bool:
        """Write the blank questionnaire of ``meeting_id`` to ``path``."""
        try:
            built = build_report(self.services, ReportRequest(ReportKind.SURVEY_FORM.value,
                                                              meeting_id=meeting_id.hex))
            write_atomically(path, built.pdf)
        except KankeiError as exc:
            QMessageBox.warning(self, _("Print blank form"), exc.message)
            return False
        except OSError as exc:
            QMessageBox.warning(self, _("Print blank form"), _(
                "{path} could not be written ({detail}). Choose a place where you may write."
            ).format(path=path, detail=exc.strerror or exc))
            return False
        return True

    def delete_survey(self) -> None:
        """Delete the questionnaire shown (kept in the file; its answers stay)."""
        row = self.current()
        if row is None:
            return
        answer = QMessageBox.question(self, _("Delete questionnaire"), _(
            "Delete the questionnaire “{title}”? Its {count} responses stay in the file and "
            "come back if it is made again.").format(title=row.title, count=row.responses))
        if answer == QMessageBox.StandardButton.Yes:
            self.services.surveys.delete(row.id)
            self.refresh()

    # -- screenshots -----------------------------------------------------------------------

    def prepare_screenshot(self) -> None:
        """The questionnaire with the most responses."""
        self.refresh()
        if self.rows:
            self.select(max(self.rows, key=lambda row: row.responses).id)

    def screenshot_variants(self) -> Iterator[tuple[str, QWidget]]:
        """The paper answers and the results of the questionnaire shown."""
        if not self.rows:
            return
        self.tabs.setCurrentWidget(self.entry_tab)
        for index in range(self.entry.session.count()):  # a session with sheets typed
            self.entry.session.setCurrentIndex(index)
            if self.entry.model.saved_sheets:
                break
        yield "entry", self
        self.tabs.setCurrentWidget(self.results_tab)
        yield "results", self
        self.tabs.setCurrentWidget(self.editor_tab)


def surveys_page(services: Services, parent: QWidget | None = None) -> SurveysPage:
    """The アンケート page."""
    return SurveysPage(services, parent)


def _scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that gives it all the room there is."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area
