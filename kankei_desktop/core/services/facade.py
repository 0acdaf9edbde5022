"""One object that hands the UI and the CLI every service of an open file."""

from __future__ import annotations

from datetime import date

from kankei_desktop.core.figures.cache import cache_key, cached_figures
from kankei_desktop.core.figures.compute import (
    FigureFilter,
    Figures,
    fiscal_year_figures,
    period_figures,
)
from kankei_desktop.core.figures.kept import fill_year, year_is_kept
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.services.clubs import ClubService
from kankei_desktop.core.services.context import ServiceContext
from kankei_desktop.core.services.interactions import InteractionService
from kankei_desktop.core.services.meetings import MeetingService
from kankei_desktop.core.services.organizations import OrganizationService
from kankei_desktop.core.services.people import PersonService
from kankei_desktop.core.storage.database import Database


class FigureService:
    """The programme's figures (see :mod:`kankei_desktop.core.figures.compute`)."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def fiscal_year(self, fiscal_year: int, figure_filter: FigureFilter | None = None) -> Figures:
        """Figures for one 年度."""
        flt = figure_filter or FigureFilter()
        start, end = fiscal_year_range(fiscal_year)
        return cached_figures(
            self._ctx.reading, self._ctx.transaction, cache_key(start, end, fiscal_year, flt),
            lambda session: fiscal_year_figures(session, fiscal_year, flt),
            prepare=(lambda: self._keep_year(fiscal_year)) if flt.whole_programme else None)

    def _keep_year(self, fiscal_year: int) -> None:
        """Fill the kept tables for ``fiscal_year`` once; the write lock is taken only then."""
        with self._ctx.reading() as session:
            if year_is_kept(session, fiscal_year):
                return
        with self._ctx.transaction() as session:
            fill_year(session, fiscal_year)

    def period(
        self, date_from: date, date_to: date, figure_filter: FigureFilter | None = None
    ) -> Figures:
        """Figures for an inclusive date range."""
        flt = figure_filter or FigureFilter()
        return cached_figures(
            self._ctx.reading, self._ctx.transaction, cache_key(date_from, date_to, None, flt),
            lambda session: period_figures(session, date_from, date_to, flt))


class Services:
    """All services of one open database file."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.context = ServiceContext(database)
        self.organizations = OrganizationService(self.context)
        self.people = PersonService(self.context)
        self.clubs = ClubService(self.context)
        self.meetings = MeetingService(self.context)
        self.interactions = InteractionService(self.context)
        self.figures = FigureService(self.context)
