"""What the dashboard shows, read through the services in one go (runs in a worker thread)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from kankei_desktop.core.figures.compute import FigureFilter, Figures
from kankei_desktop.core.japan.fiscal import current_fiscal_year, fiscal_year_of
from kankei_desktop.core.models import Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.kpis import KpiResult
from kankei_desktop.core.vocabulary import MeetingStatus

UPCOMING = 10


@dataclass
class DashboardData:
    """Plain values for one fiscal year (no open session, no widgets)."""

    fiscal_year: int
    earliest: int
    figures: Figures
    upcoming: list[Meeting] = field(default_factory=list)
    kpis: list[KpiResult] = field(default_factory=list)
    """Every KPI of the year (programme and clubs) with its actual (never tag-filtered)."""
    club_names: dict[uuid.UUID, str] = field(default_factory=dict)
    tags: list[tuple[uuid.UUID, str]] = field(default_factory=list)


def load_dashboard(services: Services, fiscal_year: int,
                   tag_id: uuid.UUID | None = None) -> DashboardData:
    """Read the figures (within the tag filter), next sessions and KPIs of ``fiscal_year``."""
    first = services.meetings.find(limit=1)
    earliest = fiscal_year_of(first[0].date) if first else current_fiscal_year()
    figures = services.figures.fiscal_year(fiscal_year, FigureFilter(tag_id=tag_id))
    upcoming = services.meetings.find(
        date_from=date.today(), status=MeetingStatus.PLANNED.value, limit=UPCOMING)
    kpis = services.kpis.results(fiscal_year,
                                 year_figures=figures if tag_id is None else None)
    names = services.clubs.names({m.club_id for m in upcoming})
    tags = [(tag.id, tag.name) for tag in services.tags.find()]
    return DashboardData(fiscal_year, earliest, figures, upcoming, kpis, names, tags)
