"""Formatting shared by the documents and the Excel export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from kankei_desktop.core.figures.compute import FigureSet
from kankei_desktop.core.i18n import N_, _, current_language
from kankei_desktop.core.japan.wareki import format_wareki_date, format_wareki_year_month
from kankei_desktop.core.vocabulary import (
    ClubStage,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    PersonCategory,
    label,
)
from kankei_desktop.reports.cells import Column, Kind
from kankei_desktop.reports.settings import DATE_WESTERN

#: The figures every table shows, in the order of the forms.
FIGURE_FIELDS: tuple[tuple[str, str], ...] = (
    ("meetings_held", N_("Sessions held")),
    ("meetings_online", N_("of which online")),
    ("online_rate", N_("Online rate")),
    ("person_times", N_("Participants (person-times)")),
    ("unique_persons", N_("Participants (unique)")),
    ("first_time_persons", N_("New participants")),
)
ATTENDANCE_FIELDS = FIGURE_FIELDS[3:]
#: The same figures as column headers of narrow numeric columns: ``\n`` marks where a header
#: may break when the column is too narrow for one line (never inside a word).
FIGURE_HEADERS: dict[str, str] = {
    "meetings_held": N_("Sessions\nheld"),
    "meetings_online": N_("of which\nonline"),
    "online_rate": N_("Online\nrate"),
    "person_times": N_("Participants\n(person-times)"),
    "unique_persons": N_("Participants\n(unique)"),
    "first_time_persons": N_("New\nparticipants"),
    "attendance_rate": N_("Attendance\nrate"),
    "organizations": N_("Organisations\ntaking part"),
}


def figure_columns(fields: tuple[tuple[str, str], ...]) -> list[Column]:
    """Numeric columns for ``fields`` with headers that break only between words."""
    return [Column(_(FIGURE_HEADERS[name]), Kind.NUMBER) for name, _caption in fields]


def short_title(title: str, club_name: str) -> str:
    """A session's title without a leading repeat of its club's name (the list already
    names the club): 「舞鶴市ワーケーション研究会 第48回定例会」 → 「第48回定例会」."""
    if club_name and title.startswith(club_name) and title[len(club_name):].strip(" 　・:："):
        return title[len(club_name):].lstrip(" 　・:：")
    return title


def session_place(place: str, tool: str, url: str, *, with_url: bool = False) -> str:
    """Where a session takes place: the place, the online tool (or the URL), both for a
    hybrid session (「舞鶴市交流センター／Zoom」); ``with_url`` adds the URL on a line of its
    own; 「-」 when nothing is recorded."""
    where = "／".join(part for part in (place.strip(), (tool or ("" if with_url else url))
                                        .strip()) if part)
    if with_url and url.strip():
        where = f"{where}\n{url.strip()}" if where else url.strip()
    return where or "-"
#: The figures shown for a whole period (and per 年度) besides :data:`FIGURE_FIELDS`.
PERIOD_FIELDS: tuple[tuple[str, str], ...] = (
    ("attendance_rate", N_("Attendance rate")),
    ("organizations", N_("Organisations taking part")),
)
#: Figures that are rates (fractions; printed as percentages).
RATE_FIELDS = ("online_rate", "attendance_rate")


def figure_value(figures: FigureSet, name: str) -> int | float | None:
    """The raw value of one figure (a rate as a fraction or None)."""
    value: int | float | None = getattr(figures, name)
    return value


def format_figure(figures: FigureSet, name: str) -> str:
    """A figure as printed: counts plain, a rate as 「45.5%」 (「-」 when there is none)."""
    value = figure_value(figures, name)
    if name in RATE_FIELDS:
        return format_rate(value)
    return f"{value:,}"


def format_change(current: FigureSet, previous: FigureSet, name: str) -> str:
    """前年度比: a count's change in percent (「+12.5%」), a rate's in points (「+3.2pt」),
    「-」 when there is nothing to compare with."""
    now, before = figure_value(current, name), figure_value(previous, name)
    if now is None or before is None:
        return "-"
    if name in RATE_FIELDS:
        return f"{(now - before) * 100:+.1f}pt"
    if not before:
        return "-"
    return f"{(now - before) / before * 100:+.1f}%"


def format_rate(value: float | None) -> str:
    """A fraction as a percentage with one decimal, 「-」 for none."""
    return "-" if value is None else f"{value * 100:.1f}%"


def format_day(day: date, style: str) -> str:
    """「令和3年12月16日」, or the Western form when the setting says so."""
    if style == DATE_WESTERN:
        if current_language() == "ja":
            return f"{day.year}年{day.month}月{day.day}日"
        return day.isoformat()
    return format_wareki_date(day)


def format_month(year: int, month: int, style: str) -> str:
    """「令和3年4月」 or 「2021年4月」."""
    if style == DATE_WESTERN:
        return f"{year}年{month}月" if current_language() == "ja" else f"{year}-{month:02d}"
    return format_wareki_year_month(year, month)


def format_times(start: time | None, end: time | None) -> str:
    """「10:00〜12:00」, 「10:00〜」 or empty."""
    if start is None:
        return ""
    text = start.strftime("%H:%M") + "〜"
    if end is not None:
        text += end.strftime("%H:%M")
    return text


def _vocabulary_label(kind: type[MeetingFormat] | type[MeetingKind] | type[MeetingStatus]
                      | type[PersonCategory] | type[ClubStage]) -> Callable[[str], str]:
    def convert(value: str) -> str:
        try:
            return label(kind(value))
        except ValueError:
            return value
    return convert


format_label = _vocabulary_label(MeetingFormat)
kind_label = _vocabulary_label(MeetingKind)
status_label = _vocabulary_label(MeetingStatus)
category_label = _vocabulary_label(PersonCategory)
stage_label = _vocabulary_label(ClubStage)


@dataclass(frozen=True)
class FigureValue:
    """One figure a document showed: a stable key, the label as printed, the value."""

    key: str
    label: str
    value: int | float | None


def figure_values(prefix: str, title: str, figures: FigureSet,
                  fields: tuple[tuple[str, str], ...] = FIGURE_FIELDS) -> list[FigureValue]:
    """The figures of one table row as :class:`FigureValue`."""
    values = []
    for name, caption in fields:
        value = figure_value(figures, name)
        if isinstance(value, float):
            value = round(value, 6)
        values.append(FigureValue(f"{prefix}.{name}", f"{title} {_(caption)}".strip(), value))
    return values


def achievement(actual: int, target: int | None) -> str:
    """達成率 as a percentage, 「-」 without a target."""
    if not target:
        return "-"
    return f"{actual / target * 100:.1f}%"
