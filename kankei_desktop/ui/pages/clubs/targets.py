"""A club's KPIs for one fiscal year beside what was achieved: the three attendance targets
typed in place (saved with the club) and every other KPI in a list (issue 17)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from PySide6.QtWidgets import QGridLayout, QLabel, QSpinBox, QWidget

from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.figures.kpi_actuals import achievement_rate
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import current_fiscal_year
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import KpiValues
from kankei_desktop.core.services.kpis import TARGET_MEASURES, format_rate
from kankei_desktop.ui.pages.kpis.kpi_list import KpiList
from kankei_desktop.ui.widgets.fiscal_year_combo import FiscalYearCombo

NO_TARGET = -1


def _spin() -> QSpinBox:
    box = QSpinBox()
    box.setRange(NO_TARGET, 1_000_000)
    box.setSpecialValueText(_("No target"))
    box.setValue(NO_TARGET)
    return box


class TargetsPanel(QWidget):
    """Targets (editable), actuals (from the figures) and 達成率 for the chosen fiscal year;
    the club's other KPIs below."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.club_id: uuid.UUID | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.fiscal_year = FiscalYearCombo()
        grid.addWidget(self.fiscal_year, 0, 0, 1, 4)
        grid.addWidget(QLabel(_("Target")), 1, 1)
        grid.addWidget(QLabel(_("Actual")), 1, 2)
        grid.addWidget(QLabel(_("Achievement")), 1, 3)
        self.meetings = _spin()
        self.person_times = _spin()
        self.unique_persons = _spin()
        self.actuals = [QLabel("—") for _index in range(3)]
        self.rates = [QLabel("—") for _index in range(3)]
        captions = (_("Sessions held"), _("Person-times"), _("Unique persons"))
        for row, (caption, box, actual, rate) in enumerate(
            zip(captions, (self.meetings, self.person_times, self.unique_persons),
                self.actuals, self.rates, strict=True), start=2):
            grid.addWidget(QLabel(caption), row, 0)
            grid.addWidget(box, row, 1)
            grid.addWidget(actual, row, 2)
            grid.addWidget(rate, row, 3)
        others = QLabel(_("Other KPIs (matchings, sessions of a kind, a survey score, a value "
                          "typed in …)"))
        others.setWordWrap(True)
        grid.addWidget(others, 5, 0, 1, 4)
        self.others = KpiList(services, skip=TARGET_MEASURES)
        grid.addWidget(self.others, 6, 0, 1, 4)
        self._loaded = KpiValues()
        self._numbers: list[int] = []
        self.fiscal_year.fiscal_year_changed.connect(lambda _fy: self.load(self.club_id))
        for box in (self.meetings, self.person_times, self.unique_persons):
            box.valueChanged.connect(lambda _value: self._show_rates())

    def values(self) -> KpiValues:
        """The targets in the form."""
        def value(box: QSpinBox) -> int | None:
            return None if box.value() == NO_TARGET else box.value()
        return KpiValues(value(self.meetings), value(self.person_times),
                         value(self.unique_persons), self._loaded.notes)

    def load(self, club_id: uuid.UUID | None) -> None:
        """Show targets and actuals of ``club_id`` for the selected year."""
        self.club_id = club_id
        fy = self.fiscal_year.fiscal_year if club_id else current_fiscal_year()
        targets = self._services.clubs.targets(club_id, fy) if club_id else []
        row = targets[0] if targets else None
        self._loaded = KpiValues(
            row.target_meetings, row.target_person_times, row.target_unique_persons, row.notes
        ) if row else KpiValues()
        for box, value in ((self.meetings, self._loaded.meetings),
                           (self.person_times, self._loaded.person_times),
                           (self.unique_persons, self._loaded.unique_persons)):
            box.blockSignals(True)
            box.setValue(NO_TARGET if value is None else value)
            box.blockSignals(False)
        self.others.load(fy, club_id)
        if club_id is None:
            self._numbers = []
            for actual in self.actuals:
                actual.setText("—")
            self._show_rates()
            return
        cell = self._services.figures.fiscal_year(fy, FigureFilter(club_id=club_id)).total
        self._numbers = [cell.meetings_held, cell.person_times, cell.unique_persons]
        for actual, number in zip(self.actuals, self._numbers, strict=True):
            actual.setText(f"{number:,}")
        self._show_rates()

    def _show_rates(self) -> None:
        targets = self.values()
        for index, (rate, target) in enumerate(zip(
                self.rates, (targets.meetings, targets.person_times, targets.unique_persons),
                strict=True)):
            actual = Decimal(self._numbers[index]) if self._numbers else None
            rate.setText(format_rate(achievement_rate(
                actual, Decimal(target) if target is not None else None)))

    def is_dirty(self) -> bool:
        """True when a target was changed."""
        return self.values() != self._loaded

    def save(self, club_id: uuid.UUID) -> None:
        """Save the targets when they changed (raises ValidationError)."""
        changed = self.values() != self._loaded or self.club_id != club_id
        if changed and (self.values() != KpiValues() or self._loaded != KpiValues()):
            self._services.clubs.set_targets(club_id, self.fiscal_year.fiscal_year,
                                             self.values())
        self.club_id = club_id
