"""What the documents show, read from the file (no layout here).

Every figure comes from ``services.figures`` so a report equals the dashboard and
``kankei stats``; the per-session counts and the participants come from the figures'
drill-down (:mod:`kankei_desktop.core.figures.drilldown`), so the counting rule is the
figures' own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time

from sqlalchemy import select

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.figures import rule
from kankei_desktop.core.figures.compute import FigureFilter, Figures, FigureSet
from kankei_desktop.core.figures.drilldown import rows_per_meeting
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.figures.scope import club_scope
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import display_name
from kankei_desktop.core.models import (
    Club,
    KpiTarget,
    Meeting,
    Membership,
    Organization,
    Person,
)
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.areas import Area
from kankei_desktop.core.services.context import live
from kankei_desktop.core.surveys.results import SurveyResults
from kankei_desktop.reports.settings import ReportTexts, load_texts


@dataclass(frozen=True)
class SessionRow:
    """One session as the reports list it."""

    id: uuid.UUID
    date: date
    start_time: time | None
    end_time: time | None
    club_id: uuid.UUID
    club_name: str
    title: str
    kind: str
    format: str
    status: str
    place: str
    url: str
    tool: str
    attended: int


@dataclass(frozen=True)
class ClubRow:
    """A club in scope with its host municipality's name and local government code."""

    id: uuid.UUID
    name: str
    host: str
    stage: str
    host_code: str = ""


@dataclass(frozen=True)
class TargetRow:
    """One club's KPI targets for one year."""

    club_id: uuid.UUID
    club_name: str
    meetings: int | None
    person_times: int | None
    unique_persons: int | None
    notes: str
    fiscal_year: int = 0


@dataclass
class AnnualData:
    """Everything the 実績報告書 of a period shows: one 年度, several, or any range of days."""

    fiscal_year: int | None
    """The 年度 when the period is exactly one, else None."""
    municipality_name: str
    """The municipality or prefecture the report is limited to ('' for the whole programme)."""
    municipality_id: uuid.UUID | None
    figures: Figures
    by_category: dict[str, FigureSet]
    clubs: list[ClubRow]
    sessions: list[SessionRow]
    targets: list[TargetRow]
    texts: ReportTexts
    period: Period
    hosts: list[str] = field(default_factory=list)
    surveys: SurveyResults | None = None  # surveys (issue 19)
    figure_filter: FigureFilter = field(default_factory=FigureFilter)
    previous: Figures | None = None
    """One 年度: the 年度 before it, same scope (shown beside it)."""
    year_figures: dict[int, Figures] = field(default_factory=dict)
    """Several 年度: each year's figures where KPI targets need them."""
    organisation_names: dict[uuid.UUID, str] = field(default_factory=dict)
    """Names of the organisations that took part."""

    def organisations(self) -> list[tuple[str, FigureSet]]:
        """The organisations that took part with their figures, most people first."""
        return sorted(((self.organisation_names.get(key, ""), cell)
                       for key, cell in self.figures.by_organization.items()),
                      key=lambda item: (-item[1].unique_persons, -item[1].person_times,
                                        item[0]))

    @property
    def several_years(self) -> bool:
        """The period reaches over more than one 年度."""
        return len(self.figures.by_fiscal_year) > 1

    def club_cell(self, club_id: uuid.UUID, fiscal_year: int) -> FigureSet | None:
        """A club's figures in one 年度 of the period (KPI actuals)."""
        figures = self.figures if self.fiscal_year == fiscal_year else \
            self.year_figures.get(fiscal_year)
        return figures.by_club.get(club_id) if figures is not None else None


class ReportInputError(KankeiError):
    """The user asked for a report of something that is not in the file."""


def resolve_club(services: Services, name: str) -> Club:
    """The live club called ``name``."""
    club = services.clubs.find_by_name(name)
    if club is None:
        raise ReportInputError(_("There is no club called '{name}' in this file. 'kankei list "
                                 "clubs' shows the names.").format(name=name))
    return club


def resolve_meeting(services: Services, text: str) -> Meeting:
    """The live session whose id is ``text`` (a UUID, with or without dashes)."""
    try:
        meeting_id = uuid.UUID(text.strip())
    except ValueError:
        raise ReportInputError(_("'{id}' is not a session id; give the id (a UUID such as "
                                 "3f2b…) of the session.").format(id=text)) from None
    with services.context.reading() as session:
        meeting = session.get(Meeting, meeting_id)
        club = session.get(Club, meeting.club_id) if meeting is not None else None
        if meeting is None or meeting.deleted_at is not None or club is None or \
                club.deleted_at is not None:
            raise ReportInputError(_("There is no session with the id {id} in this file.")
                                   .format(id=meeting_id))
        return meeting


def clubs_in_scope(services: Services, municipality_id: uuid.UUID | None = None,
                   club_id: uuid.UUID | None = None,
                   figure_filter: FigureFilter | None = None) -> list[ClubRow]:
    """Live clubs (of one host municipality or prefecture, or one club) in 50音順."""
    query = (select(Club.id, Club.name, Organization.name, Club.stage, Organization.lgcode)
             .outerjoin(Organization, Organization.id == Club.host_municipality_id)
             .where(live(Club), *club_scope(figure_filter or FigureFilter(
                 club_id=club_id, municipality_id=municipality_id)))
             .order_by(Club.sort_key, Club.id))
    with services.context.reading() as session:
        return [ClubRow(row[0], row[1], row[2] or "", row[3], row[4] or "")
                for row in session.execute(query)]


def sessions_in(services: Services, date_from: date, date_to: date, *,
                municipality_id: uuid.UUID | None = None, club_id: uuid.UUID | None = None,
                held_only: bool = True,
                figure_filter: FigureFilter | None = None) -> list[SessionRow]:
    """Sessions in the period with their counted attendance (延べ per session: 0 for a session
    that does not count, such as a planned or cancelled one)."""
    query = (
        select(Meeting.id, Meeting.date, Meeting.start_time, Meeting.end_time, Meeting.club_id,
               Club.name, Meeting.title, Meeting.kind, Meeting.format, Meeting.status,
               Meeting.place, Meeting.url, Meeting.tool)
        .join(Club, Club.id == Meeting.club_id)
        .where(Meeting.date >= date_from, Meeting.date <= date_to, live(Meeting), live(Club))
        .order_by(Meeting.date, Meeting.start_time, Club.sort_key, Meeting.id))
    if held_only:
        query = query.where(rule.meeting_counts(Meeting, Club))
    query = query.where(*club_scope(figure_filter or FigureFilter(
        club_id=club_id, municipality_id=municipality_id)))
    with services.context.reading() as session:
        counts = rows_per_meeting(session, date_from, date_to)
        return [SessionRow(*row, attended=counts.get(row[0], 0))  # type: ignore[call-arg]
                for row in session.execute(query)]


def targets_for(services: Services, fiscal_years: int | list[int], clubs: list[ClubRow]
                ) -> list[TargetRow]:
    """KPI targets of the clubs in scope for the year(s), by year then club order."""
    years = [fiscal_years] if isinstance(fiscal_years, int) else list(fiscal_years)
    names = {club.id: club.name for club in clubs}
    with services.context.reading() as session:
        rows = session.scalars(select(KpiTarget).where(
            live(KpiTarget), KpiTarget.fiscal_year.in_(years)))
        targets = [TargetRow(row.club_id, names[row.club_id], row.target_meetings,
                             row.target_person_times, row.target_unique_persons, row.notes,
                             row.fiscal_year)
                   for row in rows if row.club_id in names]
    order = {club.id: index for index, club in enumerate(clubs)}
    return sorted(targets, key=lambda row: (row.fiscal_year, order[row.club_id]))


def annual_data(services: Services, period: Period | int, area: Area | None = None
                ) -> AnnualData:
    """Gather the 実績報告書 of ``period`` (a 年度, several, or any days) for the whole
    programme or one municipality or prefecture (``area``)."""
    from kankei_desktop.core.vocabulary import PersonCategory

    if isinstance(period, int):
        period = Period.fiscal_year(period)
    flt = area.figure_filter if area is not None else FigureFilter()
    figures = services.figures.period(period.start, period.end, flt)
    # The category breakdown of the same computation: attendance figures per category
    # (meeting counts do not depend on the category and are not shown).
    by_category = {category.value: figures.by_category.get(category.value, FigureSet())
                   for category in PersonCategory}
    clubs = clubs_in_scope(services, figure_filter=flt)
    # 実施地域 in 全国地方公共団体コード order (prefecture by prefecture), as lists of
    # municipalities are printed; a host without a code after those with one.
    hosts = [host for _code, host in sorted({
        (club.host_code or "999999", club.host) for club in clubs
        if club.host and figures.by_club.get(club.id) is not None})]
    years = period.touched_fiscal_years
    targets = targets_for(services, years, clubs)
    single = period.single_fiscal_year
    previous = (services.figures.fiscal_year(single - 1, flt) if single is not None
                else None)
    year_figures = {} if single is not None else {
        year: services.figures.period(max(period.start, Period.fiscal_year(year).start),
                                      min(period.end, Period.fiscal_year(year).end), flt)
        for year in sorted({target.fiscal_year for target in targets})}
    return AnnualData(
        fiscal_year=single, municipality_name=area.name if area is not None else "",
        municipality_id=flt.municipality_id, figures=figures, by_category=by_category,
        clubs=clubs, sessions=sessions_in(services, period.start, period.end,
                                          figure_filter=flt),
        targets=targets, texts=load_texts(services, years[-1]), hosts=hosts, period=period,
        figure_filter=flt, previous=previous, year_figures=year_figures,
        organisation_names=services.organizations.names(set(figures.by_organization)),
        surveys=services.surveys.period_results(period.start, period.end, flt))


@dataclass(frozen=True)
class MemberRow:
    """A member as the club report and the 出席簿 print them (``sort_key``: 50音順)."""

    person_id: uuid.UUID
    name: str
    reading: str
    organisation: str
    category: str
    role: str
    joined_on: date | None
    sort_key: str = ""


def members_of(services: Services, club_id: uuid.UUID) -> list[MemberRow]:
    """Live members of a club in 50音順 with their organisations."""
    with services.context.reading() as session:
        rows = session.execute(
            select(Membership, Person, Organization.name)
            .join(Person, Person.id == Membership.person_id)
            .outerjoin(Organization, Organization.id == Person.organization_id)
            .where(Membership.club_id == club_id, live(Membership), live(Person))
            .order_by(Person.sort_key, Person.id))
        return [MemberRow(person.id, display_name(person.family_name, person.given_name),
                          display_name(person.family_reading, person.given_reading),
                          organisation or "", person.category, membership.role,
                          membership.joined_on, person.sort_key)
                for membership, person, organisation in rows]


def people_named(services: Services, ids: set[uuid.UUID]) -> dict[uuid.UUID, MemberRow]:
    """People by id with names, readings, organisations and sort keys (guests)."""
    if not ids:
        return {}
    with services.context.reading() as session:
        rows = session.execute(
            select(Person, Organization.name)
            .outerjoin(Organization, Organization.id == Person.organization_id)
            .where(Person.id.in_(ids), live(Person)))
        return {person.id: MemberRow(
            person.id, display_name(person.family_name, person.given_name),
            display_name(person.family_reading, person.given_reading), organisation or "",
            person.category, "", None, person.sort_key) for person, organisation in rows}


def in_name_order(rows: list[MemberRow]) -> list[MemberRow]:
    """``rows`` in 50音順: by the stored sort key (core's collation of the readings), never
    by the reading's characters, which would put every katakana reading after every
    hiragana one."""
    return sorted(rows, key=lambda row: (row.sort_key, row.person_id))
