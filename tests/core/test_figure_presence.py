"""A year's figures read from the kept tables (``figure_presence``, first dates) always equal
the live computation, the drill-down and the reports' per-session counts, whatever writes the
file and in whichever order; the kept tables always equal a rebuild from scratch.

Writes go through raw SQL like every writer's do in the end (the services, bundle and
spreadsheet imports): attendance inserts, INSERT OR REPLACE, upserts, status changes and hard
deletes; sessions moved across years and clubs, cancelled, deleted, given another kind; clubs
deleted, restored and moved to another host municipality; people deleted, re-categorised and
moved between organisations; organisations deleted. Several years at once (実人数 over their
union, from ``figure_span``) are checked as well as each year.
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

from kankei_desktop.core.figures import drilldown, rebuild, triggers
from kankei_desktop.core.figures.compute import (
    FigureFilter,
    fiscal_year_figures,
    period_figures,
)
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import Database

STAMP = "'2026-01-01 00:00:00.000000'"
YEARS = (2019, 2020, 2021, 2022)
RANGES = ((2019, 2020), (2020, 2022), (2019, 2022))


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
        self.organizations = [orgs.create(OrganizationDraft(
            kind="company", name=f"会社{i}")).id.hex for i in range(2)]
        self.people = [services.people.create(PersonDraft(
            family_name=f"山田{i}", category="resident",
            organization_id=uuid.UUID(hex=self.organizations[i % 2]) if i < 3 else None)
        ).id.hex for i in range(4)]
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
    st.tuples(st.just("person_organization"), person, st.sampled_from((0, 1, None))),
    st.tuples(st.just("organization_deleted"), st.integers(min_value=0, max_value=1), deleted),
    st.tuples(st.just("meeting_kind"), meeting, st.sampled_from(("session", "seminar"))),
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
    elif kind == "person_organization":
        organization = None if args[1] is None else universe.organizations[args[1]]
        run("UPDATE person SET organization_id = :org WHERE id = :id", org=organization,
            id=universe.people[args[0]])
    elif kind == "organization_deleted":
        tombstone("organization", universe.organizations[args[0]], args[1])
    elif kind == "meeting_kind":
        run("UPDATE meeting SET kind = :kind WHERE id = :id", kind=args[1],
            id=universe.meetings[args[0]])


def _kept_tables(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    return {table: sorted(tuple(row) for row in session.execute(text(f"SELECT * FROM {table}")))
            for table in triggers.KEPT_TABLES}


def _rebuilt(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """The kept tables as a rebuild from scratch makes them (rolled back afterwards)."""
    nested = session.begin_nested()
    try:
        for name in triggers.TRIGGERS:
            session.execute(text(f"DROP TRIGGER {name}"))
        rebuild.rebuild(lambda statement, values: session.execute(text(statement), values),
                     lambda: sorted(int(row[0]) for row in session.execute(text(triggers.YEARS))
                                    if row[0] is not None))
        return _kept_tables(session)
    finally:
        nested.rollback()


def _check_year(session: Session, year: int, figure_filter: FigureFilter,
                op: object) -> None:
    """Kept figures = live figures = the drill-down's counts (the same rule everywhere)."""
    kept_figures = fiscal_year_figures(session, year, figure_filter)
    live = fiscal_year_figures(session, year, figure_filter, use_kept=False)
    assert kept_figures == live, (op, year)
    start, end = fiscal_year_range(year)
    held = drilldown.held_attendance(session, start, end, figure_filter)
    assert held.person_times == live.total.person_times, (op, year)
    assert len(held.per_person) == live.total.unique_persons, (op, year)
    assert sum(held.per_person.values()) == live.total.person_times, (op, year)
    assert held.per_meeting == drilldown.rows_per_meeting(session, start, end, figure_filter)
    newcomers = drilldown.first_time_people(session, start, end, figure_filter)
    if figure_filter.category is None:
        assert len(newcomers) == live.total.first_time_persons, (op, year)


def _check_years(session: Session, first: int, last: int, figure_filter: FigureFilter,
                 op: object) -> None:
    """Several whole years from the kept tables = the same period grouped live."""
    start, end = fiscal_year_range(first)[0], fiscal_year_range(last)[1]
    kept_figures = period_figures(session, start, end, figure_filter)
    live = period_figures(session, start, end, figure_filter, use_kept=False)
    assert kept_figures == live, (op, first, last)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, max_size=25), category=st.booleans())
def test_kept_tables_equal_the_live_figures_and_a_rebuild(
    connection: Connection, universe: Universe, operations: list[tuple[object, ...]],
    category: bool,
) -> None:
    figure_filter = FigureFilter(category="student" if category else None)
    transaction = connection.begin()
    session = Session(bind=connection)
    try:
        for op in operations:
            apply(connection, universe, op)
            for year in YEARS:
                _check_year(session, year, figure_filter, op)
            for first, last in RANGES:
                _check_years(session, first, last, figure_filter, op)
        assert _kept_tables(session) == _rebuilt(session)
    finally:
        session.close()
        transaction.rollback()


def test_every_year_is_kept_as_soon_as_it_is_written(
    services: Services, universe: Universe
) -> None:
    who = uuid.UUID(hex=universe.people[0])
    first = uuid.UUID(hex=universe.meetings[0])
    services.attendance.set(first, who)
    with services.database.reading() as session:
        years = session.execute(text(
            "SELECT DISTINCT fy FROM figure_presence")).scalars().all()
    assert years == [2019]  # 2020-03: FY2019, kept by the write itself
    assert services.figures.fiscal_year(2019).total.person_times == 1
    services.attendance.set(uuid.UUID(hex=universe.meetings[3]), who)
    services.attendance.remove(first, who)
    figures = services.figures.fiscal_year(2019)
    assert (figures.total.person_times, figures.total.first_time_persons) == (0, 0)
    later = services.figures.fiscal_year(2020)  # 2021-03 is FY2020: first there now
    assert (later.total.person_times, later.total.first_time_persons) == (1, 1)


def test_reading_the_figures_never_writes(services: Services, universe: Universe,
                                          database: Database) -> None:
    """Figures, their breakdowns and the drill-down leave the file as it was."""
    services.attendance.set(uuid.UUID(hex=universe.meetings[1]),
                            uuid.UUID(hex=universe.people[2]))
    club = uuid.UUID(hex=universe.clubs[1])

    def changes() -> list[bytes]:
        """The file and its write-ahead log, byte for byte."""
        files = [database.path, database.path.with_name(database.path.name + "-wal")]
        return [path.read_bytes() for path in files if path.exists()]

    with database.reading() as session:
        before = session.execute(text("SELECT total_changes()")).scalar_one()
        fiscal_year_figures(session, 2020)
        fiscal_year_figures(session, 2020, FigureFilter(club_id=club))
        drilldown.held_attendance(session, date(2020, 4, 1), date(2021, 3, 31))
        assert session.execute(text("SELECT total_changes()")).scalar_one() == before
    version = changes()
    figures = services.figures.fiscal_year(2020)
    services.figures.period(date(2019, 4, 1), date(2023, 3, 31))
    services.figures.held_attendance(date(2020, 4, 1), date(2021, 3, 31))
    assert (figures.total.person_times, figures.total.first_time_persons) == (1, 1)
    assert changes() == version


def test_an_earlier_session_entered_later_moves_the_newcomer(
    services: Services, universe: Universe
) -> None:
    """Attendance is often entered late: the person's first year follows the earliest date."""
    who = uuid.UUID(hex=universe.people[1])
    services.attendance.set(uuid.UUID(hex=universe.meetings[3]), who)  # FY2020
    assert services.figures.fiscal_year(2020).total.first_time_persons == 1
    assert services.figures.fiscal_year(2019).total.first_time_persons == 0
    services.attendance.set(uuid.UUID(hex=universe.meetings[0]), who)  # FY2019
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
    services.attendance.set(session_id, who)
    assert services.figures.fiscal_year(2020).total.unique_persons == 1
    services.attendance.set(session_id, who, status="absent")
    figures = services.figures.fiscal_year(2020)
    club = uuid.UUID(hex=universe.clubs[1])
    assert (figures.total.unique_persons, figures.by_club[club].unique_persons,
            figures.by_month[(2020, 6)].unique_persons) == (0, 0, 0)
    assert figures.attendance_rate == 0.0  # recorded, not attended
    with services.database.reading() as session:
        kinds = session.execute(text("SELECT kind FROM figure_presence")).scalars().all()
    assert kinds == ["r"]  # only the recorded row (the 参加率 denominator) is left


def test_first_dates_follow_any_write_to_the_pairs(
    services: Services, universe: Universe, database: Database
) -> None:
    """Whatever moves a (person, club) pair's first date, the person's first dates follow."""
    who = uuid.UUID(hex=universe.people[3])
    services.attendance.set(uuid.UUID(hex=universe.meetings[0]), who)
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
