"""Japanese era (和暦) dates: formatting and parsing with our own, tested era table.

babel has no Japanese calendar and japanera prints 「令和01年」 without 元年, hence this module
(see docs/ARCHITECTURE.md, "Japanese facts"). The first year of an era is always written 「元年」.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "ERAS",
    "MIN_SUPPORTED_DATE",
    "Era",
    "era_of",
    "era_year",
    "format_era_year",
    "format_fiscal_year",
    "format_wareki_date",
    "format_wareki_year",
    "format_wareki_year_month",
    "parse_wareki_date",
]


@dataclass(frozen=True, slots=True)
class Era:
    """One era: kanji name, one-letter abbreviation, romanised name and first day."""

    name: str
    letter: str
    romaji: str
    start: date


ERAS: tuple[Era, ...] = (
    Era("明治", "M", "Meiji", date(1868, 1, 25)),
    Era("大正", "T", "Taisho", date(1912, 7, 30)),
    Era("昭和", "S", "Showa", date(1926, 12, 25)),
    Era("平成", "H", "Heisei", date(1989, 1, 8)),
    Era("令和", "R", "Reiwa", date(2019, 5, 1)),
)
"""Eras in chronological order; each ends the day before the next one starts."""

MIN_SUPPORTED_DATE = date(1873, 1, 1)
"""Japan adopted the Gregorian calendar on 明治6年1月1日; earlier 明治 dates were lunisolar, so a
Gregorian date before this day has no correct 和暦 equivalent here."""

_BY_NAME = {era.name: era for era in ERAS}
_BY_LETTER = {era.letter: era for era in ERAS}


def _era_end(era: Era) -> date | None:
    """Return the last day of *era*, or ``None`` for the current era."""
    index = ERAS.index(era)
    if index + 1 == len(ERAS):
        return None
    return ERAS[index + 1].start - timedelta(days=1)


def era_of(d: date) -> Era:
    """Return the era in force on *d*.

    Raises:
        ValueError: if *d* is before :data:`MIN_SUPPORTED_DATE`.
    """
    if d < MIN_SUPPORTED_DATE:
        raise ValueError(f"dates before {MIN_SUPPORTED_DATE.isoformat()} are not supported: {d}")
    return next(era for era in reversed(ERAS) if d >= era.start)


def era_year(d: date) -> tuple[str, int]:
    """Return ``(era name, year of era)`` for *d*, e.g. ``("令和", 3)`` for 2021-12-16."""
    era = era_of(d)
    return era.name, d.year - era.start.year + 1


def format_era_year(era_name: str, year: int) -> str:
    """Format an era year: ``("令和", 1)`` → ``"令和元年"``, ``("令和", 3)`` → ``"令和3年"``."""
    return f"{era_name}{'元' if year == 1 else year}年"


def format_wareki_date(d: date) -> str:
    """Format *d* as 「令和3年12月16日」; the first year is 「令和元年5月1日」."""
    return f"{format_era_year(*era_year(d))}{d.month}月{d.day}日"


def _last_day_of_month(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def format_wareki_year(year: int, month: int = 12) -> str:
    """Format a Gregorian year as an era year: ``2021`` → ``"令和3年"``.

    The era is the one in force on the last day of *month*: ``(2019, 4)`` → 「平成31年」,
    ``(2019, 5)`` and the default ``(2019, 12)`` → 「令和元年」.
    """
    return format_era_year(*era_year(_last_day_of_month(year, month)))


def format_wareki_year_month(year: int, month: int) -> str:
    """Format a month as 「令和3年12月」 (era as in :func:`format_wareki_year`)."""
    return f"{format_wareki_year(year, month)}{month}月"


def format_fiscal_year(fy: int, *, heisei_for_2019: bool = False) -> str:
    """Format fiscal year *fy* (the year in which it starts on 1 April) as 「令和3年度」.

    The era is the one in force on 1 April of *fy* (2018 → 「平成30年度」, 1989 → 「平成元年度」,
    1988 → 「昭和63年度」), except that FY2019 is 「令和元年度」 as renamed after the 2019 改元,
    or 「平成31年度」 when *heisei_for_2019* is true (both appear in real documents).
    """
    if fy == 2019 and not heisei_for_2019:
        return "令和元年度"
    return format_era_year(*era_year(date(fy, 4, 1))) + "度"


_ERA_NAMES = "|".join(_BY_NAME)
_KANJI_PATTERN = re.compile(
    rf"(?P<era>{_ERA_NAMES}|[MTSHR])(?P<year>元|\d{{1,3}})年(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日?",
    re.ASCII,
)
_SHORT_PATTERN = re.compile(
    rf"(?P<era>{_ERA_NAMES}|[MTSHR])(?P<year>元|\d{{1,3}})(?P<sep>[./-])(?P<month>\d{{1,2}})"
    r"(?P=sep)(?P<day>\d{1,2})",
    re.ASCII,
)


def parse_wareki_date(text: str) -> date:
    """Parse a 和暦 date.

    Accepts 「令和3年12月16日」, 「令和元年5月1日」, ``R3.12.16``, ``R3/12/16``, ``R3-12-16``,
    ``H31.4.30``, ``S64.1.7`` (lower-case letters too), full-width digits and letters, ㋿/㍻
    ligatures and spaces anywhere.

    Raises:
        ValueError: for unparseable text, year 0, an impossible month or day, or a date outside
            the era (平成32年…, 令和元年4月1日, 昭和64年1月8日…).
    """
    cleaned = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    match = _KANJI_PATTERN.fullmatch(cleaned) or _SHORT_PATTERN.fullmatch(cleaned)
    if match is None:
        raise ValueError(
            f"not a Japanese era date: {text!r} (expected e.g. '令和3年12月16日' or 'R3.12.16')"
        )
    era_token = match["era"]
    era = _BY_NAME.get(era_token) or _BY_LETTER[era_token]
    year = 1 if match["year"] == "元" else int(match["year"])
    month, day = int(match["month"]), int(match["day"])
    if year < 1:
        raise ValueError(f"era year must be 1 (元年) or more, got {year}: {text!r}")
    try:
        result = date(era.start.year + year - 1, month, day)
    except ValueError as exc:
        raise ValueError(f"invalid date {text!r}: {exc}") from None
    end = _era_end(era)
    if result < era.start:
        raise ValueError(
            f"{text!r} is before {era.name} ({era.romaji}) began on {era.start.isoformat()}"
        )
    if end is not None and result > end:
        raise ValueError(f"{text!r} is after {era.name} ({era.romaji}) ended on {end.isoformat()}")
    if result < MIN_SUPPORTED_DATE:
        raise ValueError(
            f"{text!r} is before {MIN_SUPPORTED_DATE.isoformat()} (Gregorian calendar adoption), "
            "which is not supported"
        )
    return result
