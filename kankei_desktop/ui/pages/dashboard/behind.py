"""「目標に届いていない指標」: the KPIs of one 年度 furthest behind their targets, by scope."""

from __future__ import annotations

from datetime import date

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.ui.pages.dashboard.loading import DashboardData
from kankei_desktop.ui.pages.kpis.kpi_list import kpi_texts


def behind_lines(data: DashboardData, today: date, shown: int) -> list[str]:
    """One line per scope (a club, or the whole programme) with its KPIs behind the share of
    their targets the year gone by asks for (actual/target and 達成率), the furthest behind
    first, at most ``shown`` and then a count of the others."""
    if data.fiscal_year is None:
        return []
    start, end = fiscal_year_range(data.fiscal_year)
    # Share of the year gone by: a KPI is behind when below that share of its target.
    elapsed = 1.0 if today > end else max(0.0, (today - start).days / (end - start).days)
    gaps: dict[str, list[str]] = {}
    worst: dict[str, float] = {}
    for result in data.kpis:
        if result.target is None or result.actual is None or result.target <= 0:
            continue  # nothing to compare (no target, or no survey score yet)
        expected = float(result.target) * elapsed
        got = float(result.actual)
        if got >= expected:
            continue
        scope = result.club_name or _("Whole programme")
        target, actual, rate = kpi_texts(result)
        gaps.setdefault(scope, []).append(_("{what} {got}/{wanted} ({rate})").format(
            what=result.name, got=actual, wanted=target, rate=rate))
        worst[scope] = min(worst.get(scope, 1.0), got / expected if expected else 0.0)
    behind = sorted(gaps, key=lambda scope: (worst[scope], scope))
    lines = [f"{scope}: " + "、".join(gaps[scope]) for scope in behind[:shown]]
    if len(behind) > shown:
        lines.append(_("… and {count} more clubs behind their targets.").format(
            count=len(behind) - shown))
    return lines
