"""A year's figures read from the kept tables (``figure_presence``, first dates) always equal
the live computation, whatever writes the file and in whichever order.

Writes go through raw SQL like every writer's do in the end (the services, bundle and
spreadsheet imports): attendance inserts, INSERT OR REPLACE, upserts, status changes and hard
deletes; sessions moved across years and clubs, cancelled, deleted; clubs deleted, restored
and moved to another host municipality; people deleted and re-categorised.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from kankei_desktop.core.figures.compute import FigureFilter, fiscal_year_figures
from kankei_desktop.core.figures.kept import fill_year, year_is_kept
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import Database

STAMP = "'2026-01-01 00:00:00.000000'"
YEARS = (2019, 2020, 2021, 2022)


class Universe:
    """Two host towns, three clubs, four people and eight sessions across three years."""

    def __init__(self, services: Services) -> None:
        orgs = services.organizations
        self.towns = [
            orgs.create(OrganizationDraft(kind="municipality", name="北海道鷹栖町",
                                          lgcode="014524")).id.hex,
            orgs.create(OrganizationDraft(kind="municipality", name="東京都千代田区",
                                          lgcode="131016")).id.hex,
        ]
        self.clubs = [services.clubs.create(ClubDraft(
            name=f"クラブ{i}", host_municipality_id=uuid.UUID(hex=self.towns[i % 2]))).id.hex
            for i in range(3)]
        self.people = [services.people.create(PersonDraft(
            family_name=f"山田{i}", category="resident")).id.hex for i in range(4)]
        self.meetings = [services.meetings.create(MeetingDraft(
            club_id=uuid.UUID(hex=self.clubs[i % 3]), title=f"会{i}",
            date=date(2020, 6, 1).replace(year=2020 + i // 3, month=3 + 3 * (i % 3)),
            status="held")).id.hex for i in range(8)]


@pytest.fixture
def universe(services: Services) -> Universe:
    return Universe(services)


meeting = st.integers(min_value=0, max_value=7)
person = st.integers(min_value=0, max_value=3)
club = st.integers(min_value=0, max_value=2)
attendance_status = st.sampled_from(("attended", "attended", "absent"))
deleted = st.sampled_from((None, None, STAMP))
operation = st.one_of(
    st.tuples(st.just("insert_or_replace"), meeting, person, attendance_status, deleted),
    st.tuples(st.just("upsert"), meeting, person, attendance_status, deleted),
    st.tuples(st.just("attendance_update"), meeting, person, attendance_status, deleted),
    st.tuples(st.just("attendance_move"), meeting, person, meeting),
    st.tuples(st.just("attendance_delete"), meeting, person),
    st.tuples(st.just("meeting_date"), meeting, st.integers(min_value=0, max_value=1000)),
    st.tuples(st.just("meeting_status"), meeting, st.sampled_from(("held", "planned"))),
    st.tuples(st.just("meeting_deleted"), meeting, deleted),
    st.tuples(st.just("meeting_club"), meeting, club),
    st.tuples(st.just("meeting_delete"), meeting),
    st.tuples(st.just("club_deleted"), club, deleted),
    st.tuples(st.just("club_host"), club, st.sampled_from((0, 1, None))),
    st.tuples(st.just("person_deleted"), person, deleted),
    st.tuples(st.just("person_category"), person, st.sampled_from(("resident", "student"))),
)

COLUMNS = ("id, created_at, updated_at, replica_id, hlc, deleted_at, causal_length, "
           "meeting_id, person_id, status, note")


def apply(conn: Connection, universe: Universe, op: tuple[Any, ...]) -> None:
    kind, *args = op
    run = lambda sql, **values: conn.execute(text(sql), values)  # noqa: E731

    def tombstone(table: str, row_id: str, gone: str | None) -> None:
        run(f"UPDATE {table} SET deleted_at = {'NULL' if gone is None else gone} "
            "WHERE id = :id", id=row_id)

    if kind.startswith(("attendance", "meeting", "insert", "upsert")):
        touched = [args[0], args[2]] if kind == "attendance_move" else [args[0]]
        if any(run("SELECT 1 FROM meeting WHERE id = :id", id=universe.meetings[m]).first()
               is None for m in touched):
            return  # that session was deleted for good earlier in this example
    if kind in {"insert_or_replace", "upsert", "attendance_update"}:
        m, p, status, gone = args
        values = {"meeting": universe.meetings[m], "person": universe.people[p],
                  "status": status, "id": uuid.uuid4().hex}
        gone_sql = "NULL" if gone is None else str(gone)
        row = f":id, {STAMP}, {STAMP}, :id, '', {gone_sql}, 1, :meeting, :person, :status, ''"
        if kind == "insert_or_replace":
            run(f"INSERT OR REPLACE INTO attendance ({COLUMNS}) VALUES ({row})", **values)
        elif kind == "upsert":
            run(f"INSERT INTO attendance ({COLUMNS}) VALUES ({row}) "
                "ON CONFLICT (meeting_id, person_id) DO UPDATE SET status = excluded.status, "
                "deleted_at = excluded.deleted_at", **values)
        else:
            run(f"UPDATE attendance SET status = :status, deleted_at = {gone_sql} "
                "WHERE meeting_id = :meeting AND person_id = :person", **values)
    elif kind == "attendance_move":
        m, p, to = args
        run("UPDATE OR IGNORE attendance SET meeting_id = :to "
            "WHERE meeting_id = :meeting AND person_id = :person",
            to=universe.meetings[to], meeting=universe.meetings[m], person=universe.people[p])
    elif kind == "attendance_delete":
        m, p = args
        run("DELETE FROM attendance WHERE meeting_id = :meeting AND person_id = :person",
            meeting=universe.meetings[m], person=universe.people[p])
    elif kind == "meeting_date":
        m, days = args
        day = date.fromordinal(date(2020, 1, 1).toordinal() + days)
        run("UPDATE meeting SET date = :day WHERE id = :id", day=day.isoformat(),
            id=universe.meetings[m])
    elif kind == "meeting_status":
        run("UPDATE meeting SET status = :status WHERE id = :id", status=args[1],
            id=universe.meetings[args[0]])
    elif kind == "meeting_deleted":
        tombstone("meeting", universe.meetings[args[0]], args[1])
    elif kind == "meeting_club":
        run("UPDATE meeting SET club_id = :club WHERE id = :id", club=universe.clubs[args[1]],
            id=universe.meetings[args[0]])
    elif kind == "meeting_delete":
        run("DELETE FROM attendance WHERE meeting_id = :id", id=universe.meetings[args[0]])
        run("DELETE FROM meeting WHERE id = :id", id=universe.meetings[args[0]])
    elif kind == "club_deleted":
        tombstone("club", universe.clubs[args[0]], args[1])
    elif kind == "club_host":
        host = None if args[1] is None else universe.towns[args[1]]
        run("UPDATE club SET host_municipality_id = :host WHERE id = :id", host=host,
            id=universe.clubs[args[0]])
    elif kind == "person_deleted":
        tombstone("person", universe.people[args[0]], args[1])
    elif kind == "person_category":
        run("UPDATE person SET category = :category WHERE id = :id", category=args[1],
            id=universe.people[args[0]])


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, max_size=25), category=st.booleans(),
       filled_late=st.booleans())
def test_kept_years_equal_the_live_figures(
    connection: Connection, universe: Universe, operations: list[tuple[object, ...]],
    category: bool, filled_late: bool,
) -> None:
    figure_filter = FigureFilter(category="student" if category else None)
    transaction = connection.begin()
    session = Session(bind=connection)
    try:
        if not filled_late:
            for year in YEARS:
                fill_year(session, year)
        for op in operations:
            apply(connection, universe, op)
            for year in YEARS:
                if not filled_late:
                    assert year_is_kept(session, year)
                kept = fiscal_year_figures(session, year, figure_filter)
                live = fiscal_year_figures(session, year, figure_filter, use_kept=False)
                assert kept == live, (op, year)
        for year in YEARS:  # a year filled after the writes agrees too
            fill_year(session, year)
            kept = fiscal_year_figures(session, year, figure_filter)
            assert kept == fiscal_year_figures(session, year, figure_filter, use_kept=False)
    finally:
        session.close()
        transaction.rollback()


def test_the_service_fills_a_year_once_and_keeps_it(
    services: Services, universe: Universe
) -> None:
    who = uuid.UUID(hex=universe.people[0])
    first = uuid.UUID(hex=universe.meetings[0])
    services.meetings.set_attendance(first, who)
    assert services.figures.fiscal_year(2019).total.person_times == 1  # 2020-03: FY2019
    with services.database.reading() as session:
        assert year_is_kept(session, 2019)
    services.meetings.set_attendance(uuid.UUID(hex=universe.meetings[3]), who)
    services.meetings.remove_attendance(first, who)
    figures = services.figures.fiscal_year(2019)
    assert (figures.total.person_times, figures.total.first_time_persons) == (0, 0)
    later = services.figures.fiscal_year(2020)  # 2021-03 is FY2020: first there now
    assert (later.total.person_times, later.total.first_time_persons) == (1, 1)


def test_a_file_that_cannot_be_written_still_gets_exact_figures(
    services: Services, universe: Universe, database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A read-only or busy file cannot keep a year: the figures come from the live queries."""
    from sqlalchemy.exc import OperationalError

    from kankei_desktop.core.services import facade

    def refuse(_session: Session, _year: int) -> bool:
        raise OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))

    services.meetings.set_attendance(uuid.UUID(hex=universe.meetings[1]),
                                     uuid.UUID(hex=universe.people[2]))
    monkeypatch.setattr(facade, "fill_year", refuse)
    figures = services.figures.fiscal_year(2020)
    assert (figures.total.person_times, figures.total.first_time_persons) == (1, 1)
    with database.reading() as session:
        assert not year_is_kept(session, 2020)


def test_an_earlier_session_entered_later_moves_the_newcomer(
    services: Services, universe: Universe
) -> None:
    """Attendance is often entered late: the person's first year follows the earliest date."""
    who = uuid.UUID(hex=universe.people[1])
    services.meetings.set_attendance(uuid.UUID(hex=universe.meetings[3]), who)  # FY2020
    assert services.figures.fiscal_year(2020).total.first_time_persons == 1
    assert services.figures.fiscal_year(2019).total.first_time_persons == 0
    services.meetings.set_attendance(uuid.UUID(hex=universe.meetings[0]), who)  # FY2019
    fy2019, fy2020 = services.figures.fiscal_year(2019), services.figures.fiscal_year(2020)
    town = uuid.UUID(hex=universe.towns[0])
    assert fy2019.total.first_time_persons == 1
    assert fy2019.by_municipality[town].first_time_persons == 1
    assert fy2020.total.first_time_persons == 0
    assert fy2020.by_municipality[town].first_time_persons == 0
    assert fy2020.total.unique_persons == 1


def test_a_person_marked_absent_leaves_every_breakdown(
    services: Services, universe: Universe
) -> None:
    who, session_id = uuid.UUID(hex=universe.people[0]), uuid.UUID(hex=universe.meetings[1])
    services.meetings.set_attendance(session_id, who)
    assert services.figures.fiscal_year(2020).total.unique_persons == 1
    services.meetings.set_attendance(session_id, who, status="absent")
    figures = services.figures.fiscal_year(2020)
    club = uuid.UUID(hex=universe.clubs[1])
    assert (figures.total.unique_persons, figures.by_club[club].unique_persons,
            figures.by_month[(2020, 6)].unique_persons) == (0, 0, 0)
    with services.database.reading() as session:
        assert session.execute(text("SELECT count(*) FROM figure_presence")).scalar() == 0


def test_first_dates_follow_any_write_to_the_pairs(
    services: Services, universe: Universe, database: Database
) -> None:
    """Whatever moves a (person, club) pair's first date, the person's first dates follow."""
    who = uuid.UUID(hex=universe.people[3])
    services.meetings.set_attendance(uuid.UUID(hex=universe.meetings[0]), who)
    firsts = text("SELECT (SELECT first_date FROM first_attendance_person WHERE person_id = :p),"
                  " (SELECT first_date FROM first_attendance_host WHERE person_id = :p)")
    with database.transaction() as session:
        assert tuple(session.execute(firsts, {"p": who.hex}).one()) == ("2020-03-01",) * 2
        session.execute(text("UPDATE first_attendance SET first_date = '2021-01-05' "
                             "WHERE person_id = :p"), {"p": who.hex})
        assert tuple(session.execute(firsts, {"p": who.hex}).one()) == ("2021-01-05",) * 2
        session.execute(text("DELETE FROM first_attendance WHERE person_id = :p"),
                        {"p": who.hex})
        assert tuple(session.execute(firsts, {"p": who.hex}).one()) == (None, None)
