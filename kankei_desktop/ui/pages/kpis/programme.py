"""The whole programme's KPIs of a 年度 in a window (from the dashboard; issue 17)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.ui.pages.kpis.kpi_list import KpiList
from kankei_desktop.ui.widgets.fiscal_year_combo import FiscalYearCombo


class ProgrammeKpiDialog(QDialog):
    """Add, change and delete the programme's KPIs; each club's are on its page."""

    def __init__(self, services: Services, fiscal_year: int, earliest: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("KPIs of the whole programme"))
        self.resize(760, 420)
        column = QVBoxLayout(self)
        top = QHBoxLayout()
        intro = QLabel(_("Targets for the whole programme. A club's own KPIs are set on its "
                         "page (クラブ)."))
        intro.setWordWrap(True)
        top.addWidget(intro, 1)
        self.fiscal_year = FiscalYearCombo()
        self.fiscal_year.set_range(earliest, max(earliest, fiscal_year) + 1, fiscal_year)
        top.addWidget(self.fiscal_year)
        column.addLayout(top)
        self.kpis = KpiList(services)
        column.addWidget(self.kpis, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.accept)
        column.addWidget(buttons)
        self.fiscal_year.fiscal_year_changed.connect(
            lambda year: self.kpis.load(year, None, programme=True))
        self.kpis.load(self.fiscal_year.fiscal_year, None, programme=True)
