"""Tests for kankei_desktop.core.japan.wareki."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kankei_desktop.core.japan.wareki import (
    ERAS,
    MIN_SUPPORTED_DATE,
    era_year,
    format_fiscal_year,
    format_wareki_date,
    format_wareki_year,
    format_wareki_year_month,
    parse_wareki_date,
)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2021, 12, 16), ("令和", 3)),
        (date(2019, 5, 1), ("令和", 1)),
        (date(2019, 4, 30), ("平成", 31)),
        (date(1989, 1, 8), ("平成", 1)),
        (date(1989, 1, 7), ("昭和", 64)),
        (date(1926, 12, 25), ("昭和", 1)),
        (date(1926, 12, 24), ("大正", 15)),
        (date(1912, 7, 30), ("大正", 1)),
        (date(1912, 7, 29), ("明治", 45)),
        (date(1873, 1, 1), ("明治", 6)),
    ],
)
def test_era_year(d: date, expected: tuple[str, int]) -> None:
    assert era_year(d) == expected


def test_dates_before_table_raise() -> None:
    with pytest.raises(ValueError, match="not supported"):
        era_year(date(1872, 12, 31))
    with pytest.raises(ValueError, match="not supported"):
        format_wareki_date(date(1800, 1, 1))


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2021, 12, 16), "令和3年12月16日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2022, 3, 31), "令和4年3月31日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2020, 1, 1), "令和2年1月1日"),
    ],
)
def test_format_wareki_date(d: date, expected: str) -> None:
    assert format_wareki_date(d) == expected


def test_never_writes_first_year_as_1() -> None:
    for era in ERAS[1:]:
        assert format_wareki_date(era.start).startswith(f"{era.name}元年")


def test_format_wareki_year() -> None:
    assert format_wareki_year(2021) == "令和3年"
    assert format_wareki_year(2019) == "令和元年"
    assert format_wareki_year(2019, 4) == "平成31年"
    assert format_wareki_year(2019, 5) == "令和元年"
    assert format_wareki_year(1989, 1) == "平成元年"
    assert format_wareki_year_month(2019, 4) == "平成31年4月"
    assert format_wareki_year_month(2021, 12) == "令和3年12月"
    with pytest.raises(ValueError, match="month"):
        format_wareki_year(2021, 13)


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2021, "令和3年度"),
        (2020, "令和2年度"),
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
    ],
)
def test_format_fiscal_year(fy: int, expected: str) -> None:
    assert format_fiscal_year(fy) == expected


def test_format_fiscal_year_heisei_option() -> None:
    assert format_fiscal_year(2019, heisei_for_2019=True) == "平成31年度"
    assert format_fiscal_year(2020, heisei_for_2019=True) == "令和2年度"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和3年12月16日", date(2021, 12, 16)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("R3.12.16", date(2021, 12, 16)),
        ("R3/12/16", date(2021, 12, 16)),
        ("R03-12-16", date(2021, 12, 16)),
        ("r3.12.16", date(2021, 12, 16)),
        ("H31.4.30", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("H1.1.8", date(1989, 1, 8)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("令和\uff13年\uff11\uff12月\uff11\uff16日", date(2021, 12, 16)),
        ("\uff32\uff13.\uff11\uff12.\uff11\uff16", date(2021, 12, 16)),
        (" 令和 3 年\u30003月 31日 ", date(2021, 3, 31)),
        ("令和4年3月31", date(2022, 3, 31)),
        ("R4年3月31日", date(2022, 3, 31)),
        ("㋿4年3月31日", date(2022, 3, 31)),
        ("㍻31年4月30日", date(2019, 4, 30)),
    ],
)
def test_parse_wareki_date(text: str, expected: date) -> None:
    assert parse_wareki_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("令和0年5月1日", "era year"),
        ("R0.5.1", "era year"),
        ("令和3年13月1日", "invalid date"),
        ("令和3年2月29日", "invalid date"),
        ("令和3年4月0日", "invalid date"),
        ("平成32年1月1日", "after 平成"),
        ("H31.5.1", "after 平成"),
        ("S64.1.8", "after 昭和"),
        ("令和1年4月1日", "before 令和"),
        ("令和元年4月30日", "before 令和"),
        ("H1.1.7", "before 平成"),
        ("明治5年12月31日", "1873"),
        ("2021/12/16", "not a Japanese era date"),
        ("令和3年12月", "not a Japanese era date"),
        ("R3.12/16", "not a Japanese era date"),
        ("X3.12.16", "not a Japanese era date"),
        ("", "not a Japanese era date"),
    ],
)
def test_parse_wareki_date_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_wareki_date(text)


@given(st.dates(min_value=MIN_SUPPORTED_DATE, max_value=date(2200, 12, 31)))
def test_format_parse_round_trip(d: date) -> None:
    text = format_wareki_date(d)
    assert parse_wareki_date(text) == d
    name, year = era_year(d)
    era = next(e for e in ERAS if e.name == name)
    assert parse_wareki_date(f"{era.letter}{year}.{d.month}.{d.day}") == d


@given(st.dates(min_value=MIN_SUPPORTED_DATE, max_value=date(2200, 12, 30)))
def test_era_year_advances_by_day(d: date) -> None:
    name, year = era_year(d)
    next_name, next_year = era_year(d + timedelta(days=1))
    assert year >= 1
    if next_name == name:
        assert next_year in (year, year + 1)
    else:
        assert next_year == 1
