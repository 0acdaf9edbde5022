"""Tests for kankei_desktop.core.japan.fiscal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kankei_desktop.core.japan.fiscal import (
    current_fiscal_year,
    fiscal_year_months,
    fiscal_year_of,
    fiscal_year_range,
)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2022, 3, 31), 2021),
        (date(2022, 4, 1), 2022),
        (date(2021, 12, 31), 2021),
        (date(2022, 1, 1), 2021),
        (date(2019, 4, 30), 2019),
        (date(2019, 5, 1), 2019),
        (date(2020, 2, 29), 2019),
    ],
)
def test_fiscal_year_of(d: date, expected: int) -> None:
    assert fiscal_year_of(d) == expected


def test_fiscal_year_range() -> None:
    assert fiscal_year_range(2021) == (date(2021, 4, 1), date(2022, 3, 31))
    assert fiscal_year_range(2019) == (date(2019, 4, 1), date(2020, 3, 31))


def test_fiscal_year_months() -> None:
    months = fiscal_year_months(2021)
    assert len(months) == 12
    assert months[0] == (2021, 4)
    assert months[8] == (2021, 12)
    assert months[9] == (2022, 1)
    assert months[-1] == (2022, 3)


def test_current_fiscal_year() -> None:
    assert current_fiscal_year(date(2022, 3, 31)) == 2021
    assert current_fiscal_year(date(2022, 4, 1)) == 2022
    assert current_fiscal_year() == fiscal_year_of(date.today())


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_range_contains_date(d: date) -> None:
    start, end = fiscal_year_range(fiscal_year_of(d))
    assert start <= d <= end
    assert (d.year, d.month) in fiscal_year_months(fiscal_year_of(d))


@given(st.integers(min_value=1900, max_value=2200))
def test_consecutive_years_are_contiguous(fy: int) -> None:
    start, end = fiscal_year_range(fy)
    next_start, _ = fiscal_year_range(fy + 1)
    assert end + timedelta(days=1) == next_start
    assert fiscal_year_of(start) == fiscal_year_of(end) == fy
    assert fiscal_year_of(start - timedelta(days=1)) == fy - 1
