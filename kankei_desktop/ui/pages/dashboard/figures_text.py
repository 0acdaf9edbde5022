"""What the dashboard's cards and charts say: captions, definitions, values, comparisons."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale

from kankei_desktop.core.figures.compute import FigureSet
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.i18n import _, current_language
from kankei_desktop.core.japan.wareki import era_of, format_fiscal_year

#: Cards whose values are rates (compared in points, not percent).
RATES = ("online_rate", "attendance_rate")


def card_definitions() -> list[tuple[str, str, str]]:
    """``(key, caption, definition)`` of the figure cards (core/figures/rule.py)."""
    return [
        ("meetings_held", _("Sessions held"),
         _("Sessions with the status 'held' in the chosen period.")),
        ("online_rate", _("Online rate"),
         _("Held sessions that were online or hybrid, divided by all held sessions. Empty "
           "when nothing was held.")),
        ("person_times", _("Person-times (total attendances)"),
         _("Every 'attended' mark on a held session counts once: one person at three "
           "sessions counts three.")),
        ("unique_persons", _("Unique persons"),
         _("Different people among those attendances: one person at three sessions counts "
           "once, even over several years.")),
        ("first_time_persons", _("First-time participants"),
         _("People whose first attended session ever falls in the chosen period.")),
        ("attendance_rate", _("Attendance rate"),
         _("Attended, divided by everyone recorded as attended, absent or excused on the "
           "held sessions. Empty when nobody was recorded.")),
        ("organizations", _("Organisations taking part"),
         _("Different organisations of the people who attended; people without an "
           "organisation are not counted.")),
    ]


def month_label(month: int) -> str:
    """「4月」 in Japanese, "Apr" in English (Qt's locale data, no catalog needed)."""
    language = QLocale.Language.Japanese if current_language() == "ja" else QLocale.Language.English
    return QLocale(language).monthName(month, QLocale.FormatType.ShortFormat)


def format_rate(rate: float | None) -> str:
    """「87.5%」 or 「—」."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _value(total: FigureSet, key: str) -> int | float | None:
    value: int | float | None = getattr(total, key)
    return value


def card_text(total: FigureSet, key: str) -> str:
    """What a card shows for ``key``."""
    if key in RATES:
        return format_rate(_value(total, key))
    return f"{_value(total, key):,}"


def comparison_name(period: Period) -> str:
    """「前年度比」 for one 年度, 「前の3年度比」 for several, 「前期間比」 for dates."""
    years = period.whole_fiscal_years
    if years is None:
        return _("vs. the period before")
    if years[0] == years[1]:
        return _("vs. the previous year")
    return _("vs. the {count} years before").format(count=years[1] - years[0] + 1)


def comparison(current: FigureSet, previous: FigureSet, key: str, period: Period
               ) -> tuple[str, str]:
    """(The card's second line, its tooltip): 「前年度比 +12.5%」 and what it compares with."""
    now, before = _value(current, key), _value(previous, key)
    shown_before = card_text(previous, key)
    detail = _("{period}: {value}").format(period=period.previous().label(),
                                          value=shown_before)
    name = comparison_name(period)
    if now is None or before is None:
        return f"{name} —", detail
    if key in RATES:
        return f"{name} {(now - before) * 100:+.1f}pt", detail
    if not before:
        return f"{name} —", detail
    return f"{name} {(now - before) / before * 100:+.1f}%", detail


def year_label(year: int, *, short: bool = False) -> str:
    """A bar of the per-年度 chart: 「令和3年度」, or 「R3」 where many bars share the width
    (FY2019 is R1, as 「令和元年度」)."""
    if not short:
        return format_fiscal_year(year)
    era = era_of(date(year, 5 if year == 2019 else 4, 1))
    return f"{era.letter}{year - era.start.year + 1}"
