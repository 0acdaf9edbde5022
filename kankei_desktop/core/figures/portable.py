"""The figures computed live by portable SQLAlchemy Core: the shared database's way.

The SQLite file reads hand-tuned SQL and the kept tables (:mod:`.compute`, :mod:`.kept`).
A shared PostgreSQL database has neither: it groups the counted rows of the period on the
server, with every condition built from :mod:`.rule`. Both give the same :class:`Figures`
(property test ``tests/core/test_portable_figures.py``, which runs this module on SQLite too).

新規 needs each person's first counted session ever (in the filter), so the history is read
for the people who attended in the period only: a person new in the period attended in it.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, distinct, extract, func, select
from sqlalchemy.orm import Session

from kankei_desktop.core.figures import rule
from kankei_desktop.core.figures.compute import FigureFilter, Figures, FigureSet
from kankei_desktop.core.models import Attendance, Club, Meeting, Person
from kankei_desktop.core.vocabulary import PersonCategory


def _club_scope(flt: FigureFilter) -> list[ColumnElement[bool]]:
    """``Club`` counts and is inside the filter."""
    conditions = [rule.club_counts(Club)]
    if flt.club_id is not None:
        conditions.append(Club.id == flt.club_id)
    if flt.municipality_id is not None:
        conditions.append(Club.host_municipality_id == flt.municipality_id)
    return conditions


def _in_category(person_id: Any, flt: FigureFilter) -> list[ColumnElement[bool]]:
    if flt.category is None:
        return []
    return [person_id.in_(select(Person.id).where(Person.category == flt.category))]


def _counted_rows(date_from: date, date_to: date, flt: FigureFilter, *columns: Any
                  ) -> Select[Any]:
    """``columns`` over the attendance rows that count in the period and filter."""
    return (select(*columns).select_from(Meeting)
            .join(Club, Club.id == Meeting.club_id)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(Meeting.date.between(date_from, date_to), rule.meeting_held(Meeting),
                   *_club_scope(flt), rule.row_counts(Attendance),
                   rule.person_counts(Attendance.person_id),
                   *_in_category(Attendance.person_id, flt)))


def _pairs(date_from: date, date_to: date, flt: FigureFilter) -> Any:
    """(person, club, host, first date) of every pair in the filter of a person who attended
    in the period: the first counted session of the person in the club, ever."""
    candidates = (select(Attendance.person_id).select_from(Meeting)
                  .join(Club, Club.id == Meeting.club_id)
                  .join(Attendance, Attendance.meeting_id == Meeting.id)
                  .where(Meeting.date.between(date_from, date_to), rule.meeting_held(Meeting),
                         *_club_scope(flt), rule.row_counts(Attendance)))
    return (select(Attendance.person_id.label("person"), Meeting.club_id.label("club"),
                   Club.host_municipality_id.label("host"),
                   func.min(Meeting.date).label("first"))
            .select_from(Meeting)
            .join(Club, Club.id == Meeting.club_id)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(rule.meeting_held(Meeting), *_club_scope(flt), rule.row_counts(Attendance),
                   Attendance.person_id.in_(candidates))
            .group_by(Attendance.person_id, Meeting.club_id, Club.host_municipality_id)
            .subquery("pairs"))


def _person_in_scope(flt: FigureFilter) -> list[ColumnElement[bool]]:
    """The joined ``Person`` counts (not deleted) and is of the chosen category."""
    conditions: list[ColumnElement[bool]] = [rule.person_row_counts(Person)]
    if flt.category is not None:
        conditions.append(Person.category == flt.category)
    return conditions


def _month(column: Any) -> tuple[Any, Any]:
    return extract("year", column), extract("month", column)


def _key(year: Any, month: Any) -> tuple[int, int]:
    return int(year), int(month)


def period_figures(session: Session, date_from: date, date_to: date,
                   figure_filter: FigureFilter | None = None) -> Figures:
    """The same figures as :func:`.compute.period_figures`, grouped by the server."""
    flt = figure_filter or FigureFilter()
    figures = Figures(date_from=date_from, date_to=date_to, fiscal_year=None, total=FigureSet(),
                      by_category={category.value: FigureSet() for category in PersonCategory})
    by_club: dict[uuid.UUID, FigureSet] = {}
    by_host: dict[uuid.UUID | None, FigureSet] = {}
    by_month: dict[tuple[int, int], FigureSet] = {}
    host_of: dict[uuid.UUID, uuid.UUID | None] = {
        club: host for club, host in session.execute(select(Club.id, Club.host_municipality_id))}
    year, month = _month(Meeting.date)
    meetings = (select(Meeting.club_id, year, month, func.count(),
                       func.sum(case((rule.is_online(Meeting), 1), else_=0)))
                .join(Club, Club.id == Meeting.club_id)
                .where(Meeting.date.between(date_from, date_to), rule.meeting_held(Meeting),
                       *_club_scope(flt))
                .group_by(Meeting.club_id, year, month))
    for club, y, m, held, online in session.execute(meetings):
        for cell in (figures.total, by_club.setdefault(club, FigureSet()),
                     by_host.setdefault(host_of.get(club), FigureSet()),
                     by_month.setdefault(_key(y, m), FigureSet())):
            cell.meetings_held += int(held)
            cell.meetings_online += int(online or 0)
    _attendance(session, date_from, date_to, flt, figures, by_club, by_host, by_month)
    _newcomers(session, date_from, date_to, flt, figures, by_club, by_host, by_month)
    figures.by_club, figures.by_municipality, figures.by_month = by_club, by_host, by_month
    return figures


def _attendance(session: Session, date_from: date, date_to: date, flt: FigureFilter,
                figures: Figures, by_club: dict[uuid.UUID, FigureSet],
                by_host: dict[uuid.UUID | None, FigureSet],
                by_month: dict[tuple[int, int], FigureSet]) -> None:
    """延べ・実人数 as a whole and per club, host, month and category."""
    year, month = _month(Meeting.date)
    rows = _counted_rows(date_from, date_to, flt, Attendance.person_id.label("person"),
                         Meeting.club_id.label("club"),
                         Club.host_municipality_id.label("host"), year.label("y"),
                         month.label("m")).cte("counted")
    times, persons = func.count(), func.count(distinct(rows.c.person))
    total = session.execute(select(times, persons).select_from(rows)).one()
    figures.total.person_times, figures.total.unique_persons = int(total[0]), int(total[1])
    for club, t, p in session.execute(select(rows.c.club, times, persons)
                                      .group_by(rows.c.club)):
        cell = by_club.setdefault(club, FigureSet())
        cell.person_times, cell.unique_persons = int(t), int(p)
    for host, t, p in session.execute(select(rows.c.host, times, persons)
                                      .group_by(rows.c.host)):
        cell = by_host.setdefault(host, FigureSet())
        cell.person_times, cell.unique_persons = int(t), int(p)
    for y, m, t, p in session.execute(select(rows.c.y, rows.c.m, times, persons)
                                      .group_by(rows.c.y, rows.c.m)):
        cell = by_month.setdefault(_key(y, m), FigureSet())
        cell.person_times, cell.unique_persons = int(t), int(p)
    for category, t, p in session.execute(
            select(Person.category, times, persons).select_from(rows)
            .join(Person, Person.id == rows.c.person).group_by(Person.category)):
        cell = figures.by_category.setdefault(category, FigureSet())
        cell.person_times, cell.unique_persons = int(t), int(p)


def _firsts(date_from: date, date_to: date, flt: FigureFilter) -> tuple[Any, Any]:
    """Per person in the filter: the first counted session ever (in the filter)."""
    pairs = _pairs(date_from, date_to, flt)
    return (select(pairs.c.person, func.min(pairs.c.first).label("first"))
            .group_by(pairs.c.person).subquery("firsts")), pairs


def _newcomers(session: Session, date_from: date, date_to: date, flt: FigureFilter,
               figures: Figures, by_club: dict[uuid.UUID, FigureSet],
               by_host: dict[uuid.UUID | None, FigureSet],
               by_month: dict[tuple[int, int], FigureSet]) -> None:
    """新規 as a whole (per month and category), per club and per host municipality."""
    firsts, pairs = _firsts(date_from, date_to, flt)
    year, month = _month(firsts.c.first)
    overall = (select(year, month, Person.category, func.count())
               .select_from(firsts).join(Person, Person.id == firsts.c.person)
               .where(firsts.c.first >= date_from, *_person_in_scope(flt))
               .group_by(year, month, Person.category))
    for y, m, category, count in session.execute(overall):
        figures.total.first_time_persons += int(count)
        by_month.setdefault(_key(y, m), FigureSet()).first_time_persons += int(count)
        figures.by_category.setdefault(category, FigureSet()).first_time_persons += int(count)
    per_club = (select(pairs.c.club, func.count()).select_from(pairs)
                .join(Person, Person.id == pairs.c.person)
                .where(pairs.c.first.between(date_from, date_to),
                       *_person_in_scope(flt))
                .group_by(pairs.c.club))
    for club, count in session.execute(per_club):
        by_club.setdefault(club, FigureSet()).first_time_persons = int(count)
    hosts = (select(pairs.c.person, pairs.c.host, func.min(pairs.c.first).label("first"))
             .group_by(pairs.c.person, pairs.c.host).subquery("hosts"))
    per_host = (select(hosts.c.host, func.count()).select_from(hosts)
                .join(Person, Person.id == hosts.c.person)
                .where(hosts.c.first.between(date_from, date_to),
                       *_person_in_scope(flt))
                .group_by(hosts.c.host))
    for host, count in session.execute(per_host):
        by_host.setdefault(host, FigureSet()).first_time_persons = int(count)


def first_time_person_ids(session: Session, date_from: date, date_to: date,
                          figure_filter: FigureFilter | None = None) -> set[uuid.UUID]:
    """The people counted as 新規 (:func:`.compute.first_time_person_ids`)."""
    flt = figure_filter or FigureFilter()
    firsts = _firsts(date_from, date_to, flt)[0]
    query = (select(firsts.c.person).select_from(firsts)
             .join(Person, Person.id == firsts.c.person)
             .where(and_(firsts.c.first >= date_from, firsts.c.first <= date_to),
                    *_person_in_scope(flt)))
    return set(session.scalars(query))
