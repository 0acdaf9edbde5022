"""The period figures are counted over: one 年度, several 年度 or any range of days (both ends
included), its name in Japanese and the period it is compared with (前年度比)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kankei_desktop.core.japan.fiscal import fiscal_year_of, fiscal_year_range
from kankei_desktop.core.japan.wareki import format_fiscal_year, format_wareki_date


@dataclass(frozen=True)
class Period:
    """The days ``start`` … ``end``, both included (``start`` ≤ ``end``)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period ends on or after its start: {self.start} > {self.end}")

    @classmethod
    def fiscal_year(cls, fiscal_year: int) -> Period:
        """年度 ``fiscal_year`` (1 April to 31 March)."""
        return cls(*fiscal_year_range(fiscal_year))

    @classmethod
    def fiscal_years(cls, first: int, last: int) -> Period:
        """年度 ``first`` to ``last`` (令和3〜5年度 is ``fiscal_years(2021, 2023)``)."""
        return cls(fiscal_year_range(first)[0], fiscal_year_range(last)[1])

    @property
    def whole_fiscal_years(self) -> tuple[int, int] | None:
        """(first, last) 年度 when the period is exactly whole 年度, else None."""
        first, last = fiscal_year_of(self.start), fiscal_year_of(self.end)
        if (self.start, self.end) == (fiscal_year_range(first)[0], fiscal_year_range(last)[1]):
            return first, last
        return None

    @property
    def single_fiscal_year(self) -> int | None:
        """The 年度 when the period is exactly one, else None."""
        years = self.whole_fiscal_years
        return years[0] if years is not None and years[0] == years[1] else None

    @property
    def touched_fiscal_years(self) -> list[int]:
        """Every 年度 with at least one day in the period, in order."""
        return list(range(fiscal_year_of(self.start), fiscal_year_of(self.end) + 1))

    @property
    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) with at least one day in the period, in order."""
        months = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    @property
    def days(self) -> int:
        """Number of days, both ends included."""
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before (前年度比): the same number of 年度 for
        whole 年度, else the same number of days."""
        years = self.whole_fiscal_years
        if years is not None:
            count = years[1] - years[0] + 1
            return Period.fiscal_years(years[0] - count, years[1] - count)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def label(self) -> str:
        """「令和3年度」, 「令和3年度〜令和5年度」 or 「令和3年5月1日〜令和4年2月28日」."""
        years = self.whole_fiscal_years
        if years is not None:
            first, last = years
            if first == last:
                return format_fiscal_year(first)
            return f"{format_fiscal_year(first)}〜{format_fiscal_year(last)}"
        if self.start == self.end:
            return format_wareki_date(self.start)
        return f"{format_wareki_date(self.start)}〜{format_wareki_date(self.end)}"
