"""Users and scopes are enforced by the database: a login scoped to a municipality (or a
prefecture) that reads every table with plain SQL sees only the clubs hosted there, their
sessions, attendance, members, partners, targets and follow-ups, and the people and
organisations those touch — and cannot write outside them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
import pytest

from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.services.registrations import RegistrationDraft
from kankei_desktop.core.storage import pg_security
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.pg_schema import UserScope, add_user, shared_tables
from kankei_desktop.core.surveys.templates import STANDARD_SET
from tests.postgres_server import TemporaryPostgres

ICHINOSEKI = "032093"
IWATE = "030007"
SHIMIZU = "016365"  # 北海道清水町: another prefecture's town
SENDAI = "041009"  # 仙台市: where some of the registered live
#: Tables without records of people or places: the same for every login.
BOOKKEEPING = {"meta", "alembic_version", "sync_vector", "sync_peer", "sync_history"}
#: Tables only the administrator reads (who sees what, who changed what).
PRIVATE = {"kankei_login", "kankei_created_in", "kankei_row_author"}


@pytest.fixture
def shared(postgres_server: TemporaryPostgres) -> Iterator[tuple[str, Services]]:
    url = postgres_server.lend()
    database = open_database(url)
    services = Services(database)
    load_demo(services)
    for person in services.people.find()[:5]:  # a few field clocks and change log entries
        draft = PersonDraft.of(person)
        draft.job_title = "係長"
        with services.context.action("edit"):
            services.people.update(person.id, draft)
    first_of_club = {}
    for meeting in services.meetings.find(status="held"):
        first_of_club.setdefault(meeting.club_id, meeting)
    for meeting in first_of_club.values():  # a survey with a sheet in every club
        survey = services.surveys.create_for_meeting(meeting.id, templates=STANDARD_SET)
        scale = services.surveys.questions(survey.id)[0]
        services.surveys.save_response(survey.id, meeting.id, {scale.id: "4"}, sheet=1)
    for person in services.people.find():  # a tag on every person
        services.tags.set_tags("person", person.id, ["移住相談"])
    _furusato(services)
    yield url, services
    database.close()
    postgres_server.give_back(url)


def _furusato(services: Services) -> None:
    """Residences and ふるさと住民 registrations: with 一関市 and with a town of another
    prefecture, of people who attend there, elsewhere, or nowhere yet."""
    people = services.people.find()
    ichinoseki = services.organizations.ensure_municipality(ICHINOSEKI).id
    elsewhere = services.organizations.ensure_municipality(SHIMIZU).id
    living = services.organizations.ensure_municipality(SENDAI).id
    for index, person in enumerate(people[:12]):
        draft = PersonDraft.of(person)
        draft.residence_id = living
        services.people.update(person.id, draft)
        services.registrations.create(RegistrationDraft(
            person_id=person.id, registered_on=date(2027, 1, 10),
            municipality_id=ichinoseki if index % 2 else elsewhere))
    newcomer = services.people.create(PersonDraft(family_name="新井", given_name="登録",
                                                  residence_id=living))
    services.registrations.create(RegistrationDraft(
        person_id=newcomer.id, municipality_id=ichinoseki, registered_on=date(2027, 1, 10)))


def _as(url: str, login: str) -> str:
    return url.replace(url.split("@")[0].split("//")[1], login, 1)


def _rows(url: str, table: str) -> list[dict[str, Any]] | None:
    """Every row of ``table`` a login reads with plain SQL (None: not allowed at all)."""
    with psycopg.connect(url, autocommit=True) as connection:
        try:
            cursor = connection.execute(f"SELECT * FROM {table}")  # type: ignore[arg-type]
        except psycopg.errors.InsufficientPrivilege:
            return None
        names = [column.name for column in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor]


def _links(table: str) -> list[tuple[str, str]]:
    """(column, table) of the references a derived rule follows."""
    found = next(item for item in shared_tables() if item.name == table)
    return [(fk.parent.name, fk.column.table.name) for fk in found.foreign_keys]


def _expected(url: str, codes: tuple[str, ...]) -> dict[str, set[uuid.UUID]]:
    """The scope, worked out from the administrator's view of everything."""
    every = {table: _rows(url, table) or [] for table in (
        "organization", "person", "club", "club_partner", "membership", "kpi_target",
        "meeting", "attendance", "interaction", "interaction_person", "registration")}

    def covers(code: str | None) -> bool:
        return code is not None and any(
            code == scope or (scope[2:5] == "000" and code[:2] == scope[:2]) for scope in codes)

    hosts = {row["id"] for row in every["organization"] if covers(row["lgcode"])}
    clubs = {row["id"] for row in every["club"] if row["host_municipality_id"] in hosts}
    meetings = {row["id"] for row in every["meeting"] if row["club_id"] in clubs}
    interactions = {row["id"] for row in every["interaction"]
                    if row["club_id"] in clubs or row["meeting_id"] in meetings}
    scope = {
        "club": clubs, "meeting": meetings, "interaction": interactions,
        "attendance": {r["id"] for r in every["attendance"] if r["meeting_id"] in meetings},
        "interaction_person": {r["id"] for r in every["interaction_person"]
                               if r["interaction_id"] in interactions},
    }
    for table in ("club_partner", "membership", "kpi_target"):
        scope[table] = {r["id"] for r in every[table] if r["club_id"] in clubs}
    scope["registration"] = {r["id"] for r in every["registration"]
                             if r["municipality_id"] in hosts}
    people = ({r["person_id"] for r in every["attendance"] if r["id"] in scope["attendance"]}
              | {r["person_id"] for r in every["registration"]
                 if r["id"] in scope["registration"]}
              | {r["person_id"] for r in every["membership"] if r["id"] in scope["membership"]}
              | {r["coordinator_id"] for r in every["club"] if r["id"] in clubs}
              | {r["person_id"] for r in every["interaction_person"]
                 if r["id"] in scope["interaction_person"]}) - {None}
    organizations = (hosts | {r["organization_id"] for r in every["person"] if r["id"] in people}
                     | {r["residence_id"] for r in every["person"] if r["id"] in people}
                     | {r["organization_id"] for r in every["club_partner"]
                        if r["id"] in scope["club_partner"]}) - {None}
    organizations |= {r["municipality_id"] for r in every["organization"]
                      if r["id"] in organizations} - {None}
    scope["person"], scope["organization"] = people, organizations
    return scope


@pytest.mark.parametrize("codes", [(ICHINOSEKI,), (IWATE,)], ids=["municipality", "prefecture"])
def test_a_scoped_login_reads_only_its_scope_with_plain_sql(
        shared: tuple[str, Services], codes: tuple[str, ...]) -> None:
    url, _services = shared
    login = f"scoped_{uuid.uuid4().hex[:8]}"
    add_user(url, login, UserScope(False, codes), user_password=None)
    expected = _expected(url, codes)
    assert expected["club"]
    assert expected["person"]
    with psycopg.connect(url, autocommit=True) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
    scoped_url = _as(url, login)
    derived = pg_security.derived_rules(shared_tables())
    order = [table.name for table in shared_tables()]  # parents first
    tables.sort(key=lambda name: order.index(name) if name in order else len(order))
    expected["tag_link"] = {row["id"] for row in _rows(url, "tag_link") or []
                            if row["target_id"] in expected[row["target_kind"]]}
    for table in order:  # refers to scoped records: visible when they all are
        if table in derived:
            expected[table] = {
                row["id"] for row in _rows(url, table) or []
                if all(row[column] is None or row[column] in expected[target]
                       for column, target in _links(table) if target in expected)}
            assert not table.startswith("survey") or 0 < len(expected[table]) < len(
                _rows(url, table) or []), table
    admin_people = {row["id"] for row in _rows(url, "person") or []}
    for table in tables:
        rows = _rows(scoped_url, table)
        if table in PRIVATE:
            assert rows is None, table
        elif table in expected:
            assert rows is not None
            assert {row["id"] for row in rows} == expected[table], table
        elif table in ("sync_field_clock", "sync_conflict", "change_log"):
            assert rows is not None
            for row in rows:
                assert row["row_id"] in expected[row["table_name"]], table
            if table == "change_log":
                assert len(rows) < len(_rows(url, table) or []), "some edits are elsewhere"
        elif table in derived:
            assert rows is not None
            assert {row["id"] for row in rows} == expected[table], table
        elif table == "tag":  # the list of tags (names, no people): everyone's
            assert rows == _rows(url, table)
        elif table == "tag_link":  # the tags of the records it sees
            assert rows is not None
            assert {row["id"] for row in rows} == expected["tag_link"]
            assert {row["target_id"] for row in rows} == expected["person"]
        elif table == "zoom_alias":
            assert all(row["person_id"] in expected["person"] for row in rows or [])
        elif table == "submitted_report":
            assert rows == []
        else:
            assert table in BOOKKEEPING, f"{table}: no rule says what a scoped login sees"
            text = repr(rows)
            assert not any(person.hex in text or str(person) in text
                           for person in admin_people - expected["person"]), table
    assert len(expected["person"]) < len(admin_people)
    if codes == (ICHINOSEKI,):  # its own registrations, none with the other town
        assert 0 < len(expected["registration"]) < len(_rows(url, "registration") or [])
        assert any(row["family_name"] == "新井" for row in _rows(scoped_url, "person") or [])


def test_a_scoped_login_cannot_write_outside_its_scope(shared: tuple[str, Services]) -> None:
    url, _services = shared
    login = f"scoped_{uuid.uuid4().hex[:8]}"
    add_user(url, login, UserScope(False, (ICHINOSEKI,)), user_password=None)
    inside = _expected(url, (ICHINOSEKI,))
    outside_club = next(row["id"] for row in _rows(url, "club") or []
                        if row["id"] not in inside["club"])
    outside_person = next(row["id"] for row in _rows(url, "person") or []
                          if row["id"] not in inside["person"])
    with psycopg.connect(_as(url, login), autocommit=True) as connection:
        updated = connection.execute("UPDATE person SET notes = 'x' WHERE id = %s",
                                     (outside_person,)).rowcount
        assert updated == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(
                "INSERT INTO meeting (id, club_id, title, kind, date, format, status, tool, url,"
                " place, agenda, notes, search_key, created_at, updated_at, replica_id, hlc,"
                " causal_length) VALUES (gen_random_uuid(), %s, 'x', 'session', '2026-01-01',"
                " 'online', 'held', '', '', '', '', '', '', now(), now(), gen_random_uuid(),"
                " '', 1)", (outside_club,))
    # through the application: the town's user sees its clubs and people only, and may add a
    # person who stays visible to the town before their first session
    database = open_database(_as(url, login))
    try:
        scoped = Services(database)
        assert {club.id for club in scoped.clubs.find()} == inside["club"]
        created = scoped.people.create(PersonDraft(family_name="新人"))
        assert created.id in {person.id for person in scoped.people.find()}
    finally:
        database.close()
