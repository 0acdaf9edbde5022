"""ふるさと住民: the rules' settings, designating 担い手活動, the status list and the sessions
behind each count (issue 20; the rules are in :mod:`kankei_desktop.core.furusato`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from kankei_desktop.core.furusato import counting
from kankei_desktop.core.furusato.counting import DESIGNATED, Activity
from kankei_desktop.core.furusato.period import year_range
from kankei_desktop.core.furusato.scope import MunicipalityScope, scope_for
from kankei_desktop.core.furusato.settings import (
    FurusatoSettings,
    load_settings,
    save_settings,
)
from kankei_desktop.core.furusato.status import StatusReport, status_report
from kankei_desktop.core.models import Club, Meeting, Organization, Registration
from kankei_desktop.core.services.context import ServiceContext, get_row, live
from kankei_desktop.core.vocabulary import OrganizationKind


@dataclass(frozen=True)
class MunicipalityChoice:
    """A municipality the page offers: hosts of clubs and bodies with registrations."""

    id: uuid.UUID
    code: str
    name: str


class FurusatoService:
    """Use cases of the ふるさと住民 page and ``kankei furusato``."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context
        self._writes = context.writes

    # -- settings ------------------------------------------------------------------------

    def settings(self) -> FurusatoSettings:
        """The rules' numbers kept in this file (published defaults when never changed)."""
        with self._ctx.reading() as session:
            return load_settings(session)

    def save_settings(self, settings: FurusatoSettings) -> FurusatoSettings:
        """Keep new numbers (a :class:`ValidationError` when one is out of range)."""
        with self._ctx.transaction() as session:
            save_settings(session, settings)
        return settings

    def year_range(self, year: int) -> tuple[date, date]:
        """The period of ``year`` as the settings count it (年度 by default)."""
        return year_range(year, self.settings().period)

    # -- the status list -----------------------------------------------------------------

    def scope(self, code: str) -> MunicipalityScope:
        """The municipality with ``code`` (a :class:`ValidationError` for a bad code)."""
        with self._ctx.reading() as session:
            return scope_for(session, code)

    def status(self, code: str, date_from: date, date_to: date) -> StatusReport:
        """Who is registered with the municipality or attended its designated activities in
        the period, with their counts and premium eligibility."""
        with self._ctx.reading() as session:
            return status_report(session, code, date_from, date_to, load_settings(session))

    def activities(self, person_id: uuid.UUID, code: str, date_from: date, date_to: date
                   ) -> list[Activity]:
        """The designated sessions behind one person's count (the drill-down)."""
        with self._ctx.reading() as session:
            scope = scope_for(session, code)
            return counting.person_activities(session, person_id, scope.organization_ids,
                                              date_from, date_to)

    def sessions(self, code: str, date_from: date, date_to: date) -> list[Activity]:
        """The municipality's designated sessions held in the period."""
        with self._ctx.reading() as session:
            scope = scope_for(session, code)
            return counting.designated_sessions(session, scope.organization_ids, date_from,
                                                date_to)

    def municipalities(self) -> list[MunicipalityChoice]:
        """Municipalities that host a club or hold registrations, in code order."""
        hosts = select(Club.host_municipality_id).where(live(Club))
        registered = select(Registration.municipality_id).where(live(Registration))
        query = (select(Organization.id, Organization.lgcode, Organization.name)
                 .where(live(Organization), Organization.lgcode.is_not(None),
                        Organization.kind == OrganizationKind.MUNICIPALITY.value,
                        Organization.id.in_(hosts.union(registered)))
                 .order_by(Organization.lgcode))
        with self._ctx.reading() as session:
            return [MunicipalityChoice(row_id, code, name)
                    for row_id, code, name in session.execute(query) if code]

    # -- designating 担い手活動 ------------------------------------------------------------

    def designate(self, meeting_ids: list[uuid.UUID], designated: bool = True) -> int:
        """Mark sessions as 担い手活動 (or not); returns how many changed."""
        value = DESIGNATED if designated else 0
        changed = 0
        with self._ctx.transaction() as session:
            for meeting_id in meeting_ids:
                row = get_row(session, Meeting, meeting_id)
                changed += bool(self._writes.change(row, {"designated": value}))
        return changed

    def designate_series(self, series_id: uuid.UUID, designated: bool = True) -> int:
        """Every live session of a repeating series; returns how many changed."""
        with self._ctx.reading() as session:
            ids = list(session.scalars(select(Meeting.id).where(
                Meeting.series_id == series_id, live(Meeting))))
        return self.designate(ids, designated)

    def designate_club(self, club_id: uuid.UUID, designated: bool = True, *,
                       date_from: date | None = None) -> int:
        """Every live session of a club (from ``date_from`` on); returns how many changed."""
        query = select(Meeting.id).where(Meeting.club_id == club_id, live(Meeting))
        if date_from is not None:
            query = query.where(Meeting.date >= date_from)
        with self._ctx.reading() as session:
            ids = list(session.scalars(query))
        return self.designate(ids, designated)

    def designated_count(self, *, club_id: uuid.UUID | None = None,
                         series_id: uuid.UUID | None = None) -> tuple[int, int]:
        """(designated, all) live sessions of a club or a series."""
        query = select(func.count(), func.coalesce(func.sum(Meeting.designated), 0)).where(
            live(Meeting))
        if club_id is not None:
            query = query.where(Meeting.club_id == club_id)
        if series_id is not None:
            query = query.where(Meeting.series_id == series_id)
        with self._ctx.reading() as session:
            total, marked = session.execute(query).one()
        return int(marked), int(total)
