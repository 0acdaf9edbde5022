"""The period the activities are counted over: a 年度 or a calendar year, by setting."""

from __future__ import annotations

from datetime import date

from kankei_desktop.core.furusato.choices import PERIOD_CALENDAR_YEAR
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import fiscal_year_of, fiscal_year_range
from kankei_desktop.core.japan.wareki import format_fiscal_year, format_wareki_year


def year_range(year: int, period: str) -> tuple[date, date]:
    """The first and last day of ``year`` as the setting counts it (年度 2026 = 2026-04-01
    to 2027-03-31; calendar year 2026 = 2026-01-01 to 2026-12-31)."""
    if period == PERIOD_CALENDAR_YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    return fiscal_year_range(year)


def year_of(day: date, period: str) -> int:
    """The year (as :func:`year_range` names it) that contains ``day``."""
    return day.year if period == PERIOD_CALENDAR_YEAR else fiscal_year_of(day)


def year_label(year: int, period: str) -> str:
    """「令和8年度」 or 「2026年（令和8年）」."""
    if period == PERIOD_CALENDAR_YEAR:
        return _("{year} ({wareki})").format(year=year, wareki=format_wareki_year(year))
    return format_fiscal_year(year)
