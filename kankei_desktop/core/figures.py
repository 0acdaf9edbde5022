"""The programme's figures: one implementation for the dashboard, the CLI and the reports.

Definitions (DESIGN.md), for a period and an optional filter:

- 開催回数 ``meetings_held``: live meetings with status ``held`` in the period.
- うちオンライン ``meetings_online``: those whose format is ``online`` or ``hybrid``.
- オンライン活用率 ``online_rate``: meetings_online / meetings_held (None when nothing held).
- 延べ人数 ``person_times``: live ``attended`` rows of live people on those meetings.
- 実人数 ``unique_persons``: distinct people among those rows.
- 新規 ``first_time_persons``: people whose first attended meeting *ever* (within the same
  filter: a club's newcomers are people new to that club) falls in the period.

Filters: ``club_id`` and ``municipality_id`` (the club's host municipality) restrict the
meetings; ``category`` restricts the people, so it changes the attendance figures but not
the meeting counts. Meetings of deleted clubs do not count.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from kankei_desktop.core.fiscal import fiscal_year_months, fiscal_year_range
from kankei_desktop.core.models import Attendance, Club, Meeting, Person
from kankei_desktop.core.vocabulary import (
    ONLINE_FORMATS,
    AttendanceStatus,
    MeetingStatus,
    PersonCategory,
)


@dataclass(frozen=True)
class FigureFilter:
    """Which meetings and people the figures cover (None = all)."""

    club_id: uuid.UUID | None = None
    municipality_id: uuid.UUID | None = None
    category: str | None = None


@dataclass
class FigureSet:
    """The five counts for one cell of a breakdown."""

    meetings_held: int = 0
    meetings_online: int = 0
    person_times: int = 0
    unique_persons: int = 0
    first_time_persons: int = 0

    @property
    def online_rate(self) -> float | None:
        """うちオンライン / 開催回数, or None when nothing was held."""
        if self.meetings_held == 0:
            return None
        return self.meetings_online / self.meetings_held


@dataclass
class Figures:
    """Figures for a period with their breakdowns."""

    date_from: date
    date_to: date
    fiscal_year: int | None
    total: FigureSet
    by_club: dict[uuid.UUID, FigureSet] = field(default_factory=dict)
    by_municipality: dict[uuid.UUID | None, FigureSet] = field(default_factory=dict)
    by_category: dict[str, FigureSet] = field(default_factory=dict)
    by_month: dict[tuple[int, int], FigureSet] = field(default_factory=dict)


def fiscal_year_figures(
    session: Session, fiscal_year: int, figure_filter: FigureFilter | None = None
) -> Figures:
    """Figures for 年度 ``fiscal_year`` (1 April to 31 March), all 12 months listed."""
    start, end = fiscal_year_range(fiscal_year)
    figures = period_figures(session, start, end, figure_filter)
    figures.fiscal_year = fiscal_year
    figures.by_month = {
        month: figures.by_month.get(month, FigureSet()) for month in fiscal_year_months(fiscal_year)
    }
    return figures


def period_figures(
    session: Session, date_from: date, date_to: date, figure_filter: FigureFilter | None = None
) -> Figures:
    """Figures for the inclusive period ``date_from`` … ``date_to``."""
    flt = figure_filter or FigureFilter()
    total = FigureSet()
    by_club: dict[uuid.UUID, FigureSet] = defaultdict(FigureSet)
    by_municipality: dict[uuid.UUID | None, FigureSet] = defaultdict(FigureSet)
    by_category: dict[str, FigureSet] = {category.value: FigureSet() for category in PersonCategory}
    by_month: dict[tuple[int, int], FigureSet] = defaultdict(FigureSet)
    host_of: dict[uuid.UUID, uuid.UUID | None] = {
        club_id: host for club_id, host in session.execute(
            select(Club.id, Club.host_municipality_id)
        )
    }

    _count_meetings(session, date_from, date_to, flt, total, by_club, by_municipality, by_month,
                    host_of)

    in_period = [*_meeting_conditions(flt), Meeting.date >= date_from, Meeting.date <= date_to]
    rows = session.execute(
        select(Attendance.person_id, Meeting.club_id, Meeting.date, Person.category)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Club, Club.id == Meeting.club_id)
        .join(Person, Person.id == Attendance.person_id)
        .where(*_attendance_conditions(flt), *in_period)
    )
    people: set[uuid.UUID] = set()
    people_by: dict[tuple[str, object], set[uuid.UUID]] = defaultdict(set)
    category_of: dict[uuid.UUID, str] = {}
    for person_id, club_id, day, category in rows:
        month = (day.year, day.month)
        municipality = host_of.get(club_id)
        total.person_times += 1
        by_club[club_id].person_times += 1
        by_municipality[municipality].person_times += 1
        by_month[month].person_times += 1
        by_category.setdefault(category, FigureSet()).person_times += 1
        people.add(person_id)
        people_by[("club", club_id)].add(person_id)
        people_by[("municipality", municipality)].add(person_id)
        people_by[("month", month)].add(person_id)
        category_of[person_id] = category
    total.unique_persons = len(people)
    for (kind, key), members in people_by.items():
        if kind == "club":
            by_club[key].unique_persons = len(members)  # type: ignore[index]
        elif kind == "municipality":
            by_municipality[key].unique_persons = len(members)  # type: ignore[index]
        else:
            by_month[key].unique_persons = len(members)  # type: ignore[index]
    for category in category_of.values():
        by_category[category].unique_persons += 1

    _count_first_times(session, date_from, date_to, flt, people, category_of, total, by_club,
                       by_municipality, by_category, by_month, host_of)
    return Figures(
        date_from=date_from,
        date_to=date_to,
        fiscal_year=None,
        total=total,
        by_club=dict(by_club),
        by_municipality=dict(by_municipality),
        by_category=by_category,
        by_month=dict(by_month),
    )


def _meeting_conditions(flt: FigureFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Meeting.status == MeetingStatus.HELD.value,
        Meeting.deleted_at.is_(None),
        Club.deleted_at.is_(None),
    ]
    if flt.club_id is not None:
        conditions.append(Meeting.club_id == flt.club_id)
    if flt.municipality_id is not None:
        conditions.append(Club.host_municipality_id == flt.municipality_id)
    return conditions


def _attendance_conditions(flt: FigureFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Attendance.status == AttendanceStatus.ATTENDED.value,
        Attendance.deleted_at.is_(None),
        Person.deleted_at.is_(None),
    ]
    if flt.category is not None:
        conditions.append(Person.category == flt.category)
    return conditions


def _count_meetings(
    session: Session,
    date_from: date,
    date_to: date,
    flt: FigureFilter,
    total: FigureSet,
    by_club: dict[uuid.UUID, FigureSet],
    by_municipality: dict[uuid.UUID | None, FigureSet],
    by_month: dict[tuple[int, int], FigureSet],
    host_of: dict[uuid.UUID, uuid.UUID | None],
) -> None:
    online = Meeting.format.in_([value.value for value in ONLINE_FORMATS])
    rows = session.execute(
        select(Meeting.club_id, Meeting.date, online)
        .join(Club, Club.id == Meeting.club_id)
        .where(*_meeting_conditions(flt), Meeting.date >= date_from, Meeting.date <= date_to)
    )
    for club_id, day, is_online in rows:
        cells = (total, by_club[club_id], by_municipality[host_of.get(club_id)],
                 by_month[(day.year, day.month)])
        for cell in cells:
            cell.meetings_held += 1
            if is_online:
                cell.meetings_online += 1


def _count_first_times(
    session: Session,
    date_from: date,
    date_to: date,
    flt: FigureFilter,
    people: set[uuid.UUID],
    category_of: dict[uuid.UUID, str],
    total: FigureSet,
    by_club: dict[uuid.UUID, FigureSet],
    by_municipality: dict[uuid.UUID | None, FigureSet],
    by_category: dict[str, FigureSet],
    by_month: dict[tuple[int, int], FigureSet],
    host_of: dict[uuid.UUID, uuid.UUID | None],
) -> None:
    """新規: compare each person's first attendance (per club, within the filter) with the period.

    Only people who attended in the period can be newcomers, so the history is read for them
    alone, one (person, club) pair per row.
    """
    if not people:
        return
    first_dates = (
        select(Attendance.person_id, Meeting.club_id, func.min(Meeting.date))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Club, Club.id == Meeting.club_id)
        .join(Person, Person.id == Attendance.person_id)
        .where(
            *_attendance_conditions(flt),
            *_meeting_conditions(flt),
            Meeting.date <= date_to,
            and_(Attendance.person_id.in_(_period_people(date_from, date_to, flt))),
        )
        .group_by(Attendance.person_id, Meeting.club_id)
    )
    first_overall: dict[uuid.UUID, date] = {}
    first_by_municipality: dict[tuple[uuid.UUID, uuid.UUID | None], date] = {}
    for person_id, club_id, first in session.execute(first_dates):
        if date_from <= first:
            by_club[club_id].first_time_persons += 1
        if person_id not in first_overall or first < first_overall[person_id]:
            first_overall[person_id] = first
        key = (person_id, host_of.get(club_id))
        if key not in first_by_municipality or first < first_by_municipality[key]:
            first_by_municipality[key] = first
    for (_person, municipality), first in first_by_municipality.items():
        if date_from <= first:
            by_municipality[municipality].first_time_persons += 1
    for person_id, first in first_overall.items():
        if date_from <= first:
            total.first_time_persons += 1
            by_month[(first.year, first.month)].first_time_persons += 1
            by_category[category_of[person_id]].first_time_persons += 1


def _period_people(date_from: date, date_to: date, flt: FigureFilter) -> Select[uuid.UUID]:
    return (
        select(Attendance.person_id)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Club, Club.id == Meeting.club_id)
        .join(Person, Person.id == Attendance.person_id)
        .where(
            *_attendance_conditions(flt),
            *_meeting_conditions(flt),
            Meeting.date >= date_from,
            Meeting.date <= date_to,
        )
    )
