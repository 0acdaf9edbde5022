"""ダッシュボード: the fiscal year's figures, charts, next sessions and lagging clubs."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.figures import FigureSet
from kankei_desktop.core.fiscal import current_fiscal_year, fiscal_year_of, fiscal_year_range
from kankei_desktop.core.i18n import _, current_language
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import MeetingStatus, PersonCategory, label
from kankei_desktop.ui.pages.dashboard.breakdown import breakdown
from kankei_desktop.ui.pages.dashboard.cards import FigureCard
from kankei_desktop.ui.pages.dashboard.charts import BarChart
from kankei_desktop.ui.pages.dashboard.drilldown import DrilldownDialog
from kankei_desktop.ui.widgets.empty_state import EmptyState
from kankei_desktop.ui.widgets.fiscal_year_combo import FiscalYearCombo
from kankei_desktop.ui.widgets.page_header import PageHeader


def card_definitions() -> list[tuple[str, str, str]]:
    """``(key, caption, definition)`` of the five figure cards (DESIGN.md, Figures)."""
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
    """Figures for the chosen fiscal year."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = PageHeader(_("Dashboard"))
        self.fiscal_year = FiscalYearCombo()
        self.header.add_widget(QLabel(_("Fiscal year")))
        self.header.add_widget(self.fiscal_year)
        outer.addWidget(self.header)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 12, 16, 12)
        self.empty = EmptyState(_(
            "No sessions have been recorded as held in this fiscal year yet. Add clubs and "
            "their members, then record sessions and attendance: the figures appear here."))
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
        behind_box = QGroupBox(_("Clubs behind their KPI targets"))
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
        self._categories = [category.value for category in PersonCategory]
        self.figures = None

    def refresh(self) -> None:
        """Recompute everything for the selected fiscal year."""
        services = self._services
        first = services.meetings.list(limit=1)
        earliest = fiscal_year_of(first[0].date) if first else current_fiscal_year()
        selected = self.fiscal_year.fiscal_year
        self.fiscal_year.set_range(earliest, current_fiscal_year() + 1, selected)
        fy = self.fiscal_year.fiscal_year
        figures = services.figures.fiscal_year(fy)
        self.figures = figures
        for key, card in self.cards.items():
            card.set_value(card_text(figures.total, key))
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
        self._fill_upcoming()
        self._fill_behind(fy, figures)

    def _fill_upcoming(self) -> None:
        meetings = self._services.meetings.list(
            date_from=date.today(), status=MeetingStatus.PLANNED.value, limit=10)
        clubs = self._services.clubs.names({m.club_id for m in meetings})
        lines = [
            f"{m.date.isoformat()}  {m.start_time.strftime('%H:%M') if m.start_time else ''}  "
            f"{clubs.get(m.club_id, '')} — {m.title}"
            for m in meetings
        ]
        self.upcoming.setText("\n".join(lines) or _("No sessions are planned."))

    def _fill_behind(self, fy: int, figures) -> None:  # type: ignore[no-untyped-def]
        start, end = fiscal_year_range(fy)
        today = date.today()
        # Share of the year gone by: a club is behind when it is below that share of its target.
        elapsed = 1.0 if today > end else max(0.0, (today - start).days / (end - start).days)
        targets = self._services.clubs.targets(fiscal_year=fy)
        names = self._services.clubs.names({t.club_id for t in targets})
        lines = []
        for target in targets:
            actual = figures.by_club.get(target.club_id, FigureSet())
            gaps = []
            for caption, wanted, got in (
                (_("sessions"), target.target_meetings, actual.meetings_held),
                (_("person-times"), target.target_person_times, actual.person_times),
                (_("unique persons"), target.target_unique_persons, actual.unique_persons),
            ):
                if wanted and got < wanted * elapsed:
                    gaps.append(_("{what} {got}/{wanted}").format(
                        what=caption, got=got, wanted=wanted))
            if gaps and target.club_id in names:
                lines.append(f"{names[target.club_id]}: " + "、".join(gaps))
        self.behind.setText("\n".join(lines) or _("No club is behind its targets."))

    # -- drill-down ------------------------------------------------------------------------

    def _dialog(self, title: str, explanation: str, date_from: date, date_to: date,
                category: str | None = None, first_time_only: bool = False,
                online_only: bool = False) -> DrilldownDialog:
        data = breakdown(self._services, date_from, date_to, category)
        dialog = DrilldownDialog(
            self._services, title, explanation, data,
            meetings=data.online_meetings if online_only else None,
            first_time_only=first_time_only, parent=self)
        dialog.open()
        return dialog

    def open_card(self, key: str) -> DrilldownDialog:
        """The sessions and people behind a card."""
        fy = self.fiscal_year.fiscal_year
        start, end = fiscal_year_range(fy)
        caption, definition = next((c, d) for k, c, d in card_definitions() if k == key)
        return self._dialog(caption, definition, start, end,
                            first_time_only=key == "first_time_persons",
                            online_only=key == "online_rate")

    def open_month(self, index: int) -> DrilldownDialog | None:
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

    def open_category(self, index: int) -> DrilldownDialog | None:
        """The people of one category in the fiscal year."""
        if not 0 <= index < len(self._categories):
            return None
        start, end = fiscal_year_range(self.fiscal_year.fiscal_year)
        category = self._categories[index]
        return self._dialog(
            label(PersonCategory(category)),
            _("People of this category who attended held sessions in the fiscal year."),
            start, end, category=category)
