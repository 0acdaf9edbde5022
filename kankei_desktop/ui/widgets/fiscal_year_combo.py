"""A combo of fiscal years labelled in 和暦 (「令和6年度」)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import current_fiscal_year
from kankei_desktop.core.japan.wareki import format_fiscal_year


def fiscal_year_label(fy: int) -> str:
    """「令和6年度 (2024)」."""
    return _("{wareki} ({year})").format(wareki=format_fiscal_year(fy), year=fy)


class FiscalYearCombo(QComboBox):
    """Fiscal years, newest last; emits :attr:`fiscal_year_changed` with the year."""

    fiscal_year_changed = Signal(int)
    """The user chose another fiscal year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(_("Fiscal year (1 April to 31 March)"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currentIndexChanged.connect(self._on_index_changed)
        self.set_range(current_fiscal_year(), current_fiscal_year() + 1)

    def set_range(self, first: int, last: int, selected: int | None = None) -> None:
        """Offer ``first`` … ``last`` and select ``selected`` (default: the current year)."""
        wanted = selected if selected is not None else current_fiscal_year()
        first, last = min(first, wanted), max(last, wanted)
        self.blockSignals(True)
        self.clear()
        for fy in range(first, last + 1):
            self.addItem(fiscal_year_label(fy), fy)
        self.setCurrentIndex(self.findData(wanted))
        self.blockSignals(False)

    @property
    def fiscal_year(self) -> int:
        """The selected fiscal year."""
        value = self.currentData()
        return int(value) if value is not None else current_fiscal_year()

    def set_fiscal_year(self, fy: int) -> None:
        """Select ``fy`` (added when missing)."""
        index = self.findData(fy)
        if index < 0:
            self.set_range(min(fy, self.itemData(0)), max(fy, self.itemData(self.count() - 1)), fy)
            index = self.findData(fy)
        self.setCurrentIndex(index)

    def _on_index_changed(self, _index: int) -> None:
        self.fiscal_year_changed.emit(self.fiscal_year)
