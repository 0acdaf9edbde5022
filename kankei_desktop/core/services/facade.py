"""One object that hands the UI and the CLI every service of an open file."""

from __future__ import annotations

import uuid
from datetime import date

from kankei_desktop.core.figures import drilldown
from kankei_desktop.core.figures.compute import (
    FigureFilter,
    Figures,
    fiscal_year_figures,
    period_figures,
)
from kankei_desktop.core.services.areas import AreaService
from kankei_desktop.core.services.attendance import AttendanceService
from kankei_desktop.core.services.calendar import CalendarService
from kankei_desktop.core.services.clubs import ClubService
from kankei_desktop.core.services.context import ServiceContext
from kankei_desktop.core.services.furusato import FurusatoService
from kankei_desktop.core.services.history import HistoryService
from kankei_desktop.core.services.interactions import InteractionService
from kankei_desktop.core.services.kpis import KpiService
from kankei_desktop.core.services.matchings import MatchingService
from kankei_desktop.core.services.meetings import MeetingService
from kankei_desktop.core.services.organizations import OrganizationService
from kankei_desktop.core.services.people import PersonService
from kankei_desktop.core.services.registrations import RegistrationService
from kankei_desktop.core.services.stages import StageService
from kankei_desktop.core.services.surveys import SurveyService
from kankei_desktop.core.services.tags import TagService
from kankei_desktop.core.storage.database import Database
from kankei_desktop.core.surveys import kpi as survey_kpi


class FigureService:
    """The programme's figures (:mod:`kankei_desktop.core.figures`). Reading them never
    writes: the kept tables they read are filled by every write (their triggers), by bulk
    imports and by the migration that created them."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def fiscal_year(self, fiscal_year: int, figure_filter: FigureFilter | None = None) -> Figures:
        """Figures for one 年度."""
        with self._ctx.reading() as session:
            return fiscal_year_figures(session, fiscal_year, figure_filter)

    def period(
        self, date_from: date, date_to: date, figure_filter: FigureFilter | None = None
    ) -> Figures:
        """Figures for an inclusive date range."""
        with self._ctx.reading() as session:
            return period_figures(session, date_from, date_to, figure_filter)

    def held_attendance(self, date_from: date, date_to: date,
                        figure_filter: FigureFilter | None = None
                        ) -> drilldown.HeldAttendance:
        """Who attended which session behind 延べ人数 (the drill-down)."""
        with self._ctx.reading() as session:
            return drilldown.held_attendance(session, date_from, date_to, figure_filter)

    def times_per_year(self, person_id: uuid.UUID) -> dict[int, int]:
        """How often one person counts in the figures, per 年度."""
        with self._ctx.reading() as session:
            return drilldown.times_per_year(session, person_id)

    def first_time_people(self, date_from: date, date_to: date,
                          figure_filter: FigureFilter | None = None) -> set[uuid.UUID]:
        """The people counted as 新規 in the period and filter."""
        with self._ctx.reading() as session:
            return drilldown.first_time_people(session, date_from, date_to, figure_filter)


class Services:
    """All services of one open database file."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.context = ServiceContext(database)
        self.organizations = OrganizationService(self.context)
        self.people = PersonService(self.context)
        self.clubs = ClubService(self.context)
        self.meetings = MeetingService(self.context)
        self.attendance = AttendanceService(self.context, self.people)
        self.calendar = CalendarService(self.context)
        self.interactions = InteractionService(self.context)
        self.figures = FigureService(self.context)
        self.history = HistoryService(self.context)
        self.areas = AreaService(self.context, self.organizations)
        self.surveys = SurveyService(self.context)  # surveys (issue 19)
        survey_kpi.register()  # a KPI's survey score comes from the surveys
        # outcomes (issue 17)
        self.matchings = MatchingService(self.context)
        self.stages = StageService(self.context)
        self.kpis = KpiService(self.context)
        self.tags = TagService(self.context)
        self.registrations = RegistrationService(self.context)  # ふるさと住民登録 (issue 20)
        self.furusato = FurusatoService(self.context)
