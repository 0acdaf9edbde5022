"""ダッシュボード: the figures of a period, scope and tag, charts, next sessions and the KPIs
behind their targets.

The period is one 年度, several (令和3〜5年度) or any dates; the scope the whole programme, a
prefecture (with every municipality in it), a municipality or a club; a tag narrows it to what
carries the tag. Each card compares with the period of the same length just before (前年度比).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.figures.compute import Figures, FigureSet
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.figures.scope import FigureFilter
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import current_fiscal_year
from kankei_desktop.core.japan.formatting import format_clock, format_day
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import MeetingKind, PersonCategory, label
from kankei_desktop.ui.pages.dashboard.behind import behind_lines
from kankei_desktop.ui.pages.dashboard.breakdown import (
    DrilldownTables,
    breakdown,
    drilldown_tables,
    organisation_rows,
)
from kankei_desktop.ui.pages.dashboard.cards import FigureCard
from kankei_desktop.ui.pages.dashboard.charts import BarChart
from kankei_desktop.ui.pages.dashboard.drilldown import DrilldownDialog
from kankei_desktop.ui.pages.dashboard.figures_text import (
    card_definitions,
    card_text,
    comparison,
    format_rate,
    month_label,
    year_label,
)
from kankei_desktop.ui.pages.dashboard.loading import DashboardData, load_dashboard
from kankei_desktop.ui.pages.kpis.programme import ProgrammeKpiDialog
from kankei_desktop.ui.widgets.empty_state import EmptyState
from kankei_desktop.ui.widgets.page_header import PageHeader
from kankei_desktop.ui.widgets.period_chooser import PeriodChooser
from kankei_desktop.ui.widgets.scope_combo import ScopeCombo
from kankei_desktop.ui.widgets.tags import TagFilter
from kankei_desktop.ui.workers import JobControl, Task

__all__ = ["BEHIND_SHOWN", "DashboardPage", "card_definitions", "card_text", "format_rate",
           "month_label"]

BUSY_DELAY_MS = 250
"""Show the busy state only for work that takes longer than this (no flicker)."""
BEHIND_SHOWN = 10
"""Clubs (and the programme) listed under 「目標に届いていない指標」, the furthest behind
first."""
MONTHS_SHOWN = 13
"""A period of more months is charted per 年度."""
SHORT_YEARS = 4
"""More 年度 than this are labelled 「令和3」 instead of 「令和3年度」."""


class DashboardPage(QWidget):
    """Figures for the chosen period and scope, computed off the GUI thread."""

    loaded = Signal()
    """New figures are on screen."""
    drilled = Signal(object)
    """A drill-down dialog opened (the dialog)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = PageHeader(_("Dashboard"))
        self.period_chooser = PeriodChooser()
        #: The 年度 shown when one is chosen (the chooser's first year).
        self.fiscal_year = self.period_chooser.first_year
        self.scope = ScopeCombo()
        self.busy_label = QLabel()
        self.busy_label.setStyleSheet("color: #2e6f9e; font-weight: bold;")
        self.busy_label.setVisible(False)
        self.header.add_widget(self.busy_label)
        self.header.add_widget(self.period_chooser)
        self.header.add_widget(self.scope)
        self.tag_filter = TagFilter()
        self.tag_filter.setToolTip(_("Figures of what carries one tag: tagged sessions or "
                                     "clubs, tagged people or organisations"))
        self.header.add_widget(self.tag_filter)
        outer.addWidget(self.header)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 12, 16, 12)
        self.empty = EmptyState(self._empty_text(self.period_chooser.period()))
        column.addWidget(self.empty)
        cards = QHBoxLayout()
        self.cards: dict[str, FigureCard] = {}
        for key, caption, definition in card_definitions():
            card = FigureCard(key, caption, definition)
            card.clicked.connect(self.open_card)
            cards.addWidget(card)
            self.cards[key] = card
        column.addLayout(cards)
        charts = QGridLayout()
        self.month_chart = BarChart(_("Person-times per month"))
        self.category_chart = BarChart(_("Person-times by category"), horizontal=True)
        self.kind_chart = BarChart(_("Sessions held by kind"), horizontal=True)
        self.month_chart.bar_clicked.connect(self.open_month)
        self.category_chart.bar_clicked.connect(self.open_category)
        charts.addWidget(self.month_chart, 0, 0)
        charts.addWidget(self.category_chart, 0, 1)
        charts.addWidget(self.kind_chart, 0, 2)
        for index, stretch in enumerate((5, 3, 4)):  # the kinds have the longest labels
            charts.setColumnStretch(index, stretch)
        column.addLayout(charts, 1)  # the charts give way first when the window is small
        lists = QGridLayout()
        upcoming_box = QGroupBox(_("Next planned sessions"))
        self.upcoming = QLabel()
        self.upcoming.setWordWrap(True)
        QVBoxLayout(upcoming_box).addWidget(self.upcoming)
        behind_box = QGroupBox(_("KPIs behind their targets"))
        self.behind = QLabel()
        self.behind.setWordWrap(True)
        self.behind.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.upcoming.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        behind_layout = QHBoxLayout(behind_box)
        behind_layout.addWidget(self.behind, 1)
        # Beside the KPIs it sets (the header has no room left at 1366×768 and 125 %), to
        # their right: the panel grows no taller for it.
        self.kpi_button = QPushButton(_("KPIs…"))
        self.kpi_button.setToolTip(_("Set the whole programme's KPIs (a club's are on its "
                                     "page)"))
        self.kpi_button.clicked.connect(self.edit_programme_kpis)
        behind_layout.addWidget(self.kpi_button, 0, Qt.AlignmentFlag.AlignTop)
        lists.addWidget(upcoming_box, 0, 0)
        lists.addWidget(behind_box, 0, 1)
        for index in range(2):
            lists.setColumnStretch(index, 1)
        column.addLayout(lists)
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)
        self.period_chooser.period_changed.connect(lambda _period: self.refresh())
        self.scope.scope_changed.connect(lambda _scope: self.refresh())
        self.tag_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self._categories = [category.value for category in PersonCategory]
        self.figures: Figures | None = None
        self.data: DashboardData | None = None
        self._by_year = False
        self._generation = 0
        self._drill_generation = 0
        self._loading = 0
        self._cursor_set = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setObjectName("dashboardBusyDelay")
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)

    # -- the chosen period and scope -------------------------------------------------------

    @property
    def period(self) -> Period:
        """The period chosen."""
        return self.period_chooser.period()

    @property
    def figure_filter(self) -> FigureFilter:
        """The scope and the tag chosen."""
        return replace(self.scope.figure_filter(), tag_id=self.tag_filter.tag_id())

    def show_period(self, period: Period, figure_filter: FigureFilter | None = None) -> None:
        """Choose ``period`` (and a scope offered in the scope list), then recount."""
        if figure_filter is not None:
            self.scope.blockSignals(True)
            self.scope.choose(figure_filter)
            self.scope.blockSignals(False)
        self.period_chooser.set_period(period)

    def refresh(self) -> None:
        """Recompute everything for the chosen period and scope (in the background)."""
        self._generation += 1
        generation, services = self._generation, self._services
        period, scope = self.period, self.figure_filter
        task: Task[DashboardData] = Task(lambda _control: load_dashboard(services, period,
                                                                         scope))
        task.signals.finished.connect(lambda data: self._on_loaded(generation, data))
        task.signals.failed.connect(lambda exc: self._on_failed(generation, exc))
        self._loading += 1
        task.signals.done.connect(self._on_task_done)
        self._busy_timer.start()
        task.start()

    @property
    def busy(self) -> bool:
        """True while figures or a drill-down are being computed."""
        return self._loading > 0

    def wait_until_idle(self, timeout_ms: int = 30_000) -> bool:
        """Process events until nothing is computing (tests, screenshots, benchmarks)."""
        deadline = QDeadlineTimer(timeout_ms)
        while self.busy and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            QThreadPool.globalInstance().waitForDone(10)
        return not self.busy

    def _on_task_done(self) -> None:
        self._loading -= 1
        if not self.busy:
            self._busy_timer.stop()
            self.busy_label.setVisible(False)
            if self._cursor_set:
                QApplication.restoreOverrideCursor()
                self._cursor_set = False

    def _show_busy(self) -> None:
        if self.busy:
            self.busy_label.setText(_("Calculating…"))
            self.busy_label.setVisible(True)
            if not self._cursor_set:
                QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
                self._cursor_set = True

    def _on_failed(self, generation: int, exc: object) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, KankeiError):
            self.empty.setText(exc.message)
            self.empty.setVisible(True)
            return
        raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))

    @staticmethod
    def _empty_text(period: Period) -> str:
        if period.single_fiscal_year is not None:
            return _("No sessions have been recorded as held in this fiscal year yet. Add "
                     "clubs and their members, then record sessions and attendance: the "
                     "figures appear here.")
        return _("No sessions have been recorded as held in this period. Choose another "
                 "period or scope, or record sessions and attendance: the figures appear "
                 "here.")

    def _on_loaded(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return  # a newer request (another period or scope) is on its way
        self.data = data
        self.period_chooser.blockSignals(True)
        self.period_chooser.set_year_range(data.earliest, data.latest)
        self.period_chooser.blockSignals(False)
        self.scope.set_choices(data.areas, data.clubs)
        self.tag_filter.blockSignals(True)
        self.tag_filter.set_tags(data.tags)
        self.tag_filter.blockSignals(False)
        figures = data.figures
        self.figures = figures
        for key, card in self.cards.items():
            card.set_value(card_text(figures.total, key))
            card.set_comparison(*comparison(figures.total, data.previous.total, key,
                                            data.period))
        self.empty.setText(self._empty_text(data.period))
        self.empty.setVisible(figures.total.meetings_held == 0)
        self._fill_time_chart(figures)
        self.category_chart.set_data(
            [label(PersonCategory(c)) for c in self._categories],
            [figures.by_category.get(c, FigureSet()).person_times for c in self._categories],
            _("Click a bar to see the people of that category."))
        kinds = [kind.value for kind in MeetingKind]
        self.kind_chart.set_data(
            [label(MeetingKind(kind)) for kind in kinds],
            [figures.by_kind.get(kind, FigureSet()).meetings_held for kind in kinds],
            _("Sessions held per kind of session (説明会・講座, 現地訪問 …)."))
        self._fill_upcoming(data)
        self._fill_behind(data)
        self.loaded.emit()

    def _fill_time_chart(self, figures: Figures) -> None:
        """Person-times per month, or per 年度 for a long period."""
        self._by_year = len(figures.by_month) > MONTHS_SHOWN
        if self._by_year:
            self.month_chart.set_title(_("Person-times per fiscal year"))
            short = len(figures.by_fiscal_year) > SHORT_YEARS
            self.month_chart.set_data(
                [year_label(year, short=short) for year in figures.by_fiscal_year],
                [cell.person_times for cell in figures.by_fiscal_year.values()],
                _("Click a bar to see the sessions and people of that fiscal year."))
            return
        self.month_chart.set_title(_("Person-times per month"))
        months = list(figures.by_month)
        self.month_chart.set_data(
            [month_label(m) for _y, m in months],
            [figures.by_month[key].person_times for key in months],
            _("Click a bar to see the sessions and people of that month."))

    def _fill_upcoming(self, data: DashboardData) -> None:
        clubs = data.club_names
        lines = [
            f"{format_day(m.date)}  {format_clock(m.start_time)}  "
            f"{clubs.get(m.club_id, '')} — {m.title}"
            for m in data.upcoming
        ]
        self.upcoming.setText("\n".join(lines) or _("No sessions are planned."))

    def _fill_behind(self, data: DashboardData) -> None:
        """The KPIs furthest behind their targets first, at most :data:`BEHIND_SHOWN`."""
        if data.fiscal_year is None:
            self.behind.setText(_("Choose one fiscal year to compare the KPIs with their "
                                  "targets."))
            return
        lines = behind_lines(data, date.today(), BEHIND_SHOWN)
        self.behind.setText("\n".join(lines) or _("No KPI is behind its target."))

    def edit_programme_kpis(self) -> None:
        """The whole programme's KPIs of the 年度 shown (refreshed after)."""
        year = self.period.single_fiscal_year or current_fiscal_year()
        earliest = self.data.earliest if self.data is not None else year
        dialog = ProgrammeKpiDialog(self._services, year, min(earliest, year), parent=self)
        dialog.exec()
        self.refresh()

    # -- drill-down ------------------------------------------------------------------------

    def _dialog(self, title: str, explanation: str, date_from: date, date_to: date,
                category: str | None = None, first_time_only: bool = False,
                online_only: bool = False, organisations: bool = False
                ) -> Task[DrilldownTables]:
        """Collect the rows in the background, then open the dialog (see :attr:`drilled`)."""
        self._drill_generation += 1
        generation, services, scope = self._drill_generation, self._services, self.figure_filter
        figures = self.figures



        def collect(_control: JobControl) -> DrilldownTables:
            data = breakdown(services, date_from, date_to, category, scope)
            tables = drilldown_tables(data, online_only=online_only,
                                      first_time_only=first_time_only)
            if organisations and figures is not None:
                tables.organisation_rows = organisation_rows(services, figures)
            return tables

        task: Task[DrilldownTables] = Task(collect)

        def opened(tables: DrilldownTables) -> None:
            if generation != self._drill_generation or not shiboken6.isValid(self):
                return
            dialog = DrilldownDialog(title, explanation, tables, parent=self)
            dialog.open()
            self.drilled.emit(dialog)

        task.signals.finished.connect(opened)
        task.signals.failed.connect(lambda exc: self._on_failed(self._generation, exc))
        self._loading += 1
        task.signals.done.connect(self._on_task_done)
        self._busy_timer.start()
        return task.start()

    def _shown_period(self) -> Period:
        """The period of the figures on screen (or the one chosen, before any arrived)."""
        return self.figures.period if self.figures is not None else self.period

    def open_card(self, key: str) -> Task[DrilldownTables]:
        """The sessions and people (and organisations) behind a card."""
        period = self._shown_period()
        caption, definition = next((c, d) for k, c, d in card_definitions() if k == key)
        return self._dialog(caption, definition, period.start, period.end,
                            first_time_only=key == "first_time_persons",
                            online_only=key == "online_rate",
                            organisations=key == "organizations")

    def open_month(self, index: int) -> Task[DrilldownTables] | None:
        """The sessions and people of one month (or one 年度, for a long period)."""
        if self.figures is None:
            return None
        period = self.figures.period
        if self._by_year:
            years = list(self.figures.by_fiscal_year)
            if not 0 <= index < len(years):
                return None
            chosen = Period.fiscal_year(years[index])
            return self._dialog(
                _("Person-times in {period}").format(period=chosen.label()),
                _("Held sessions of the fiscal year and the people who attended them."),
                max(period.start, chosen.start), min(period.end, chosen.end))
        if not 0 <= index < len(self.figures.by_month):
            return None
        year, month = list(self.figures.by_month)[index]
        start = date(year, month, 1)
        end = date.fromordinal(date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1)
        return self._dialog(
            _("Person-times in {month}").format(month=f"{year}-{month:02d}"),
            _("Held sessions of the month and the people who attended them."),
            max(period.start, start), min(period.end, end))

    def open_category(self, index: int) -> Task[DrilldownTables] | None:
        """The people of one category in the period."""
        if not 0 <= index < len(self._categories):
            return None
        period = self._shown_period()
        category = self._categories[index]
        return self._dialog(
            label(PersonCategory(category)),
            _("People of this category who attended held sessions in the period."),
            period.start, period.end, category=category)

    # -- screenshots -----------------------------------------------------------------------

    def screenshot_variants(self) -> Iterator[tuple[str, QWidget]]:
        """For ``--screenshots``: the dashboard over three 年度 (令和3〜5年度 while the file
        reaches back that far), then over every year for the first prefecture on offer."""
        data = self.data
        if data is None:
            return
        first = max(data.earliest, current_fiscal_year() - 5)
        self.show_period(Period.fiscal_years(first, first + 2))
        self.wait_until_idle()
        yield "years", self
        prefecture = next((area for area in data.areas if area.is_prefecture), None)
        if prefecture is not None:
            self.show_period(Period.fiscal_years(data.earliest, current_fiscal_year()),
                             prefecture.figure_filter)
            self.wait_until_idle()
            yield "prefecture", self
