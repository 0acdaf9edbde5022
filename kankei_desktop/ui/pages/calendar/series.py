"""The 繰り返し tab: a rule and a period; a preview says how many sessions and what is
skipped (holidays, a 5th weekday or a 31st a month does not have).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.calendar.recurrence import (
    SeriesError,
    SeriesPlan,
    SeriesRule,
    SeriesSpec,
    plan_series,
)
from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.ui.pages.calendar.entries import weekday_name
from kankei_desktop.ui.pages.calendar.widgets import date_edit, from_qdate

PREVIEW_SKIPPED = 6


class SeriesPanel(QWidget):
    """Repeat a new session by a rule; :meth:`spec` is None while repetition is off."""

    changed = Signal()

    def __init__(self, first_day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        self.enabled = QCheckBox(_("Create a series of sessions"))
        column.addWidget(self.enabled)
        self.form_box = QWidget()
        form = QFormLayout(self.form_box)
        self.rule = QComboBox()
        self.rule.addItem(_("Every week on a weekday"), SeriesRule.WEEKLY.value)
        self.rule.addItem(_("Every month on the N-th weekday"), SeriesRule.MONTHLY_NTH.value)
        self.rule.addItem(_("Every month on a date"), SeriesRule.MONTHLY_DAY.value)
        form.addRow(_("Repeat"), self.rule)
        self.nth = QComboBox()
        for nth in range(1, 6):
            self.nth.addItem(_("Week {n} of the month").format(n=nth), nth)
        form.addRow(_("Week"), self.nth)
        self.weekday = QComboBox()
        for weekday in range(7):
            self.weekday.addItem(weekday_name(weekday), weekday)
        form.addRow(_("Weekday"), self.weekday)
        self.day = QSpinBox()
        self.day.setRange(1, 31)
        form.addRow(_("Day of the month"), self.day)
        self.start = date_edit(first_day)
        form.addRow(_("From"), self.start)
        self.end = date_edit(first_day + timedelta(days=182))
        form.addRow(_("Until"), self.end)
        self.skip_holidays = QCheckBox(_("Skip Japanese public holidays"))
        self.skip_holidays.setChecked(True)
        form.addRow("", self.skip_holidays)
        column.addWidget(self.form_box)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        column.addWidget(self.preview)
        explanation = QLabel(_(
            "Each session of the series is an ordinary session afterwards: it can be moved, "
            "cancelled or deleted alone. Days a month does not have (a 5th weekday, the 31st) "
            "are skipped, not moved."))
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #555555;")
        column.addWidget(explanation)
        column.addStretch(1)
        self.set_first_day(first_day)
        for signal in (self.enabled.toggled, self.rule.currentIndexChanged,
                       self.nth.currentIndexChanged, self.weekday.currentIndexChanged,
                       self.day.valueChanged, self.start.dateChanged, self.end.dateChanged,
                       self.skip_holidays.toggled):
            signal.connect(self._update)
        self._update()

    def set_first_day(self, day: date) -> None:
        """Suggest the rule that matches ``day`` (its weekday, its week of the month)."""
        self.weekday.setCurrentIndex(day.weekday())
        self.nth.setCurrentIndex(min((day.day - 1) // 7, 4))
        self.day.setValue(day.day)

    def spec(self) -> SeriesSpec | None:
        """The rule, or None when no series is wanted."""
        if not self.enabled.isChecked():
            return None
        return SeriesSpec(
            rule=SeriesRule(self.rule.currentData()), start=from_qdate(self.start.date()),
            end=from_qdate(self.end.date()), weekday=int(self.weekday.currentData()),
            nth=int(self.nth.currentData()), day=self.day.value(),
            skip_holidays=self.skip_holidays.isChecked())

    def plan(self) -> SeriesPlan | None:
        """The dates the rule gives (None when off or invalid)."""
        spec = self.spec()
        if spec is None:
            return None
        try:
            return plan_series(spec)
        except SeriesError:
            return None

    def _update(self) -> None:
        self.form_box.setEnabled(self.enabled.isChecked())
        rule = SeriesRule(self.rule.currentData())
        self.nth.setVisible(rule is SeriesRule.MONTHLY_NTH)
        self.weekday.setVisible(rule is not SeriesRule.MONTHLY_DAY)
        self.day.setVisible(rule is SeriesRule.MONTHLY_DAY)
        form = self.form_box.layout()
        assert isinstance(form, QFormLayout)
        form.setRowVisible(self.nth, rule is SeriesRule.MONTHLY_NTH)
        form.setRowVisible(self.weekday, rule is not SeriesRule.MONTHLY_DAY)
        form.setRowVisible(self.day, rule is SeriesRule.MONTHLY_DAY)
        self.preview.setText(self.describe())
        self.changed.emit()

    def describe(self) -> str:
        """「12 回のセッションを作成します…」 or why the rule cannot be used."""
        spec = self.spec()
        if spec is None:
            return ""
        try:
            plan = plan_series(spec)
        except SeriesError as exc:
            return exc.message
        lines = [ngettext("{count} session will be created.",
                          "{count} sessions will be created.", len(plan.dates)).format(
                              count=len(plan.dates))]
        if plan.dates:
            lines.append(_("First {first}, last {last}.").format(
                first=plan.dates[0].isoformat(), last=plan.dates[-1].isoformat()))
        lines.extend(item.describe() for item in plan.skipped[:PREVIEW_SKIPPED])
        if len(plan.skipped) > PREVIEW_SKIPPED:
            lines.append(_("… and {count} more skipped.").format(
                count=len(plan.skipped) - PREVIEW_SKIPPED))
        return "\n".join(lines)
