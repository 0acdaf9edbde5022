"""Counting designated activities (担い手活動) by the figures' own rule.

An activity counts for a person exactly when the person's attendance row counts in the figures
(:func:`kankei_desktop.core.figures.drilldown.counted_conditions`, built from
:mod:`kankei_desktop.core.figures.rule`) and the session is designated and hosted in the
municipality's scope; each session counts once.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from kankei_desktop.core.figures import rule
from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.figures.drilldown import counted_conditions
from kankei_desktop.core.models import Attendance, Club, Meeting, Organization
from kankei_desktop.core.storage.stored_text import stored_text

#: The stored value of a designated session.
DESIGNATED = 1


def is_designated(meeting: Any = Meeting) -> ColumnElement[bool]:
    """The session is marked as a 担い手活動."""
    condition: ColumnElement[bool] = meeting.designated == DESIGNATED
    return condition


def _in_scope(host_ids: Collection[uuid.UUID]) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = Club.host_municipality_id.in_(sorted(host_ids))
    return condition


def activity_conditions(host_ids: Collection[uuid.UUID], date_from: date, date_to: date
                        ) -> list[ColumnElement[bool]]:
    """Conditions over ``Meeting``, ``Club`` and ``Attendance`` for the attendance rows that
    count as designated activities of the hosts in the period."""
    return [*counted_conditions(date_from, date_to, FigureFilter()), is_designated(Meeting),
            _in_scope(host_ids)]


def activities_per_person(session: Session, host_ids: Collection[uuid.UUID],
                          date_from: date, date_to: date) -> dict[uuid.UUID, int]:
    """Designated activities attended per person (people with none are absent)."""
    if not host_ids:
        return {}
    query = (select(stored_text(Attendance.person_id),
                    func.count(Meeting.id.distinct()))
             .select_from(Meeting)
             .join(Club, Club.id == Meeting.club_id)
             .join(Attendance, Attendance.meeting_id == Meeting.id)
             .where(*activity_conditions(host_ids, date_from, date_to))
             .group_by(Attendance.person_id))
    return {uuid.UUID(hex=key): count for key, count in session.connection().execute(query)}


@dataclass(frozen=True)
class Activity:
    """One designated session as the drill-down and the certificate list it."""

    meeting_id: uuid.UUID
    date: date
    start_time: time | None
    end_time: time | None
    title: str
    club_name: str
    host_name: str
    format: str
    place: str
    tool: str
    url: str


def _activity_rows(conditions: list[ColumnElement[bool]], *, with_attendance: bool
                   ) -> Any:
    query = (select(Meeting.id, Meeting.date, Meeting.start_time, Meeting.end_time,
                    Meeting.title, Club.name, Organization.name, Meeting.format, Meeting.place,
                    Meeting.tool, Meeting.url)
             .select_from(Meeting)
             .join(Club, Club.id == Meeting.club_id)
             .outerjoin(Organization, Organization.id == Club.host_municipality_id))
    if with_attendance:
        query = query.join(Attendance, Attendance.meeting_id == Meeting.id)
    return (query.where(*conditions).distinct()
            .order_by(Meeting.date, Meeting.start_time, Meeting.id))


def _activity(row: Any) -> Activity:
    return Activity(row[0], row[1], row[2], row[3], row[4], row[5], row[6] or "", row[7],
                    row[8], row[9], row[10])


def person_activities(session: Session, person_id: uuid.UUID,
                      host_ids: Collection[uuid.UUID], date_from: date, date_to: date
                      ) -> list[Activity]:
    """The designated sessions behind one person's count, in date order."""
    if not host_ids:
        return []
    conditions = [*activity_conditions(host_ids, date_from, date_to),
                  Attendance.person_id == person_id]
    return [_activity(row) for row in session.execute(
        _activity_rows(conditions, with_attendance=True))]


def designated_sessions(session: Session, host_ids: Collection[uuid.UUID],
                        date_from: date, date_to: date) -> list[Activity]:
    """Every designated session of the hosts in the period that counts (held, live)."""
    if not host_ids:
        return []
    conditions = [rule.meeting_counts(Meeting, Club), is_designated(Meeting),
                  _in_scope(host_ids), Meeting.date >= date_from, Meeting.date <= date_to]
    return [_activity(row) for row in session.execute(
        _activity_rows(conditions, with_attendance=False))]
