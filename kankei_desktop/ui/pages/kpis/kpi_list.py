"""The KPIs of a club or of the whole programme for one 年度, with 目標値・実績値・達成率, and
buttons to add, change and delete them (issue 17)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.kpis import KpiResult, format_decimal, format_rate
from kankei_desktop.ui.pages.kpis.dialog import KpiDialog


def kpi_texts(result: KpiResult) -> tuple[str, str, str]:
    """目標値, 実績値 and 達成率 as shown (with the unit; 「—」 where there is none)."""
    unit = result.kpi.unit

    def with_unit(text: str) -> str:
        return f"{text}{unit}" if unit and text != "—" else text

    return (with_unit(format_decimal(result.target)), with_unit(format_decimal(result.actual)),
            format_rate(result.rate))


class KpiList(QWidget):
    """One scope's KPIs of a year (those of ``skip`` measures left to another widget)."""

    changed = Signal()
    """A KPI was added, changed or deleted."""

    def __init__(self, services: Services, *, skip: Collection[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._skip = set(skip)
        self.club_id: uuid.UUID | None = None
        self.programme = False
        self.fiscal_year = 0
        self._ids: list[uuid.UUID] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("Indicator"), _("Target value"),
                                              _("Actual value"), _("Achievement"),
                                              _("Remarks")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(120)
        self.table.setMaximumHeight(200)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        column.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.add_button = QPushButton(_("Add KPI…"))
        self.add_button.setToolTip(_("A target of any kind: matchings, sessions of a kind, "
                                     "organisations attending, a survey score, a value "
                                     "typed in …"))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(_("Change…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.clicked.connect(self.delete_selected)
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        column.addLayout(buttons)

    def load(self, fiscal_year: int, club_id: uuid.UUID | None, *,
             programme: bool = False) -> None:
        """Show the KPIs of ``club_id`` (or of the programme) for ``fiscal_year``."""
        self.fiscal_year = fiscal_year
        self.club_id = club_id
        self.programme = programme
        usable = club_id is not None or programme
        for button in (self.add_button, self.edit_button, self.delete_button):
            button.setEnabled(usable)
        results = [result for result in self._services.kpis.results(
            fiscal_year, club_id=club_id, programme=programme)
            if result.kpi.measure not in self._skip] if usable else []
        self._ids = [result.kpi.id for result in results]
        self.table.setRowCount(len(results))
        for row, result in enumerate(results):
            target, actual, rate = kpi_texts(result)
            for column, text in enumerate((result.name, target, actual, rate,
                                           result.kpi.notes)):
                item = QTableWidgetItem(text)
                if column in (1, 2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()

    def selected_id(self) -> uuid.UUID | None:
        """The KPI selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self._ids[rows[0].row()] if rows else None

    def add(self) -> None:
        """A new KPI of this scope and year."""
        if KpiDialog(self._services, self.fiscal_year, self.club_id, parent=self).exec():
            self._reload()

    def edit_selected(self) -> None:
        """Change the selected KPI."""
        kpi_id = self.selected_id()
        if kpi_id is not None and KpiDialog(self._services, self.fiscal_year, self.club_id,
                                            kpi_id, parent=self).exec():
            self._reload()

    def delete_selected(self) -> None:
        """Delete the selected KPI (asked first)."""
        kpi_id = self.selected_id()
        if kpi_id is None:
            return
        answer = QMessageBox.question(self, _("Delete"), _("Delete this KPI?"),
                                      QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._services.kpis.delete(kpi_id)
        except KankeiError as exc:
            QMessageBox.warning(self, _("Could not delete"), exc.message)
            return
        self._reload()

    def _reload(self) -> None:
        self.load(self.fiscal_year, self.club_id, programme=self.programme)
        self.changed.emit()
