"""ふるさと住民: per municipality and year, who is registered, each person's designated
activities (with the sessions behind the count), who qualifies for premium and why not,
whose renewal is near, the list export and the 活動実績証明書 (issue 20)."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from datetime import date

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.furusato.choices import PERIOD_NOUNS
from kankei_desktop.core.furusato.period import year_label, year_of
from kankei_desktop.core.furusato.status import PersonStatus, StatusReport
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.reports.certificate import certificate_title
from kankei_desktop.ui.pages.furusato.detail import PersonDetail
from kankei_desktop.ui.pages.furusato.dialogs import SettingsDialog
from kankei_desktop.ui.pages.furusato.documents import export_list, issue_certificates
from kankei_desktop.ui.pages.furusato.registrations import RegistrationsPanel
from kankei_desktop.ui.pages.furusato.status_model import (
    FILTER_LABELS,
    StatusFilter,
    StatusModel,
    matcher,
    summary_text,
)
from kankei_desktop.ui.widgets.empty_state import EmptyState
from kankei_desktop.ui.widgets.page_header import PageHeader
from kankei_desktop.ui.widgets.pickers import municipality_label, search_municipalities
from kankei_desktop.ui.widgets.record_picker import RecordPicker

YEARS_BACK = 4


class FurusatoPage(QWidget):
    """The ふるさと住民 page."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.report: StatusReport | None = None
        self.message = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = PageHeader(_("Furusato residents"))
        self.add_button = header.add_button(_("New registration…"),
                                            _("Record a person's registration"))
        self.import_button = header.add_button(
            _("Import…"), _("Import a registration list (.xlsx/.csv) or attendance"))
        self.export_button = header.add_button(_("Export…"),
                                               _("The list as Excel or CSV for the review"))
        self.certificate_button = header.add_button(
            _("Certificates…"), _("活動実績証明書 for everyone who qualifies for premium"))
        layout.addWidget(header)
        layout.addLayout(self._choices())
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.rules.setTextFormat(Qt.TextFormat.RichText)
        rules_row = QHBoxLayout()
        rules_row.setContentsMargins(16, 0, 16, 0)
        rules_row.addWidget(self.rules, 1)
        self.settings_button = QPushButton(_("Rules…"))
        self.settings_button.setToolTip(_("Change the rules' numbers kept in this file"))
        rules_row.addWidget(self.settings_button)
        layout.addLayout(rules_row)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setContentsMargins(16, 4, 16, 4)
        layout.addWidget(self.summary)
        self.empty = EmptyState(_(
            "No municipality yet. ふるさと住民 are shown per municipality: give a club its host "
            "municipality, mark its sessions as designated activities (担い手活動), or record "
            "or import registrations."))
        layout.addWidget(self.empty, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._status_tab(), _("Status"))
        self.registrations = RegistrationsPanel(services)
        self.tabs.addTab(self.registrations, _("Registrations"))
        layout.addWidget(self.tabs, 1)
        self.add_button.clicked.connect(lambda: self.registrations.add(self.selected_person()))
        self.import_button.clicked.connect(self.import_list)
        self.export_button.clicked.connect(self.export)
        self.certificate_button.clicked.connect(self.certificates_for_everyone)
        self.settings_button.clicked.connect(self.edit_settings)
        self.registrations.changed.connect(self.reload)
        self.refresh()

    # -- building ------------------------------------------------------------------------

    def _choices(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(16, 6, 16, 0)
        row.addWidget(QLabel(_("Municipality")))
        self.municipality = QComboBox()
        self.municipality.setMinimumWidth(220)
        self.municipality.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        row.addWidget(self.municipality)
        self.finder = RecordPicker(search_municipalities, _("Another municipality: type a "
                                                            "name"))
        self.finder.setMaximumWidth(240)
        self.finder.chosen.connect(self._on_found)
        row.addWidget(self.finder)
        row.addSpacing(16)
        self.year_caption = QLabel()
        row.addWidget(self.year_caption)
        self.year = QComboBox()
        self.year.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        row.addWidget(self.year)
        row.addSpacing(16)
        row.addWidget(QLabel(_("Show")))
        self.filter = QComboBox()
        for kind, caption in FILTER_LABELS.items():
            self.filter.addItem(_(caption), kind.value)
        row.addWidget(self.filter)
        row.addStretch(1)
        self.municipality.currentIndexChanged.connect(self.reload)
        self.year.currentIndexChanged.connect(self.reload)
        self.filter.currentIndexChanged.connect(self._apply_filter)
        return row

    def _status_tab(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = StatusModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selected)
        splitter.addWidget(self.table)
        self.detail = PersonDetail(self.services)
        self.detail.certificate_requested.connect(self.certificate_for_selected)
        self.detail.register_requested.connect(
            lambda: self.registrations.add(self.selected_person()))
        self.detail.session_opened.connect(self._open_session)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    # -- state ---------------------------------------------------------------------------

    def code(self) -> str | None:
        """The chosen municipality's code."""
        value = self.municipality.currentData()
        return str(value) if value else None

    def year_value(self) -> int:
        value = self.year.currentData()
        settings = self.services.furusato.settings()
        return int(value) if value is not None else year_of(date.today(), settings.period)

    def period(self) -> tuple[date, date]:
        """The period shown (the year as the settings count it)."""
        return self.services.furusato.year_range(self.year_value())

    def selected_person(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        person = self.model.person(rows[0].row()) if rows else None
        return person.person_id if person is not None else None

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the municipalities, the rules and the list (the page was shown)."""
        settings = self.services.furusato.settings()
        wanted_code = self.code()
        wanted_year = self.year.currentData()
        self.municipality.blockSignals(True)
        self.municipality.clear()
        for choice in self.services.furusato.municipalities():
            self.municipality.addItem(municipality_label(choice.name, choice.code), choice.code)
        if wanted_code and self.municipality.findData(wanted_code) < 0:
            self._add_code(wanted_code)
        if wanted_code:
            self.municipality.setCurrentIndex(max(0, self.municipality.findData(wanted_code)))
        self.municipality.blockSignals(False)
        self.year.blockSignals(True)
        self.year.clear()
        current = year_of(date.today(), settings.period)
        for year in range(current - YEARS_BACK, current + 2):
            self.year.addItem(year_label(year, settings.period), year)
        self.year.setCurrentIndex(self.year.findData(
            wanted_year if wanted_year is not None and self.year.findData(wanted_year) >= 0
            else current))
        self.year.blockSignals(False)
        self.year_caption.setText(_("Year") if settings.period != "fiscal_year"
                                  else _("Fiscal year"))
        self.rules.setText(_(
            "<b>Premium registration</b> (the file's rules): at least {minimum} designated "
            "activities (担い手活動) per {period}, not in the municipality of residence, at most "
            "{maximum} municipalities per person. Renewal notice {days} days ahead.").format(
                minimum=settings.minimum_activities, maximum=settings.maximum_premium,
                period=_(PERIOD_NOUNS[settings.period]), days=settings.notice_days))
        self.reload()

    def _add_code(self, code: str) -> None:
        try:
            scope = self.services.furusato.scope(code)
        except KankeiError:
            return
        self.municipality.addItem(municipality_label(scope.full_name, scope.code), scope.code)

    def _on_found(self, code: Hashable | None) -> None:
        if code is None:
            return
        index = self.municipality.findData(str(code))
        if index < 0:
            self._add_code(str(code))
            index = self.municipality.findData(str(code))
        self.finder.set_value(None)
        self.municipality.setCurrentIndex(index)

    def reload(self) -> None:
        """Read the status list of the chosen municipality and year."""
        code = self.code()
        has = code is not None
        self.empty.setVisible(not has)
        self.tabs.setVisible(has)
        for widget in (self.export_button, self.certificate_button, self.add_button):
            widget.setEnabled(has)
        if code is None:
            self.report = None
            self.summary.setText("")
            self.model.set_rows([], date.today(), 60)
            self.registrations.load(None, set())
            return
        selected = self.selected_person()
        try:
            self.report = self.services.furusato.status(code, *self.period())
        except KankeiError as exc:
            self.summary.setText(exc.message)
            return
        settings = self.report.settings
        self.summary.setText(summary_text(self.report, date.today(), settings.notice_days))
        scope = self.report.scope
        own = self.services.organizations.find_by_lgcode(scope.code)
        self.registrations.load((own.id, own.name) if own is not None else None,
                                set(scope.organization_ids))
        self._apply_filter(selected)

    def _apply_filter(self, keep: object = None) -> None:
        report = self.report
        if report is None:
            return
        kind = StatusFilter(self.filter.currentData() or StatusFilter.ALL.value)
        days = report.settings.notice_days
        test = matcher(kind, date.today(), days)
        self.model.set_rows([row for row in report.people if test(row)], date.today(), days)
        for column in range(self.model.columnCount() - 1):
            self.table.resizeColumnToContents(column)
        self.table.resizeRowsToContents()
        row = self.model.row_of(keep) if isinstance(keep, uuid.UUID) else -1
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._show_person(None)

    # -- the drill-down --------------------------------------------------------------------

    def _on_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show_person(self.model.person(rows[0].row()) if rows else None)

    def _show_person(self, person: PersonStatus | None) -> None:
        if person is None or self.report is None:
            self.detail.show_person(None)
            return
        self.detail.show_person(person, self.report.scope.code,
                                (self.report.period_start, self.report.period_end))

    def _open_session(self, meeting_id: object) -> None:
        from kankei_desktop.ui.pages.calendar.editor import SessionEditor

        if isinstance(meeting_id, uuid.UUID):
            editor = SessionEditor(self.services, meeting_id, parent=self)
            editor.finished.connect(lambda _result: self.reload())
            editor.open()

    # -- actions -------------------------------------------------------------------------

    def notify(self, text: str) -> None:
        """Show a short message (the last one is kept for tests)."""
        self.message = text
        self.summary.setToolTip(text)
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 8000)

    def import_list(self) -> None:
        """File ▸ Import… (a registration list is recognised by its headers)."""
        from kankei_desktop.ui.imports.dialog import ImportDialog

        dialog = ImportDialog(self.services, self)
        dialog.exec()
        if dialog.changed:
            self.refresh()

    def export(self) -> None:
        if self.report is not None:
            export_list(self, self.services, self.report, self.year_value(), self.notify)

    def certificate_for_selected(self) -> None:
        person = self.selected_person()
        if person is None or self.report is None:
            return
        row = self.report.person(person)
        name = row.name.replace(" ", "") if row is not None else ""
        issue_certificates(self, self.services, [person], self.report.scope.code,
                           self.period(), self.notify,
                           suggestion=f"{certificate_title()}_{self.report.scope.name}_{name}.pdf")

    def certificates_for_everyone(self) -> None:
        """Everyone who qualifies: one PDF or one file per person (asked)."""
        if self.report is None:
            return
        people = [row.person_id for row in self.report.people if row.eligible_premium]
        if not people:
            QMessageBox.information(self, _("Certificates"), _(
                "Nobody qualifies for premium registration in this period yet."))
            return
        box = QMessageBox(self)
        box.setWindowTitle(_("Certificates"))
        box.setText(_("{count} people qualify for premium registration. Write their "
                      "certificates as one PDF, or one file per person?").format(
                          count=len(people)))
        one = box.addButton(_("One PDF"), QMessageBox.ButtonRole.AcceptRole)
        each = box.addButton(_("One file per person"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() not in (one, each):
            return
        issue_certificates(self, self.services, people, self.report.scope.code,
                           self.period(), self.notify, per_person=box.clickedButton() is each)

    def edit_settings(self) -> None:
        if SettingsDialog(self.services, self).exec():
            self.refresh()

    def prepare_screenshot(self) -> None:
        """Show the first person's drill-down."""
        if self.model.rowCount():
            self.table.selectRow(0)


def furusato_page(services: Services, parent: QWidget | None = None) -> FurusatoPage:
    """The ふるさと住民 page."""
    return FurusatoPage(services, parent)
