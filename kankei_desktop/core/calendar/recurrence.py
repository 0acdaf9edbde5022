"""Repeating sessions: the dates of a series, computed without touching the database.

Three rules, each between two dates (both inclusive):

- ``weekly``: every week on one weekday (0 = Monday … 6 = Sunday);
- ``monthly_nth``: every month on the N-th weekday, e.g. 「毎月第2火曜日」 (N = 1…5);
- ``monthly_day``: every month on a day of the month (1…31).

Days that do not exist are **skipped, never moved**: the 5th Tuesday of a month that has
four, or the 31st in a 30-day month (and 29th–31st in February). This is what RFC 5545
(iCalendar) and Outlook/Google do for the same rules, so an exported series and the
calendars it lands in agree; moving to the month's last day would silently put a session on
a date nobody chose. Every skipped month is reported in :attr:`SeriesPlan.skipped` so the
dialog can say so.

With ``skip_holidays`` Japanese public holidays (``jpholiday``: 振替休日 and 国民の休日
included) are left out and reported with their names.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from kankei_desktop.core.i18n import _

#: A series never creates more sessions than this (a typo in a year would otherwise
#: create thousands).
MAX_OCCURRENCES = 500


class SeriesRule(StrEnum):
    """How a series repeats."""

    WEEKLY = "weekly"
    MONTHLY_NTH = "monthly_nth"
    MONTHLY_DAY = "monthly_day"


class SkipReason(StrEnum):
    """Why a month or a date of the rule produced no session."""

    HOLIDAY = "holiday"
    NO_SUCH_DAY = "no_such_day"


@dataclass(frozen=True)
class SeriesSpec:
    """A repetition rule between ``start`` and ``end`` (inclusive)."""

    rule: SeriesRule
    start: date
    end: date
    weekday: int = 0
    nth: int = 1
    day: int = 1
    skip_holidays: bool = False


@dataclass(frozen=True)
class Skipped:
    """A date (or, for a missing day, the month) for which no session is made."""

    year: int
    month: int
    reason: SkipReason
    day: date | None = None
    holiday: str = ""

    def describe(self) -> str:
        """A sentence for the user."""
        if self.reason is SkipReason.HOLIDAY and self.day is not None:
            return _("{date}: public holiday ({name}), skipped.").format(
                date=self.day.isoformat(), name=self.holiday)
        return _("{year}-{month:02d}: the day does not exist in this month, skipped.").format(
            year=self.year, month=self.month)


@dataclass
class SeriesPlan:
    """The dates a rule gives, and what was left out."""

    dates: list[date] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class SeriesError(ValueError):
    """The rule cannot be used as given; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def holiday_name(day: date) -> str:
    """The public holiday's Japanese name, or ""."""
    import jpholiday  # only when dates are generated (not for every command's services)

    return jpholiday.is_holiday_name(day) or ""


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The ``nth`` ``weekday`` of the month (1-based), or None when the month has no such day."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    day = 1 + offset + 7 * (nth - 1)
    if day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def check_spec(spec: SeriesSpec) -> None:
    """Raise :class:`SeriesError` when the rule is not usable."""
    if spec.end < spec.start:
        raise SeriesError(_("The series must not end before it starts."))
    if spec.rule in (SeriesRule.WEEKLY, SeriesRule.MONTHLY_NTH) and not 0 <= spec.weekday <= 6:
        raise SeriesError(_("Choose a weekday."))
    if spec.rule is SeriesRule.MONTHLY_NTH and not 1 <= spec.nth <= 5:
        raise SeriesError(_("The week of the month must be 1 to 5."))
    if spec.rule is SeriesRule.MONTHLY_DAY and not 1 <= spec.day <= 31:
        raise SeriesError(_("The day of the month must be 1 to 31."))


def plan_series(spec: SeriesSpec) -> SeriesPlan:
    """The dates of the series in order, with the skipped ones (see the module docstring)."""
    check_spec(spec)
    plan = SeriesPlan()
    candidates: list[date] = []
    if spec.rule is SeriesRule.WEEKLY:
        day = spec.start + timedelta(days=(spec.weekday - spec.start.weekday()) % 7)
        while day <= spec.end:
            candidates.append(day)
            day += timedelta(days=7)
    else:
        for year, month in _months(spec.start, spec.end):
            found: date | None
            if spec.rule is SeriesRule.MONTHLY_NTH:
                found = nth_weekday(year, month, spec.weekday, spec.nth)
            elif spec.day <= calendar.monthrange(year, month)[1]:
                found = date(year, month, spec.day)
            else:
                found = None
            if found is None:
                # A missing day in the last month counts only if the month runs to its end
                # within the period (otherwise the day would be after the end anyway).
                month_end = date(year, month, calendar.monthrange(year, month)[1])
                if month_end <= spec.end:
                    plan.skipped.append(Skipped(year, month, SkipReason.NO_SUCH_DAY))
            elif spec.start <= found <= spec.end:
                candidates.append(found)
    for day in candidates:
        name = holiday_name(day) if spec.skip_holidays else ""
        if name:
            plan.skipped.append(Skipped(day.year, day.month, SkipReason.HOLIDAY, day, name))
        else:
            plan.dates.append(day)
    plan.skipped.sort(key=lambda item: (item.year, item.month, item.day or date.min))
    if len(plan.dates) > MAX_OCCURRENCES:
        raise SeriesError(_("The series would create {count} sessions; at most {limit} can be "
                            "created at once. Choose a shorter period.").format(
                                count=len(plan.dates), limit=MAX_OCCURRENCES))
    return plan
