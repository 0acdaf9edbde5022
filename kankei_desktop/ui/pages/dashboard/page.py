"""ダッシュボード: the fiscal year's figures (optionally of one tag), charts, next sessions and
the KPIs behind their targets."""

from __future__ import annotations

from datetime import date

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    QLocale,
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
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.figures.compute import Figures, FigureSet
from kankei_desktop.core.i18n import _, current_language
from kankei_desktop.core.japan.fiscal import current_fiscal_year, fiscal_year_range
from kankei_desktop.core.japan.formatting import format_clock, format_day
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import PersonCategory, label
from kankei_desktop.ui.pages.dashboard.breakdown import (
    DrilldownTables,
    breakdown,
    drilldown_tables,
)
from kankei_desktop.ui.pages.dashboard.cards import FigureCard
from kankei_desktop.ui.pages.dashboard.charts import BarChart
from kankei_desktop.ui.pages.dashboard.drilldown import DrilldownDialog
from kankei_desktop.ui.pages.dashboard.loading import DashboardData, load_dashboard
from kankei_desktop.ui.pages.kpis.kpi_list import kpi_texts
from kankei_desktop.ui.pages.kpis.programme import ProgrammeKpiDialog
from kankei_desktop.ui.widgets.empty_state import EmptyState
from kankei_desktop.ui.widgets.fiscal_year_combo import FiscalYearCombo
from kankei_desktop.ui.widgets.page_header import PageHeader
from kankei_desktop.ui.widgets.tags import TagFilter
from kankei_desktop.ui.workers import JobControl, Task

BUSY_DELAY_MS = 250
"""Show the busy state only for work that takes longer than this (no flicker)."""
BEHIND_SHOWN = 10
"""Clubs (and the programme) listed under 「目標に届いていない指標」, the furthest behind
first."""


def card_definitions() -> list[tuple[str, str, str]]:
    """``(key, caption, definition)`` of the five figure cards (core/figures/rule.py)."""
    return [
        ("meetings_held", _("Sessions held"),
         _("Sessions with the status 'held' in the fiscal year.")),
        ("online_rate", _("Online rate"),
         _("Held sessions that were online or hybrid, divided by all held sessions. Empty "
           "when nothing was held.")),
        ("person_times", _("Person-times (total attendances)"),
         _("Every 'attended' mark on a held session counts once: one person at three "
           "sessions counts three.")),
        ("unique_persons", _("Unique persons"),
         _("Different people among those attendances: one person at three sessions counts "
           "once.")),
        ("first_time_persons", _("First-time participants"),
         _("People whose first attended session ever falls in this fiscal year.")),
    ]


def month_label(month: int) -> str:
    """「4月」 in Japanese, "Apr" in English (Qt's locale data, no catalog needed)."""
    language = QLocale.Language.Japanese if current_language() == "ja" else QLocale.Language.English
    return QLocale(language).monthName(month, QLocale.FormatType.ShortFormat)


def format_rate(rate: float | None) -> str:
    """「87.5%」 or 「—」."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def card_text(total: FigureSet, key: str) -> str:
    """What a card shows for ``key``."""
    if key == "online_rate":
        return format_rate(total.online_rate)
    return f"{getattr(total, key):,}"


class DashboardPage(QWidget):
    """Figures for the chosen fiscal year, computed off the GUI thread."""

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
        self.fiscal_year = FiscalYearCombo()
        self.busy_label = QLabel()
        self.busy_label.setStyleSheet("color: #2e6f9e; font-weight: bold;")
        self.busy_label.setVisible(False)
        self.header.add_widget(self.busy_label)
        self.tag_filter = TagFilter()
        self.tag_filter.setToolTip(_("Figures of what carries one tag: tagged sessions or "
                                     "clubs, tagged people or organisations"))
        self.header.add_widget(self.tag_filter)
        self.kpi_button = self.header.add_button(
            _("KPIs…"), _("Set the whole programme's KPIs (a club's are on its page)"))
        self.kpi_button.clicked.connect(self.edit_programme_kpis)
        self.header.add_widget(QLabel(_("Fiscal year")))
        self.header.add_widget(self.fiscal_year)
        outer.addWidget(self.header)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 12, 16, 12)
        self._empty_text = _(
            "No sessions have been recorded as held in this fiscal year yet. Add clubs and "
            "their members, then record sessions and attendance: the figures appear here.")
        self.empty = EmptyState(self._empty_text)
        column.addWidget(self.empty)
        cards = QHBoxLayout()
        self.cards: dict[str, FigureCard] = {}
        for key, caption, definition in card_definitions():
            card = FigureCard(key, caption, definition)
            card.clicked.connect(self.open_card)
            cards.addWidget(card)
            self.cards[key] = card
        column.addLayout(cards)
        charts = QHBoxLayout()
        self.month_chart = BarChart(_("Person-times per month"))
        self.category_chart = BarChart(_("Person-times by category"), horizontal=True)
        self.month_chart.bar_clicked.connect(self.open_month)
        self.category_chart.bar_clicked.connect(self.open_category)
        charts.addWidget(self.month_chart, 3)
        charts.addWidget(self.category_chart, 2)
        column.addLayout(charts)
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
        QVBoxLayout(behind_box).addWidget(self.behind)
        lists.addWidget(upcoming_box, 0, 0)
        lists.addWidget(behind_box, 0, 1)
        column.addLayout(lists)
        column.addStretch(1)
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)
        self.fiscal_year.fiscal_year_changed.connect(lambda _fy: self.refresh())
        self.tag_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self._earliest = current_fiscal_year()
        self._categories = [category.value for category in PersonCategory]
        self.figures: Figures | None = None
        self._generation = 0
        self._drill_generation = 0
        self._loading = 0
        self._cursor_set = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setObjectName("dashboardBusyDelay")
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)

    def refresh(self) -> None:
        """Recompute everything for the selected fiscal year (in the background)."""
        self._generation += 1
        generation, services, fy = self._generation, self._services, self.fiscal_year.fiscal_year
        tag_id = self.tag_filter.tag_id()
        task: Task[DashboardData] = Task(lambda _control: load_dashboard(services, fy, tag_id))
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

    def _on_loaded(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return  # a newer request (another fiscal year) is on its way
        fy = data.fiscal_year
        self._earliest = data.earliest
        self.fiscal_year.set_range(data.earliest, current_fiscal_year() + 1, fy)
        self.tag_filter.set_tags(data.tags)
        figures = data.figures
        self.figures = figures
        for key, card in self.cards.items():
            card.set_value(card_text(figures.total, key))
        self.empty.setText(self._empty_text)
        self.empty.setVisible(figures.total.meetings_held == 0)
        months = list(figures.by_month)
        self.month_chart.set_data(
            [month_label(m) for _y, m in months],
            [figures.by_month[key].person_times for key in months],
            _("Click a bar to see the sessions and people of that month."))
        self.category_chart.set_data(
            [label(PersonCategory(c)) for c in self._categories],
            [figures.by_category.get(c, FigureSet()).person_times for c in self._categories],
            _("Click a bar to see the people of that category."))
        self._fill_upcoming(data)
        self._fill_behind(data)
        self.loaded.emit()

    def _fill_upcoming(self, data: DashboardData) -> None:
        clubs = data.club_names
        lines = [
            f"{format_day(m.date)}  {format_clock(m.start_time)}  "
            f"{clubs.get(m.club_id, '')} — {m.title}"
            for m in data.upcoming
        ]
        self.upcoming.setText("\n".join(lines) or _("No sessions are planned."))

    def _fill_behind(self, data: DashboardData) -> None:
        """The scopes (clubs, the programme) furthest behind their KPI targets first, at most
        :data:`BEHIND_SHOWN`: actual/target and 達成率 of each KPI behind."""
        start, end = fiscal_year_range(data.fiscal_year)
        today = date.today()
        # Share of the year gone by: a KPI is behind when below that share of its target.
        elapsed = 1.0 if today > end else max(0.0, (today - start).days / (end - start).days)
        gaps: dict[str, list[str]] = {}
        worst: dict[str, float] = {}
        for result in data.kpis:
            if result.target is None or result.actual is None or result.target <= 0:
                continue  # nothing to compare (no target, or no survey score yet)
            expected = float(result.target) * elapsed
            got = float(result.actual)
            if got >= expected:
                continue
            scope = result.club_name or _("Whole programme")
            target, actual, rate = kpi_texts(result)
            gaps.setdefault(scope, []).append(_("{what} {got}/{wanted} ({rate})").format(
                what=result.name, got=actual, wanted=target, rate=rate))
            worst[scope] = min(worst.get(scope, 1.0), got / expected if expected else 0.0)
        behind = sorted(gaps, key=lambda scope: (worst[scope], scope))
        lines = [f"{scope}: " + "、".join(gaps[scope]) for scope in behind[:BEHIND_SHOWN]]
        if len(behind) > BEHIND_SHOWN:
            lines.append(_("… and {count} more clubs behind their targets.").format(
                count=len(behind) - BEHIND_SHOWN))
        self.behind.setText("\n".join(lines) or _("No KPI is behind its target."))

    def edit_programme_kpis(self) -> None:
        """The whole programme's KPIs of the year shown (refreshed after)."""
        dialog = ProgrammeKpiDialog(self._services, self.fiscal_year.fiscal_year,
                                    self._earliest, parent=self)
        dialog.exec()
        self.refresh()

    # -- drill-down ------------------------------------------------------------------------

    def _dialog(self, title: str, explanation: str, date_from: date, date_to: date,
                category: str | None = None, first_time_only: bool = False,
                online_only: bool = False) -> Task[DrilldownTables]:
        """Collect the rows in the background, then open the dialog (see :attr:`drilled`)."""
        self._drill_generation += 1
        generation, services = self._drill_generation, self._services

        tag_id = self.tag_filter.tag_id()

        def collect(_control: JobControl) -> DrilldownTables:
            data = breakdown(services, date_from, date_to, category, tag_id)
            return drilldown_tables(data, online_only=online_only,
                                    first_time_only=first_time_only)

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

    def open_card(self, key: str) -> Task[DrilldownTables]:
        """The sessions and people behind a card."""
        fy = self.fiscal_year.fiscal_year
        start, end = fiscal_year_range(fy)
        caption, definition = next((c, d) for k, c, d in card_definitions() if k == key)
        return self._dialog(caption, definition, start, end,
                            first_time_only=key == "first_time_persons",
                            online_only=key == "online_rate")

    def open_month(self, index: int) -> Task[DrilldownTables] | None:
        """The sessions and people of one month."""
        if self.figures is None or not 0 <= index < len(self.figures.by_month):
            return None
        year, month = list(self.figures.by_month)[index]
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
        return self._dialog(
            _("Person-times in {month}").format(month=f"{year}-{month:02d}"),
            _("Held sessions of the month and the people who attended them."),
            start, date.fromordinal(end))

    def open_category(self, index: int) -> Task[DrilldownTables] | None:
        """The people of one category in the fiscal year."""
        if not 0 <= index < len(self._categories):
            return None
        start, end = fiscal_year_range(self.fiscal_year.fiscal_year)
        category = self._categories[index]
        return self._dialog(
            label(PersonCategory(category)),
            _("People of this category who attended held sessions in the fiscal year."),
            start, end, category=category)
