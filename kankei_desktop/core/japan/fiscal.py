"""Japanese fiscal years (年度, 地方自治法 §208): 1 April to 31 March.

A fiscal year is named after the calendar year in which it starts: FY2021 runs from
2021-04-01 to 2022-03-31 (「令和3年度」).
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "current_fiscal_year",
    "fiscal_year_months",
    "fiscal_year_of",
    "fiscal_year_range",
]

FISCAL_YEAR_START_MONTH = 4


def fiscal_year_of(d: date) -> int:
    """Return the fiscal year containing *d*: ``d.year`` from April, else ``d.year - 1``."""
    return d.year if d.month >= FISCAL_YEAR_START_MONTH else d.year - 1


def fiscal_year_range(fy: int) -> tuple[date, date]:
    """Return the first and last day (both inclusive) of fiscal year *fy*."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def fiscal_year_months(fy: int) -> list[tuple[int, int]]:
    """Return the 12 ``(year, month)`` pairs of fiscal year *fy*, April first."""
    return [(fy, month) for month in range(4, 13)] + [(fy + 1, month) for month in range(1, 4)]


def current_fiscal_year(today: date | None = None) -> int:
    """Return the fiscal year of *today* (default: the local date today)."""
    return fiscal_year_of(today if today is not None else date.today())
