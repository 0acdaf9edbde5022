"""「目標に届いていないクラブ」: the clubs furthest behind their KPI targets of one 年度."""

from __future__ import annotations

from datetime import date

from kankei_desktop.core.figures.compute import FigureSet
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.ui.pages.dashboard.loading import DashboardData


def behind_lines(data: DashboardData, today: date, shown: int) -> list[str]:
    """One line per club behind the share of its targets the year gone by asks for, the
    furthest behind first, at most ``shown`` and then a count of the others."""
    if data.fiscal_year is None:
        return []
    start, end = fiscal_year_range(data.fiscal_year)
    # Share of the year gone by: a club is behind when it is below that share of its target.
    elapsed = 1.0 if today > end else max(0.0, (today - start).days / (end - start).days)
    names = data.club_names
    behind: list[tuple[float, str, str]] = []
    for target in data.targets:
        if target.club_id not in names:
            continue
        actual = data.figures.by_club.get(target.club_id, FigureSet())
        gaps, worst = [], 1.0
        for caption, wanted, got in (
            (_("sessions"), target.target_meetings, actual.meetings_held),
            (_("person-times"), target.target_person_times, actual.person_times),
            (_("unique persons"), target.target_unique_persons, actual.unique_persons),
        ):
            if wanted and got < wanted * elapsed:
                gaps.append(_("{what} {got}/{wanted}").format(
                    what=caption, got=got, wanted=wanted))
                worst = min(worst, got / (wanted * elapsed))
        if gaps:
            behind.append((worst, names[target.club_id], f"{names[target.club_id]}: "
                           + "、".join(gaps)))
    behind.sort(key=lambda item: (item[0], item[1]))
    lines = [line for _worst, _name, line in behind[:shown]]
    if len(behind) > shown:
        lines.append(_("… and {count} more clubs behind their targets.").format(
            count=len(behind) - shown))
    return lines
