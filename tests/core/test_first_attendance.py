"""``first_attendance`` (kept by SQLite triggers) always equals a fresh computation.

Every writer — the services, a bundle import, a spreadsheet import — changes attendance and
sessions with plain SQL in the end, so the test writes with raw SQL too: inserts, INSERT OR
REPLACE, upserts, updates of every column the figures depend on, hard deletes.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, text

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft

FRESH = text("""
    SELECT a.person_id, m.club_id, min(m.date) FROM attendance a JOIN meeting m
      ON m.id = a.meeting_id
    WHERE a.status = 'attended' AND a.deleted_at IS NULL AND m.status = 'held'
      AND m.deleted_at IS NULL
    GROUP BY a.person_id, m.club_id ORDER BY 1, 2""")
KEPT = text("SELECT person_id, club_id, first_date FROM first_attendance ORDER BY 1, 2")
STAMP = "'2026-01-01 00:00:00.000000'"


class Universe:
    """Three clubs, four people and six sessions made through the services."""

    def __init__(self, services: Services) -> None:
        self.clubs = [services.clubs.create(ClubDraft(name=f"クラブ{i}")).id.hex
                      for i in range(3)]
        self.people = [services.people.create(PersonDraft(
            family_name=f"山田{i}", category="resident")).id.hex for i in range(4)]
        self.meetings = [services.meetings.create(MeetingDraft(
            club_id=uuid.UUID(hex=self.clubs[i % 3]), title=f"会{i}",
            date=date(2021, 4 + i, 10), status="held")).id.hex for i in range(6)]


@pytest.fixture
def universe(services: Services) -> Universe:
    return Universe(services)


index = st.integers(min_value=0, max_value=5)
person = st.integers(min_value=0, max_value=3)
attendance_status = st.sampled_from(("attended", "attended", "absent", "excused"))
deleted = st.sampled_from((None, None, None, STAMP))
operation = st.one_of(
    st.tuples(st.just("insert_or_replace"), index, person, attendance_status, deleted),
    st.tuples(st.just("upsert"), index, person, attendance_status, deleted),
    st.tuples(st.just("attendance_status"), index, person, attendance_status, deleted),
    st.tuples(st.just("attendance_delete"), index, person, attendance_status, deleted),
    st.tuples(st.just("meeting_date"), index, st.integers(min_value=0, max_value=700)),
    st.tuples(st.just("meeting_status"), index,
              st.sampled_from(("held", "held", "planned", "cancelled"))),
    st.tuples(st.just("meeting_deleted"), index, deleted),
    st.tuples(st.just("meeting_club"), index, st.integers(min_value=0, max_value=2)),
)


def apply(conn: Connection, universe: Universe, op: tuple[object, ...]) -> None:
    kind = op[0]
    meeting = universe.meetings[op[1]]  # type: ignore[index]
    if kind in {"insert_or_replace", "upsert", "attendance_status", "attendance_delete"}:
        _kind, _m, who, status, gone = op
        values = {"meeting": meeting, "person": universe.people[who],  # type: ignore[index]
                  "status": status, "id": uuid.uuid4().hex}
        gone_sql = "NULL" if gone is None else str(gone)
        columns = ("id, created_at, updated_at, replica_id, hlc, deleted_at, causal_length, "
                   "meeting_id, person_id, status, note")
        row = (f":id, {STAMP}, {STAMP}, :id, '', {gone_sql}, 1, :meeting, :person, "
               ":status, ''")
        if kind == "insert_or_replace":
            conn.execute(text(f"INSERT OR REPLACE INTO attendance ({columns}) VALUES ({row})"),
                         values)
        elif kind == "upsert":
            conn.execute(text(
                f"INSERT INTO attendance ({columns}) VALUES ({row}) "
                "ON CONFLICT (meeting_id, person_id) DO UPDATE SET status = excluded.status, "
                "deleted_at = excluded.deleted_at"), values)
        elif kind == "attendance_status":
            conn.execute(text(f"UPDATE attendance SET status = :status, deleted_at = {gone_sql} "
                              "WHERE meeting_id = :meeting AND person_id = :person"), values)
        else:
            conn.execute(text("DELETE FROM attendance WHERE meeting_id = :meeting "
                              "AND person_id = :person"), values)
    elif kind == "meeting_date":
        day = date.fromordinal(date(2021, 1, 1).toordinal() + op[2])  # type: ignore[operator]
        conn.execute(text("UPDATE meeting SET date = :day WHERE id = :id"),
                     {"day": day.isoformat(), "id": meeting})
    elif kind == "meeting_status":
        conn.execute(text("UPDATE meeting SET status = :status WHERE id = :id"),
                     {"status": op[2], "id": meeting})
    elif kind == "meeting_deleted":
        gone_sql = "NULL" if op[2] is None else str(op[2])
        conn.execute(text(f"UPDATE meeting SET deleted_at = {gone_sql} WHERE id = :id"),
                     {"id": meeting})
    elif kind == "meeting_club":
        conn.execute(text("UPDATE meeting SET club_id = :club WHERE id = :id"),
                     {"club": universe.clubs[op[2]], "id": meeting})  # type: ignore[index]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, max_size=25))
def test_triggers_keep_first_attendance_exact(
    connection: Connection, universe: Universe, operations: list[tuple[object, ...]]
) -> None:
    transaction = connection.begin()
    try:
        for op in operations:
            apply(connection, universe, op)
            kept = [tuple(row) for row in connection.execute(KEPT)]
            fresh = [tuple(row) for row in connection.execute(FRESH)]
            assert kept == fresh, op
    finally:
        transaction.rollback()


def test_services_keep_first_attendance(services: Services, universe: Universe,
                                        connection: Connection) -> None:
    meetings = services.meetings
    first, later = uuid.UUID(hex=universe.meetings[0]), uuid.UUID(hex=universe.meetings[3])
    who = uuid.UUID(hex=universe.people[0])
    services.attendance.set(later, who)
    services.attendance.set(first, who)
    pairs = lambda: [tuple(row) for row in connection.execute(KEPT)]  # noqa: E731
    assert pairs() == [(who.hex, universe.clubs[0], "2021-04-10")]
    meetings.set_status(first, "cancelled")
    assert pairs() == [(who.hex, universe.clubs[0], "2021-07-10")]
    services.attendance.remove(later, who)
    assert pairs() == []


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=12), category=st.booleans())
def test_cached_figures_never_outlive_a_change(
    services: Services, universe: Universe, operations: list[tuple[object, ...]],
    category: bool,
) -> None:
    """Whatever writes the file, figures served from the cache equal fresh ones."""
    from kankei_desktop.core.figures.compute import (
        FigureFilter,
        first_time_person_ids,
        fiscal_year_figures,
    )

    figure_filter = FigureFilter(category="resident" if category else None)
    database = services.database
    for op in operations:
        services.figures.fiscal_year(2021, figure_filter)  # fill the cache
        with database.transaction() as session:
            apply(session.connection(), universe, op)
        served = services.figures.fiscal_year(2021, figure_filter)
        with database.reading() as session:
            fresh = fiscal_year_figures(session, 2021, figure_filter, use_kept=False)
            listed = first_time_person_ids(session, fresh.date_from, fresh.date_to,
                                           figure_filter)
        assert served == fresh, op
        # the drill-down lists exactly the people the 新規 figure counts
        assert len(listed) == fresh.total.first_time_persons, op
    with database.transaction() as session:  # leave the universe as it was for the next run
        session.execute(text("DELETE FROM attendance"))
        session.execute(text("UPDATE meeting SET status = 'held', deleted_at = NULL"))


def test_a_person_changing_category_changes_cached_figures(
    services: Services, universe: Universe
) -> None:
    from kankei_desktop.core.figures.compute import FigureFilter

    who = uuid.UUID(hex=universe.people[1])
    services.attendance.set(uuid.UUID(hex=universe.meetings[0]), who)
    residents = FigureFilter(category="resident")
    assert services.figures.fiscal_year(2021, residents).total.person_times == 1
    person = services.people.get(who)
    draft = PersonDraft.of(person)
    draft.category = "student"
    services.people.update(who, draft)
    assert services.figures.fiscal_year(2021, residents).total.person_times == 0
    assert services.figures.fiscal_year(2021).by_category["student"].person_times == 1
