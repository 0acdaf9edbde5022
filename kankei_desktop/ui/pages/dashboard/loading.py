"""What the dashboard shows, read through the services in one go (runs in a worker thread)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from kankei_desktop.core.figures.compute import Figures
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.figures.scope import FigureFilter
from kankei_desktop.core.japan.fiscal import current_fiscal_year, fiscal_year_of
from kankei_desktop.core.models import KpiTarget, Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.areas import Area
from kankei_desktop.core.vocabulary import MeetingStatus

UPCOMING = 10


@dataclass
class DashboardData:
    """Plain values for one period and scope (no open session, no widgets)."""

    period: Period
    figure_filter: FigureFilter
    earliest: int
    latest: int
    figures: Figures
    previous: Figures
    """The period of the same length just before (前年度比), same scope."""
    upcoming: list[Meeting] = field(default_factory=list)
    targets: list[KpiTarget] = field(default_factory=list)
    """KPI targets of the clubs in scope (one 年度 chosen; none otherwise)."""
    club_names: dict[uuid.UUID, str] = field(default_factory=dict)
    areas: list[Area] = field(default_factory=list)
    clubs: list[tuple[uuid.UUID, str]] = field(default_factory=list)

    @property
    def fiscal_year(self) -> int | None:
        """The 年度 when exactly one is shown."""
        return self.period.single_fiscal_year


def load_dashboard(services: Services, period: Period | int,
                   figure_filter: FigureFilter | None = None) -> DashboardData:
    """Read the figures of ``period`` and the period before it for the scope, the next
    sessions, the KPI targets and the scopes on offer."""
    if isinstance(period, int):
        period = Period.fiscal_year(period)
    flt = figure_filter or FigureFilter()
    first = services.meetings.find(limit=1)
    last = services.meetings.find(limit=1, newest_first=True)
    earliest = fiscal_year_of(first[0].date) if first else current_fiscal_year()
    latest = max(fiscal_year_of(last[0].date) if last else 0, current_fiscal_year() + 1)
    figures = services.figures.period(period.start, period.end, flt)
    before = period.previous()
    previous = services.figures.period(before.start, before.end, flt)
    upcoming = services.meetings.find(
        date_from=date.today(), status=MeetingStatus.PLANNED.value, limit=UPCOMING)
    targets: list[KpiTarget] = []
    if period.single_fiscal_year is not None:
        targets = services.clubs.targets(fiscal_year=period.single_fiscal_year)
        if not flt.whole_programme:
            inside = services.areas.clubs_in(flt)
            targets = [target for target in targets if target.club_id in inside]
    clubs = [(club.id, club.name) for club in services.clubs.find()]
    names = services.clubs.names(
        {m.club_id for m in upcoming} | {t.club_id for t in targets})
    return DashboardData(period, flt, earliest, latest, figures, previous, upcoming, targets,
                         names, services.areas.hosting(), clubs)
