"""What the dashboard shows, read through the services in one go (runs in a worker thread)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date

from kankei_desktop.core.figures.compute import Figures
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.figures.scope import FigureFilter
from kankei_desktop.core.japan.fiscal import current_fiscal_year, fiscal_year_of
from kankei_desktop.core.models import Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.areas import Area
from kankei_desktop.core.services.kpis import KpiResult
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
    kpis: list[KpiResult] = field(default_factory=list)
    """Every KPI of the one 年度 shown (programme and clubs, or the clubs in scope) with its
    actual (never tag-filtered); none for longer periods."""
    club_names: dict[uuid.UUID, str] = field(default_factory=dict)
    areas: list[Area] = field(default_factory=list)
    clubs: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    tags: list[tuple[uuid.UUID, str]] = field(default_factory=list)

    @property
    def fiscal_year(self) -> int | None:
        """The 年度 when exactly one is shown."""
        return self.period.single_fiscal_year


def load_dashboard(services: Services, period: Period | int,
                   figure_filter: FigureFilter | None = None) -> DashboardData:
    """Read the figures of ``period`` and the period before it for the scope and tag, the
    next sessions, the KPIs and the scopes and tags on offer."""
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
    kpis: list[KpiResult] = []
    year = period.single_fiscal_year
    if year is not None:
        unfiltered = flt == FigureFilter()
        scope = replace(flt, tag_id=None, category=None)
        if scope.whole_programme:
            kpis = services.kpis.results(year, year_figures=figures if unfiltered else None)
        else:  # the clubs in scope; the programme's own KPIs speak for the whole programme
            kpis = services.kpis.results(year, club_ids=services.areas.clubs_in(scope))
            kpis = [result for result in kpis if result.kpi.club_id is not None]
    clubs = [(club.id, club.name) for club in services.clubs.find()]
    names = services.clubs.names({m.club_id for m in upcoming})
    tags = [(tag.id, tag.name) for tag in services.tags.find()]
    return DashboardData(period, flt, earliest, latest, figures, previous, upcoming, kpis,
                         names, services.areas.hosting(), clubs, tags)
