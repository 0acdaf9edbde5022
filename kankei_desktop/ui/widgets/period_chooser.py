"""The period figures are shown for: one 年度, several 年度 (令和3〜5年度) or any dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import current_fiscal_year, fiscal_year_range
from kankei_desktop.ui.widgets.fiscal_year_combo import FiscalYearCombo

YEAR, YEARS, DAYS = "year", "years", "days"
#: Typing a date waits this long before the figures follow (no recount per keystroke).
DATE_DELAY_MS = 400


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PeriodChooser(QWidget):
    """A mode (年度 / 複数年度 / 期間), then two fiscal years or two dates; emits
    :attr:`period_changed` with a :class:`Period` (both ends included, never reversed)."""

    period_changed = Signal(object)
    """The chosen period changed (the :class:`Period`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.mode = QComboBox()
        for caption, mode in ((_("Fiscal year"), YEAR), (_("Several fiscal years"), YEARS),
                              (_("Dates"), DAYS)):
            self.mode.addItem(caption, mode)
        self.mode.setToolTip(_("Count the figures for one fiscal year, several fiscal years "
                               "or any dates (both days included)."))
        self.first_year = FiscalYearCombo()
        self.last_year = FiscalYearCombo()
        self.start = QDateEdit()
        self.end = QDateEdit()
        start, end = fiscal_year_range(current_fiscal_year())
        for edit, day in ((self.start, start), (self.end, end)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(_qdate(day))
        self.dash = QLabel("〜")
        for widget in (self.mode, self.first_year, self.start, self.dash, self.last_year,
                       self.end):
            row.addWidget(widget)
        self._delay = QTimer(self)
        self._delay.setObjectName("periodDelay")
        self._delay.setSingleShot(True)
        self._delay.setInterval(DATE_DELAY_MS)
        self._delay.timeout.connect(self._emit)
        self.mode.currentIndexChanged.connect(self._on_mode)
        self.first_year.fiscal_year_changed.connect(self._on_first_year)
        self.last_year.fiscal_year_changed.connect(self._on_last_year)
        self.start.dateChanged.connect(self._on_dates)
        self.end.dateChanged.connect(self._on_dates)
        self._show_mode()

    @property
    def current_mode(self) -> str:
        """``year``, ``years`` or ``days``."""
        return str(self.mode.currentData())

    def period(self) -> Period:
        """The chosen period."""
        mode = self.current_mode
        if mode == DAYS:
            start, end = _day(self.start.date()), _day(self.end.date())
            return Period(min(start, end), max(start, end))
        first = self.first_year.fiscal_year
        if mode == YEAR:
            return Period.fiscal_year(first)
        return Period.fiscal_years(min(first, self.last_year.fiscal_year),
                                   max(first, self.last_year.fiscal_year))

    def set_year_range(self, first: int, last: int) -> None:
        """Offer 年度 ``first`` … ``last`` (the chosen ones are kept and added if missing)."""
        for combo in (self.first_year, self.last_year):
            combo.set_range(first, last, combo.fiscal_year)

    def set_period(self, period: Period) -> None:
        """Show ``period`` (one 年度, several or dates) and emit :attr:`period_changed`."""
        years = period.whole_fiscal_years
        widgets = (self.mode, self.first_year, self.last_year, self.start, self.end)
        for widget in widgets:
            widget.blockSignals(True)
        if years is None:
            self.mode.setCurrentIndex(self.mode.findData(DAYS))
            self.start.setDate(_qdate(period.start))
            self.end.setDate(_qdate(period.end))
        else:
            self.mode.setCurrentIndex(self.mode.findData(YEAR if years[0] == years[1]
                                                         else YEARS))
            self.first_year.set_fiscal_year(years[0])
            self.last_year.set_fiscal_year(years[1])
        for widget in widgets:
            widget.blockSignals(False)
        self._show_mode()
        self._emit()

    def _show_mode(self) -> None:
        mode = self.current_mode
        self.first_year.setVisible(mode != DAYS)
        self.last_year.setVisible(mode == YEARS)
        self.start.setVisible(mode == DAYS)
        self.end.setVisible(mode == DAYS)
        self.dash.setVisible(mode != YEAR)

    def _on_mode(self, _index: int) -> None:
        mode = self.current_mode
        first = self.first_year.fiscal_year
        if mode == YEARS and self.last_year.fiscal_year <= first:
            self.last_year.blockSignals(True)
            self.last_year.set_fiscal_year(first)
            self.last_year.blockSignals(False)
        if mode == DAYS:  # start from the year shown so far
            start, end = fiscal_year_range(first)
            for edit, day in ((self.start, start), (self.end, end)):
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)
        self._show_mode()
        self._emit()

    def _on_first_year(self, year: int) -> None:
        if self.current_mode == YEARS and self.last_year.fiscal_year < year:
            self.last_year.blockSignals(True)
            self.last_year.set_fiscal_year(year)
            self.last_year.blockSignals(False)
        self._emit()

    def _on_last_year(self, year: int) -> None:
        if self.first_year.fiscal_year > year:
            self.first_year.blockSignals(True)
            self.first_year.set_fiscal_year(year)
            self.first_year.blockSignals(False)
        self._emit()

    def _on_dates(self, _value: QDate) -> None:
        self._delay.start()

    def _emit(self) -> None:
        self._delay.stop()
        self.period_changed.emit(self.period())
