"""Dates, times and numbers in the user's language and calendar."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest

from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.japan import formatting


@pytest.fixture(autouse=True)
def _western_dates() -> Iterator[None]:
    formatting.set_date_style("western")
    yield
    formatting.set_date_style("western")


def test_japanese_dates_times_and_numbers() -> None:
    set_language("ja")
    assert formatting.format_day(date(2021, 12, 16)) == "2021年12月16日(木)"
    assert formatting.format_day(date(2021, 12, 16), weekday=False) == "2021年12月16日"
    assert formatting.format_day_short(date(2021, 12, 16)) == "12/16(木)"
    assert formatting.format_clock(time(9, 5)) == "9:05"
    assert formatting.format_moment(datetime(2021, 12, 16, 19, 0)) == "2021年12月16日(木) 19:00"
    assert formatting.format_count(2764) == "2,764"
    assert formatting.format_rate(114 / 174) == "65.5%"
    assert formatting.format_rate(None) == "—"


def test_english_dates_times_and_numbers() -> None:
    set_language("en")
    assert formatting.format_day(date(2021, 12, 16)) == "Thu, Dec 16, 2021"
    assert formatting.format_day(date(2021, 12, 16), weekday=False) == "Dec 16, 2021"
    assert formatting.format_clock(time(19, 0)).replace("\u202f", " ") == "7:00 PM"
    assert formatting.format_count(2764) == "2,764"
    assert formatting.format_yen(12000) == "¥12,000"


@pytest.mark.parametrize(("day", "expected"), [
    (date(2019, 5, 1), "令和元年5月1日(水)"),
    (date(2019, 4, 30), "平成31年4月30日(火)"),
    (date(2021, 12, 16), "令和3年12月16日(木)"),
])
def test_wareki_when_chosen(day: date, expected: str) -> None:
    set_language("ja")
    formatting.set_date_style("wareki")
    assert formatting.format_day(day) == expected


def test_wareki_is_a_japanese_setting_only() -> None:
    set_language("en")
    formatting.set_date_style("wareki")
    assert formatting.format_day(date(2019, 5, 1)) == "Wed, May 1, 2019"


def test_an_unknown_style_falls_back_to_western() -> None:
    set_language("ja")
    formatting.set_date_style("lunar")
    assert formatting.date_style() is formatting.DateStyle.WESTERN
