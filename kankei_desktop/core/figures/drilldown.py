"""The sessions and people behind a figure (the dashboard's drill-down), by the counting rule
of :mod:`.rule` and the same scope (:mod:`.scope`) and period as the figures."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, String, func, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session

from kankei_desktop.core.figures import rule, tagged
from kankei_desktop.core.figures.compute import first_time_person_ids
from kankei_desktop.core.figures.scope import FigureFilter, club_scope
from kankei_desktop.core.japan.fiscal import fiscal_year_of
from kankei_desktop.core.models import Attendance, Club, Meeting, Person


def _uuid(key: Any) -> uuid.UUID:
    """An id read as text (SQLite's 32 hex digits) or as a UUID (PostgreSQL's own type)."""
    return key if isinstance(key, uuid.UUID) else uuid.UUID(hex=key)


def _date(value: Any) -> date:
    """A date read as text (SQLite) or as a date (PostgreSQL)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


class Attendee(NamedTuple):
    """A person of :class:`HeldAttendance` with the names a list shows."""

    person_id: uuid.UUID
    family_name: str
    given_name: str
    family_reading: str
    given_reading: str
    category: str
    sort_key: str


@dataclass
class HeldAttendance:
    """The counted rows of a period, counted per session and per person."""

    per_meeting: dict[uuid.UUID, int]
    """Counted rows per session (sessions nobody attended are absent)."""
    per_person: dict[uuid.UUID, int]
    """Times attended per person."""
    people: dict[uuid.UUID, Attendee]
    """Names of the people in ``per_person``."""
    meetings: set[uuid.UUID] = field(default_factory=set)
    """Every session that counts in the period and filter (attended or not)."""

    @property
    def person_times(self) -> int:
        """延べ人数."""
        return sum(self.per_meeting.values())


def counted_conditions(
    date_from: date | None, date_to: date | None, figure_filter: FigureFilter,
    scope: tagged.TagScope | None = None,
) -> list[ColumnElement[bool]]:
    """Conditions over ``Meeting``, ``Club`` and ``Attendance`` for the rows that count in the
    period (open where a bound is None) and filter (:mod:`.rule`); ``scope`` is the filter's
    tag as :func:`.tagged.tag_scope` reads it."""
    conditions: list[ColumnElement[bool]] = [
        rule.row_counts(Attendance),
        rule.person_counts(Attendance.person_id),
        rule.meeting_counts(Meeting, Club),
    ]
    if date_to is not None:
        conditions.append(Meeting.date <= date_to)
    if date_from is not None:
        conditions.append(Meeting.date >= date_from)
    conditions.extend(meeting_scope(figure_filter, scope))
    if figure_filter.category is not None:
        conditions.append(Attendance.person_id.in_(
            select(Person.id).where(Person.category == figure_filter.category)))
    conditions.extend(tagged.person_conditions(scope, Attendance.person_id))
    return conditions


def _scope(session: Session, figure_filter: FigureFilter) -> tagged.TagScope | None:
    """The filter's tag, read once per query."""
    if figure_filter.tag_id is None:
        return None
    return tagged.tag_scope(session, figure_filter.tag_id)


def _conditions(session: Session, date_from: date | None, date_to: date | None,
                figure_filter: FigureFilter) -> list[ColumnElement[bool]]:
    return counted_conditions(date_from, date_to, figure_filter,
                              _scope(session, figure_filter))


def _counted_rows(conditions: list[ColumnElement[bool]], *columns: Any) -> Select[Any]:
    """``columns`` over the counted rows (sessions, their clubs and attendance joined)."""
    return (select(*columns)
            .select_from(Meeting)
            .join(Club, Club.id == Meeting.club_id)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(*conditions))


def _rows_per(conditions: list[ColumnElement[bool]],
              column: InstrumentedAttribute[uuid.UUID]) -> Select[Any]:
    """(id as text, counted rows) per value of ``column``: ids as text, because SQLAlchemy's
    UUID processing costs more than the query."""
    return _counted_rows(conditions, type_coerce(column, String).label("key"),
                         func.count().label("n")).group_by(column)


def rows_per_meeting(session: Session, date_from: date, date_to: date,
                     figure_filter: FigureFilter | None = None) -> dict[uuid.UUID, int]:
    """延べ per session: counted rows per session of the period (sessions nobody attended
    are absent)."""
    conditions = _conditions(session, date_from, date_to, figure_filter or FigureFilter())
    return {_uuid(key): count for key, count in
            session.connection().execute(_rows_per(conditions, Attendance.meeting_id))}


def meeting_scope(figure_filter: FigureFilter, scope: tagged.TagScope | None = None
                  ) -> list[ColumnElement[bool]]:
    """The club, municipality, prefecture and tag scope, over ``Meeting`` and ``Club``
    (joined to ``Meeting``)."""
    return [*club_scope(figure_filter, Club),
            *tagged.session_conditions(scope, Meeting.id, Meeting.club_id)]


def held_attendance(session: Session, date_from: date, date_to: date,
                    figure_filter: FigureFilter | None = None) -> HeldAttendance:
    """Who attended what behind 延べ人数 in the period and filter.

    Two queries, both counting in SQL over covering indexes: rows per session, and rows per
    person with the person's names, so a year of a large programme (85,000 rows, 23,000
    people) never crosses into Python row by row.
    """
    flt = figure_filter or FigureFilter()
    scope = _scope(session, flt)
    conditions = counted_conditions(date_from, date_to, flt, scope)
    per_person = _rows_per(conditions, Attendance.person_id).subquery()
    people = (
        select(per_person.c.key, per_person.c.n, Person.family_name, Person.given_name,
               Person.family_reading, Person.given_reading, Person.category, Person.sort_key)
        .select_from(per_person)
        .join(Person, Person.id == per_person.c.key)
    )
    held = (select(type_coerce(Meeting.id, String)).join(Club, Club.id == Meeting.club_id)
            .where(rule.meeting_counts(Meeting, Club), Meeting.date >= date_from,
                   Meeting.date <= date_to, *meeting_scope(flt, scope)))
    connection = session.connection()  # Core rows: no ORM loading per row
    meetings = connection.execute(_rows_per(conditions, Attendance.meeting_id)).all()
    attendees = connection.execute(people).all()
    result = HeldAttendance(
        per_meeting={_uuid(key): count for key, count in meetings},
        per_person={}, people={},
        meetings={_uuid(key) for key in connection.execute(held).scalars()})
    for key, count, *names in attendees:
        person_id = _uuid(key)
        result.per_person[person_id] = count
        result.people[person_id] = Attendee(person_id, *names)
    return result


class AttendeeSummary(NamedTuple):
    """One person's counted attendance in a period."""

    person_id: uuid.UUID
    times: int
    first: date
    last: date


def attendee_summaries(session: Session, date_from: date, date_to: date,
                       figure_filter: FigureFilter | None = None) -> list[AttendeeSummary]:
    """Per person who counts in the period: how often, the first and the last date."""
    conditions = _conditions(session, date_from, date_to, figure_filter or FigureFilter())
    query = _counted_rows(conditions, type_coerce(Attendance.person_id, String),
                          func.count(), func.min(type_coerce(Meeting.date, String)),
                          func.max(type_coerce(Meeting.date, String))
                          ).group_by(Attendance.person_id)
    return [AttendeeSummary(_uuid(key), times, _date(first), _date(last))
            for key, times, first, last in session.connection().execute(query)]


def times_per_year(session: Session, person_id: uuid.UUID) -> dict[int, int]:
    """How often one person counts, per 年度 (a person's page)."""
    conditions = [*counted_conditions(None, None, FigureFilter()),
                  Attendance.person_id == person_id]
    dates = session.execute(_counted_rows(conditions, Meeting.date)).scalars()
    return dict(Counter(fiscal_year_of(day) for day in dates))


def first_time_people(session: Session, date_from: date, date_to: date,
                      figure_filter: FigureFilter | None = None) -> set[uuid.UUID]:
    """新規: people who attended in the period and never before it (within the same
    club/municipality filter), exactly the people the figures count."""
    flt = figure_filter or FigureFilter()
    return first_time_person_ids(session, date_from, date_to, flt.without_category())
