"""Periods of the figures (one 年度, several, any days) and prefecture codes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.japan import codes


def test_fiscal_years_and_their_names() -> None:
    one = Period.fiscal_year(2021)
    assert (one.start, one.end) == (date(2021, 4, 1), date(2022, 3, 31))
    assert one.single_fiscal_year == 2021
    assert one.label() == "令和3年度"
    several = Period.fiscal_years(2021, 2023)
    assert several.whole_fiscal_years == (2021, 2023)
    assert several.single_fiscal_year is None
    assert several.label() == "令和3年度〜令和5年度"
    assert Period.fiscal_year(2019).label() == "令和元年度"
    assert Period(date(2021, 5, 1), date(2022, 2, 28)).label() == "令和3年5月1日〜令和4年2月28日"
    assert Period(date(2024, 2, 29), date(2024, 2, 29)).label() == "令和6年2月29日"


def test_a_range_that_is_not_whole_years() -> None:
    period = Period(date(2021, 4, 1), date(2022, 3, 30))
    assert period.whole_fiscal_years is None
    assert period.touched_fiscal_years == [2021]
    assert Period(date(2021, 3, 31), date(2021, 4, 1)).touched_fiscal_years == [2020, 2021]
    assert Period(date(2021, 12, 15), date(2022, 2, 1)).months == [(2021, 12), (2022, 1),
                                                                  (2022, 2)]


def test_the_previous_period_has_the_same_length() -> None:
    assert Period.fiscal_year(2021).previous() == Period.fiscal_year(2020)
    assert Period.fiscal_years(2021, 2023).previous() == Period.fiscal_years(2018, 2020)
    days = Period(date(2024, 3, 1), date(2024, 3, 31))
    assert days.previous() == Period(date(2024, 1, 30), date(2024, 2, 29))
    with pytest.raises(ValueError, match="ends on or after"):
        Period(date(2021, 4, 2), date(2021, 4, 1))


@given(start=st.dates(date(1990, 1, 1), date(2100, 1, 1)), length=st.integers(0, 3000))
def test_previous_periods_end_the_day_before(start: date, length: int) -> None:
    period = Period(start, date.fromordinal(start.toordinal() + length))
    before = period.previous()
    assert before.end.toordinal() == period.start.toordinal() - 1
    if period.whole_fiscal_years is None:
        assert before.days == period.days


def test_prefecture_codes() -> None:
    assert codes.is_prefecture_lgcode("030007")  # 岩手県
    assert codes.is_prefecture_lgcode("010006")  # 北海道
    assert codes.is_prefecture_lgcode("130001")  # 東京都
    assert not codes.is_prefecture_lgcode("032093")  # 一関市
    assert not codes.is_prefecture_lgcode("030008")  # wrong check digit
    assert codes.prefecture_of("032093") == "03"
    assert codes.prefecture_lgcode("03") == "030007"
    assert codes.prefecture_lgcode("47") == "470007"
    assert codes.is_prefecture_lgcode(codes.prefecture_lgcode("47"))
