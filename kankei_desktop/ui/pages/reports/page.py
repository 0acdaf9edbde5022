"""報告書: build the municipal documents, preview them, save, print, export, mark submitted."""

from __future__ import annotations

import time
import uuid
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.i18n import N_, _, ngettext
from kankei_desktop.core.japan.fiscal import (
    current_fiscal_year,
    fiscal_year_months,
    fiscal_year_of,
    fiscal_year_range,
)
from kankei_desktop.core.japan.wareki import format_wareki_year_month
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.files import write_atomically
from kankei_desktop.reports.attendance import SheetKind
from kankei_desktop.reports.documents import BuiltReport, ReportKind, ReportRequest, build_report
from kankei_desktop.reports.excel import build_workbook
from kankei_desktop.reports.fonts import register_fonts
from kankei_desktop.reports.settings import (
    load_cover,
    load_texts,
    missing_fields,
    save_cover,
    save_texts,
)
from kankei_desktop.reports.submitted import (
    Drift,
    Submission,
    drift,
    mark_submitted,
    submissions,
    submitted_pdf,
)
from kankei_desktop.ui.pages.reports.cover_form import CoverForm, TextsForm
from kankei_desktop.ui.pages.reports.missing_dialog import Choice, MissingFieldsDialog
from kankei_desktop.ui.pages.reports.preview import PdfPreview
from kankei_desktop.ui.pages.reports.printing import preview_and_print
from kankei_desktop.ui.pages.reports.submit_dialog import SubmitDialog
from kankei_desktop.ui.pages.reports.submitted_list import SubmittedList
from kankei_desktop.ui.widgets.area_label import area_label
from kankei_desktop.ui.widgets.fiscal_year_combo import FiscalYearCombo
from kankei_desktop.ui.widgets.page_header import PageHeader
from kankei_desktop.ui.widgets.progress_dialog import run_with_progress
from kankei_desktop.ui.workers import Task

DOCUMENTS = (
    (ReportKind.ANNUAL, N_("Annual results report (実績報告書)")),
    (ReportKind.CLUB, N_("Club activity report")),
    (ReportKind.ATTENDANCE, N_("Attendance sheet (出席簿)")),
    (ReportKind.MONTH, N_("Monthly schedule (月間予定表)")),
    (ReportKind.SURVEY_FORM, N_("Blank questionnaire (アンケート用紙)")),
)
#: Documents of one session (the session picker shows).
SESSION_DOCUMENTS = (ReportKind.ATTENDANCE, ReportKind.SURVEY_FORM)


_fonts_warmed = [False]


class ReportsPage(QWidget):
    """Pick a document and its subject, fill the cover, preview, then save/print/submit."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._meetings_stale = True  # the session picker is filled on demand
        self.built: BuiltReport | None = None
        self._texts_year: int | None = None
        self._first_year = 0
        self._drift_task: Task[list[tuple[Submission, list[Drift]]]] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = PageHeader(_("Reports"))
        self.build_button = header.add_button(_("Build preview"),
                                              _("Build the document with the current figures"))
        self.save_button = header.add_button(_("Save as PDF…"))
        self.print_button = header.add_button(
            _("Print…"), _("Print preview with paper, copies, both sides and page range"))
        self.submit_button = header.add_button(
            _("Mark as submitted…"),
            _("Keep this PDF and its figures in the file as submitted"))
        self.excel_button = header.add_button(
            _("Export to Excel…"), _("The tables of the fiscal year as an Excel workbook"))
        layout.addWidget(header)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(splitter, 1)
        splitter.addWidget(self._left_panel())
        right = QSplitter(Qt.Orientation.Vertical)
        self.preview = PdfPreview()
        self.status = QLabel(_("Choose a document and press [Build preview]."))
        self.status.setWordWrap(True)
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.status)
        preview_layout.addWidget(self.preview, 1)
        right.addWidget(preview_box)
        self.submitted = SubmittedList()
        right.addWidget(self.submitted)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 800])
        self.build_button.clicked.connect(self.build_preview)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_pdf)
        self.submit_button.clicked.connect(self.ask_mark_submitted)
        self.excel_button.clicked.connect(self.export_excel)
        self.submitted.save_requested.connect(self._save_filed)
        self._set_built(None)
        self._load()

    # -- layout ---------------------------------------------------------------------------

    def _left_panel(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(380)
        inner = QWidget()
        column = QVBoxLayout(inner)
        choice = QGroupBox(_("Document"))
        self.choice_form = QFormLayout(choice)
        self.document = QComboBox()
        for kind, caption in DOCUMENTS:
            self.document.addItem(_(caption), kind.value)
        self.fiscal_year = FiscalYearCombo()
        self.last_year = FiscalYearCombo()
        self.last_year.setToolTip(_("The annual report covers the fiscal years from the one "
                                    "above to this one (令和3年度〜令和5年度)."))
        self.municipality = QComboBox()
        self.municipality.setToolTip(_("A prefecture includes the clubs of every municipality "
                                       "in it."))
        self.club = QComboBox()
        self.meeting = QComboBox()
        self.sheet = QComboBox()
        self.sheet.addItem(_("Automatic (record once held, else sign-in sheet)"), None)
        self.sheet.addItem(_("Sign-in sheet (before the session)"), SheetKind.SIGN_IN.value)
        self.sheet.addItem(_("Attendance record (after the session)"), SheetKind.RECORD.value)
        self.month = QComboBox()
        for caption, widget in ((_("Document"), self.document),
                                (_("Fiscal year"), self.fiscal_year),
                                (_("Through fiscal year"), self.last_year),
                                (_("Host municipality"), self.municipality),
                                (_("Club"), self.club), (_("Session"), self.meeting),
                                (_("Kind of sheet"), self.sheet),
                                (_("Month"), self.month)):
            self.choice_form.addRow(caption, widget)
        column.addWidget(choice)
        self.cover_form = CoverForm()
        column.addWidget(self.cover_form)
        self.texts_form = TextsForm()
        column.addWidget(self.texts_form)
        column.addStretch(1)
        scroll.setWidget(inner)
        self.document.currentIndexChanged.connect(self._update_visibility)
        self.fiscal_year.fiscal_year_changed.connect(self._on_year_changed)
        return scroll

    def _update_visibility(self) -> None:
        kind = self.kind
        rows = {self.fiscal_year: kind in (ReportKind.ANNUAL, ReportKind.CLUB,
                                           ReportKind.MONTH, *SESSION_DOCUMENTS),
                self.last_year: kind is ReportKind.ANNUAL,
                self.municipality: kind is ReportKind.ANNUAL,
                self.club: kind is ReportKind.CLUB,
                self.meeting: kind in SESSION_DOCUMENTS,
                self.sheet: kind is ReportKind.ATTENDANCE,
                self.month: kind is ReportKind.MONTH}
        for widget, visible in rows.items():
            self.choice_form.setRowVisible(widget, visible)
        self.texts_form.setVisible(kind is ReportKind.ANNUAL)
        if kind in SESSION_DOCUMENTS and self._meetings_stale:
            self._fill_meetings()

    @property
    def kind(self) -> ReportKind:
        return ReportKind(str(self.document.currentData()))

    # -- data -----------------------------------------------------------------------------

    def _load(self) -> None:
        """Fill the choices and show the cover and texts remembered in the file."""
        first = self.services.meetings.find(limit=1)
        last = self.services.meetings.find(limit=1, newest_first=True)
        earliest = fiscal_year_of(first[0].date) if first else current_fiscal_year()
        latest = fiscal_year_of(last[0].date) if last else current_fiscal_year()
        self.fiscal_year.set_range(earliest, max(latest, current_fiscal_year()),
                                   self.fiscal_year.fiscal_year)
        self.last_year.set_range(earliest, max(latest, current_fiscal_year()),
                                 self.fiscal_year.fiscal_year)
        self._first_year = self.fiscal_year.fiscal_year
        self._fill_choices()
        self.cover_form.set_cover(load_cover(self.services))
        self._load_texts(self.fiscal_year.fiscal_year)
        self._update_visibility()

    def refresh(self) -> None:
        """Called when the page is shown: new clubs/sessions, and drift of filed reports."""
        self._fill_choices()
        self.refresh_submitted()
        self._warm_up_fonts()

    def _warm_up_fonts(self) -> None:
        """Load the PDF fonts in the background while the user chooses a document, so the
        first preview is not slowed by reading them (≈ 0.25 s, more on an office PC)."""
        if _fonts_warmed[0]:
            return
        _fonts_warmed[0] = True

        def warm(_control: object) -> None:
            register_fonts()

        Task(warm).start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        """Remember what was typed on the cover and in the texts when leaving the page."""
        self.remember()
        super().hideEvent(event)

    def remember(self) -> None:
        """Store the cover fields and this year's texts in the file (when they changed)."""
        if self.services.database.read_only:  # another copy holds the file: nothing is saved
            return
        cover = self.cover_form.cover()
        if cover != load_cover(self.services):
            save_cover(self.services, cover)
        self._store_texts()

    def _fill_choices(self) -> None:
        year = self.fiscal_year.fiscal_year
        keep = self.municipality.currentData(), self.club.currentData(), \
            self.month.currentData()
        for combo in (self.municipality, self.club, self.month):
            combo.blockSignals(True)
            combo.clear()
        self.municipality.addItem(_("All municipalities"), None)
        clubs = self.services.clubs.find()
        for area in self.services.areas.hosting():
            if area.code:
                self.municipality.addItem(area_label(area), area.code)
        for club in clubs:
            self.club.addItem(club.name, club.id.hex)
        self._meetings_stale = True
        if self.kind in SESSION_DOCUMENTS:
            self._fill_meetings()
        for year_, month in fiscal_year_months(year):
            self.month.addItem(format_wareki_year_month(year_, month), f"{year_}-{month:02d}")
        for combo, value in zip((self.municipality, self.club, self.month), keep, strict=True):
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)
            combo.blockSignals(False)

    def _fill_meetings(self) -> None:
        """The session picker (documents of one session only): a busy year has thousands of
        sessions, so it is filled when that report is chosen, not on every page switch."""
        keep = self.meeting.currentData()
        self.meeting.blockSignals(True)
        self.meeting.clear()
        first_day, last_day = fiscal_year_range(self.fiscal_year.fiscal_year)
        for meeting_id, day, club_name, title in self.services.calendar.choices(first_day,
                                                                                last_day):
            self.meeting.addItem(f"{day.isoformat()}　{club_name}　{title}", meeting_id.hex)
        index = self.meeting.findData(keep)
        if index >= 0:
            self.meeting.setCurrentIndex(index)
        self.meeting.blockSignals(False)
        self._meetings_stale = False

    def _on_year_changed(self, year: int) -> None:
        # One year stays one year; a chosen span keeps its end unless it would end too early.
        if self.last_year.fiscal_year < year or self.last_year.fiscal_year == self._first_year:
            self.last_year.set_fiscal_year(year)
        self._first_year = year
        self._store_texts()
        self._fill_choices()
        self._load_texts(year)

    def _load_texts(self, year: int) -> None:
        self.texts_form.set_texts(load_texts(self.services, year))
        self._texts_year = year

    def _store_texts(self) -> None:
        if self._texts_year is not None:
            texts = self.texts_form.texts()
            if texts != load_texts(self.services, self._texts_year):
                save_texts(self.services, self._texts_year, texts)

    def request(self) -> ReportRequest:
        """What the choices on the left ask for."""
        kind = self.kind
        year = self.fiscal_year.fiscal_year
        if kind is ReportKind.ANNUAL:
            return ReportRequest.annual(self.annual_period(),
                                        self.municipality.currentData())
        if kind is ReportKind.CLUB:
            return ReportRequest(kind.value, fiscal_year=year, club_id=self.club.currentData())
        if kind is ReportKind.ATTENDANCE:
            return ReportRequest(kind.value, meeting_id=self.meeting.currentData(),
                                 sheet=self.sheet.currentData())
        if kind is ReportKind.SURVEY_FORM:
            return ReportRequest(kind.value, meeting_id=self.meeting.currentData())
        return ReportRequest(kind.value, month=self.month.currentData())

    def annual_period(self) -> Period:
        """The fiscal years of the annual report and the Excel export (one or several)."""
        first = self.fiscal_year.fiscal_year
        return Period.fiscal_years(first, max(first, self.last_year.fiscal_year))

    # -- actions --------------------------------------------------------------------------

    def build_preview(self) -> bool:
        """Remember the cover and texts, build the document off the GUI thread, show it."""
        if self.kind in SESSION_DOCUMENTS and self.meeting.currentData() is None:
            self._warn(_("There are no sessions in this fiscal year; choose another year."))
            return False
        if self.kind is ReportKind.CLUB and self.club.currentData() is None:
            self._warn(_("There are no clubs yet. Add a club first."))
            return False
        self.remember()
        draft = False
        if self.kind is ReportKind.ANNUAL:
            ready = self.complete_cover()
            if ready is None:
                return False
            draft = not ready
        cover = self.cover_form.cover()
        request = self.request()
        services = self.services
        outcome = run_with_progress(
            self, _("Reports"), _("Building the document…"),
            lambda _control: build_report(services, request, cover, draft=draft),
            cancellable=False)
        if outcome.error is not None or outcome.result is None:
            error = outcome.error
            self._warn(error.message if isinstance(error, KankeiError) else
                       _("The document could not be built ({detail}).").format(detail=error))
            return False
        self._set_built(outcome.result)
        self.preview.show_pdf(outcome.result.pdf)
        return True

    def complete_cover(self) -> bool | None:
        """Before an annual report: ask once for what its cover and texts lack.

        True when complete, False to build a draft, None when the user cancelled.
        """
        year = self.fiscal_year.fiscal_year
        cover, texts = self.cover_form.cover(), self.texts_form.texts()
        if not missing_fields(cover, texts, year):
            return True
        dialog = MissingFieldsDialog(cover, texts, year, self)
        choice = self.ask_missing(dialog)
        if choice is Choice.CANCEL:
            return None
        cover, texts = dialog.values()
        self.cover_form.set_cover(cover)
        self.texts_form.set_texts(texts)
        self.remember()
        if choice is Choice.DRAFT:
            return False
        still = missing_fields(cover, texts, year)
        if still:
            self._warn(_("Still not filled in: {fields}. Fill them in, or build a draft.")
                       .format(fields="、".join(still)))
            return None
        return True

    def ask_missing(self, dialog: MissingFieldsDialog) -> Choice:
        """Show ``dialog`` (a seam for tests); return the choice."""
        dialog.exec()
        return dialog.choice

    def prepare_screenshot(self) -> None:
        """For ``--screenshots``: the annual report of the latest year with a held session."""
        held = self.services.meetings.find(status="held", limit=1, newest_first=True)
        if not held:
            return
        self.document.setCurrentIndex(self.document.findData(ReportKind.ANNUAL.value))
        self.fiscal_year.set_fiscal_year(fiscal_year_of(held[0].date))
        self.last_year.set_fiscal_year(fiscal_year_of(held[0].date))
        try:
            cover = self.cover_form.cover()
            built = build_report(self.services, self.request(), cover, draft=bool(
                missing_fields(cover, self.texts_form.texts(), self.fiscal_year.fiscal_year)))
        except KankeiError as exc:
            self.status.setText(exc.message)
            return
        self._set_built(built)
        self.preview.show_pdf(built.pdf)

    def wait_until_idle(self, timeout_ms: int = 10_000) -> bool:
        """Background work done and the preview's first page painted (screenshots, tests)."""
        done = QThreadPool.globalInstance().waitForDone(timeout_ms)
        if self.built is not None:
            deadline = time.monotonic() + timeout_ms / 1000
            while not self.preview.shows_a_page() and time.monotonic() < deadline:
                QCoreApplication.processEvents()
                time.sleep(0.02)
            return done and self.preview.shows_a_page()
        return done

    def _set_built(self, built: BuiltReport | None) -> None:
        self.built = built
        for button in (self.save_button, self.print_button, self.submit_button):
            button.setEnabled(built is not None)
        if built is not None:
            text = ngettext("{title} — {pages} page", "{title} — {pages} pages",
                            built.page_count).format(title=built.title, pages=built.page_count)
            if built.draft:
                # A draft is never filed as submitted.
                self.submit_button.setEnabled(False)
                text += _("（draft: not for submission）")
            self.status.setText(text)

    def save_pdf(self) -> None:
        if self.built is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), f"{self.built.title}.pdf", _("PDF files (*.pdf)"))
        if name:
            self._write(Path(name), self.built.pdf)

    def _write(self, path: Path, data: bytes) -> bool:
        try:
            write_atomically(path, data)
        except OSError as exc:
            self._warn(_("{path} could not be written ({detail}). Choose a place where you "
                         "may write.").format(path=path, detail=exc.strerror or exc))
            return False
        self.status.setText(_("Saved {path}.").format(path=path))
        return True

    def print_pdf(self) -> None:
        """The print preview (page setup, then the print dialog: copies, duplex, range)."""
        if self.built is None:
            return
        pages = preview_and_print(self, self.built.pdf, self.built.title)
        if pages:
            self.status.setText(ngettext("Sent {pages} page to the printer.",
                                         "Sent {pages} pages to the printer.", pages).format(
                pages=pages))

    def export_excel(self) -> None:
        period = self.annual_period()
        years = period.whole_fiscal_years or (0, 0)
        suffix = str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export to Excel"), f"kankei-{suffix}.xlsx", _("Excel workbooks (*.xlsx)"))
        if not name:
            return
        code = self.municipality.currentData()
        services = self.services

        def job(_control: object) -> bytes:
            area = services.areas.by_code(code) if code else None
            return build_workbook(services, period, area)

        outcome = run_with_progress(self, _("Export to Excel"), _("Writing the tables…"), job,
                                    cancellable=False)
        if outcome.result is None:
            error = outcome.error
            self._warn(error.message if isinstance(error, KankeiError) else str(error))
            return
        self._write(Path(name), outcome.result)

    def ask_mark_submitted(self) -> None:
        if self.built is None:
            return
        cover = self.cover_form.cover()
        dialog = SubmitDialog(cover.addressee, cover.submitted_on, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            recipient, day = dialog.values()
            self.mark_submitted(recipient, day)

    def mark_submitted(self, recipient: str, day: date) -> uuid.UUID | None:
        """Keep the built PDF and its figures as submitted to ``recipient`` on ``day``."""
        if self.built is None:
            return None
        submission_id = mark_submitted(self.services, self.built, recipient, day)
        self.status.setText(_("Kept “{title}” as submitted to {recipient}.").format(
            title=self.built.title, recipient=recipient))
        self.refresh_submitted()
        return submission_id

    def refresh_submitted(self) -> None:
        """Compare each filed report with the current figures (off the GUI thread)."""
        services = self.services

        def job(_control: object) -> list[tuple[Submission, list[Drift]]]:
            return [(row, drift(services, row)) for row in submissions(services)]

        task: Task[list[tuple[Submission, list[Drift]]]] = Task(job)
        task.signals.finished.connect(self.submitted.set_rows)
        self._drift_task = task
        task.start()

    def _save_filed(self, submission: Submission) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the filed PDF"), f"{submission.title}（{submission.submitted_on}）.pdf",
            _("PDF files (*.pdf)"))
        if name:
            self._write(Path(name), submitted_pdf(self.services, submission.id))

    def _warn(self, message: str) -> None:
        self.status.setText(message)
        QMessageBox.warning(self, _("Reports"), message)


def reports_page(services: Services, parent: QWidget | None = None) -> ReportsPage:
    """The 報告書 page."""
    return ReportsPage(services, parent)
