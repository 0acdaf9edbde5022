"""A club's KPI targets for one fiscal year, beside what was achieved."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QGridLayout, QLabel, QSpinBox, QWidget

from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import current_fiscal_year
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import KpiValues
from kankei_desktop.ui.widgets.fiscal_year_combo import FiscalYearCombo

NO_TARGET = -1


def _spin() -> QSpinBox:
    box = QSpinBox()
    box.setRange(NO_TARGET, 1_000_000)
    box.setSpecialValueText(_("No target"))
    box.setValue(NO_TARGET)
    return box


class TargetsPanel(QWidget):
    """Targets (editable) and actuals (from the figures) for the chosen fiscal year."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.club_id: uuid.UUID | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.fiscal_year = FiscalYearCombo()
        grid.addWidget(self.fiscal_year, 0, 0, 1, 3)
        grid.addWidget(QLabel(_("Target")), 1, 1)
        grid.addWidget(QLabel(_("Actual")), 1, 2)
        self.meetings = _spin()
        self.person_times = _spin()
        self.unique_persons = _spin()
        self.actuals = [QLabel("—") for _index in range(3)]
        captions = (_("Sessions held"), _("Person-times"), _("Unique persons"))
        for row, (caption, box, actual) in enumerate(
            zip(captions, (self.meetings, self.person_times, self.unique_persons),
                self.actuals, strict=True), start=2):
            grid.addWidget(QLabel(caption), row, 0)
            grid.addWidget(box, row, 1)
            grid.addWidget(actual, row, 2)
        self._loaded = KpiValues()
        self.fiscal_year.fiscal_year_changed.connect(lambda _fy: self.load(self.club_id))

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
            box.setValue(NO_TARGET if value is None else value)
        if club_id is None:
            for actual in self.actuals:
                actual.setText("—")
            return
        cell = self._services.figures.fiscal_year(fy, FigureFilter(club_id=club_id)).total
        for actual, number in zip(
            self.actuals, (cell.meetings_held, cell.person_times, cell.unique_persons),
            strict=True):
            actual.setText(f"{number:,}")

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
