"""Reading a date as staff type it: 西暦 or 和暦, full or short.

One parser for the spreadsheet import and the window's date fields: 2021/12/16, 2021-12-16,
2021.12.16, 2021年12月16日, 令和3年12月16日, R3.12.16, H31/4/30, full-width digits, a trailing
weekday 「(木)」 or time. The date fields also read what people type by hand: 3/12/16 (a year
of one or two digits is a 令和 year) and 12/16 (this year).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from kankei_desktop.core.japan.wareki import parse_wareki_date

_GREGORIAN = re.compile(r"(\d{4})\s*[/\-.年]\s*(\d{1,2})\s*[/\-.月]\s*(\d{1,2})\s*日?")
_SHORT_YEAR = re.compile(r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[/\-.月]\s*(\d{1,2})\s*日?")
_WEEKDAY = re.compile(r"\s*[(（][^)）]*[)）]\s*$")
_TRAILING_TIME = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")
_EIGHT_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
#: 令和 began on 2019-05-01; its year N is 2018 + N.
_REIWA_OFFSET = 2018


def parse_date_text(text: str, *, by_hand: bool = False, today: date | None = None) -> date:
    """The date ``text`` names.

    ``by_hand``: also a 令和 year written without its era (3/12/16), a month and day of this
    year (12/16), eight digits (20211216). Raises :class:`ValueError` when the text is no date.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip()
    cleaned = _TRAILING_TIME.sub("", _WEEKDAY.sub("", cleaned)).strip()
    if not cleaned:
        raise ValueError("empty date")
    match = _GREGORIAN.fullmatch(cleaned)
    if match is not None:
        return date(int(match[1]), int(match[2]), int(match[3]))
    try:
        return parse_wareki_date(cleaned)
    except ValueError:
        if not by_hand:
            raise
    match = _SHORT_YEAR.fullmatch(cleaned)
    if match is not None:
        return date(_REIWA_OFFSET + int(match[1]), int(match[2]), int(match[3]))
    match = _EIGHT_DIGITS.fullmatch(cleaned)
    if match is not None:
        return date(int(match[1]), int(match[2]), int(match[3]))
    match = _MONTH_DAY.fullmatch(cleaned)
    if match is not None:
        return date((today or date.today()).year, int(match[1]), int(match[2]))
    raise ValueError(f"not a date: {text!r}")
