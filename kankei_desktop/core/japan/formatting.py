"""Dates, times, numbers, percentages and yen as the active language writes them (babel).

Japanese: 「2021年12月16日(木)」, or 「令和3年12月16日(木)」 when the user chose 和暦;
English: 「Thu, Dec 16, 2021」. One place, so every page, dialog and list agrees.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency, format_decimal, format_percent

from kankei_desktop.core.i18n import current_language
from kankei_desktop.core.japan.wareki import format_wareki_date


class DateStyle(StrEnum):
    """How Japanese dates are written (English always uses the Western calendar)."""

    WESTERN = "western"
    WAREKI = "wareki"


_style = DateStyle.WESTERN


def set_date_style(style: DateStyle | str) -> None:
    """Choose 和暦 or Western dates for Japanese (a user setting)."""
    global _style
    try:
        _style = DateStyle(style)
    except ValueError:
        _style = DateStyle.WESTERN


def date_style() -> DateStyle:
    """The chosen style."""
    return _style


def _locale() -> str:
    return "ja_JP" if current_language() == "ja" else "en_US"


def format_day(day: date, *, weekday: bool = True) -> str:
    """A day as people read it: 「2021年12月16日(木)」 / 「Thu, Dec 16, 2021」."""
    if current_language() == "ja" and _style is DateStyle.WAREKI:
        text = format_wareki_date(day)
        return f"{text}({format_date(day, 'EEE', locale='ja_JP')})" if weekday else text
    if current_language() == "ja":
        return format_date(day, "y年M月d日(EEE)" if weekday else "y年M月d日", locale="ja_JP")
    pattern = "EEE, MMM d, y" if weekday else "MMM d, y"
    return format_date(day, pattern, locale=_locale())


def format_day_short(day: date) -> str:
    """A compact day for tables: 「12/16(木)」 / 「Dec 16」 (the year is shown elsewhere)."""
    if current_language() == "ja":
        return format_date(day, "M/d(EEE)", locale="ja_JP")
    return format_date(day, "EEE, MMM d", locale=_locale())


def format_clock(moment: time | None) -> str:
    """A time of day, 24-hour in Japanese (「19:00」), 「7:00 PM」 in English."""
    if moment is None:
        return ""
    if current_language() == "ja":
        return format_time(moment, "H:mm", locale="ja_JP")
    return format_time(moment, "h:mm a", locale=_locale())


def format_moment(moment: datetime) -> str:
    """A date and time (backups, history): 「2021年12月16日(木) 19:00」."""
    if current_language() == "ja":
        return f"{format_day(moment.date())} {format_clock(moment.time())}"
    return format_datetime(moment, "EEE, MMM d, y h:mm a", locale=_locale())


def format_count(value: int | float) -> str:
    """A number with the locale's grouping: 「12,345」."""
    return format_decimal(value, locale=_locale())


def format_rate(value: float | None, *, empty: str = "—") -> str:
    """A share as a percentage with one decimal: 「65.4%」; ``empty`` when undefined."""
    if value is None:
        return empty
    return format_percent(value, "#,##0.0%", locale=_locale())


def format_yen(amount: int | float) -> str:
    """An amount in yen: 「￥12,000」 / 「¥12,000」."""
    return format_currency(amount, "JPY", locale=_locale())
