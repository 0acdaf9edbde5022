"""What the dashboard shows, read through the services in one go (runs in a worker thread)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from kankei_desktop.core.figures.compute import Figures
from kankei_desktop.core.japan.fiscal import current_fiscal_year, fiscal_year_of
from kankei_desktop.core.models import Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.kpis import TargetSet
from kankei_desktop.core.vocabulary import MeetingStatus

UPCOMING = 10


@dataclass
class DashboardData:
    """Plain values for one fiscal year (no open session, no widgets)."""

    fiscal_year: int
    earliest: int
    figures: Figures
    upcoming: list[Meeting] = field(default_factory=list)
    targets: list[TargetSet] = field(default_factory=list)
    club_names: dict[uuid.UUID, str] = field(default_factory=dict)


def load_dashboard(services: Services, fiscal_year: int) -> DashboardData:
    """Read the figures, next sessions and KPI targets of ``fiscal_year``."""
    first = services.meetings.find(limit=1)
    earliest = fiscal_year_of(first[0].date) if first else current_fiscal_year()
    figures = services.figures.fiscal_year(fiscal_year)
    upcoming = services.meetings.find(
        date_from=date.today(), status=MeetingStatus.PLANNED.value, limit=UPCOMING)
    targets = services.clubs.targets(fiscal_year=fiscal_year)
    names = services.clubs.names(
        {m.club_id for m in upcoming} | {t.club_id for t in targets})
    return DashboardData(fiscal_year, earliest, figures, upcoming, targets, names)
