"""Convergence of scoped replicas: two full replicas (the office's shared database among
them when PostgreSQL runs) and two laptops that hold one municipality each exchange bundles
in any order while people are created, edited, moved house and deleted, attendance and
ふるさと住民 registrations are recorded and clubs move between the municipalities. After
everyone has exchanged with everyone it may talk to: the full replicas are identical, each
laptop holds exactly the full replicas' rows for every record in its scope, and no record
outside its scope ever reached it (unless it was in the scope once, or the laptop made it)."""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from kankei_desktop.core.models import Meeting, Organization, Person, Registration
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.services.registrations import RegistrationDraft
from kankei_desktop.core.storage.rows import storage_rows
from kankei_desktop.core.writes.natural_ids import attendance_uuid, registration_uuid
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.schema import table_specs
from kankei_desktop.sync.scope import Scope, scope_rows
from kankei_desktop.sync.service import SyncService
from tests.sync.helpers import full_state, open_replica

TOWNS = {"014524": "北海道鷹栖町", "131016": "東京都千代田区"}
#: replica index → scope (None: everything). 0 and 1 are full, 2 and 3 laptops.
SCOPES: list[Scope | None] = [None, None, Scope(frozenset({"municipality:014524"})),
                              Scope(frozenset({"municipality:131016"}))]
replica = st.integers(0, len(SCOPES) - 1)
SERVER: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _server(request: pytest.FixtureRequest) -> None:
    """The session's PostgreSQL server for the shared-database variant."""
    if "Shared" in request.node.nodeid:
        SERVER["server"] = request.getfixturevalue("postgres_server")


def _rows_by_id(services: Services) -> dict[str, dict[str, list[Any]]]:
    with services.context.reading() as session:
        raw = storage_rows(session)
        return {spec.name: {row[0]: list(row) for row in raw.execute(
            f"SELECT id, causal_length, {', '.join(spec.field_names)} FROM {spec.name}")}
            for spec in table_specs()}


def _scope_ids(services: Services, scope: Scope) -> dict[str, set[str]]:
    with services.context.reading() as session:
        return scope_rows(storage_rows(session), scope).ids


class ScopedMachine(RuleBasedStateMachine):
    """Full replicas, scoped laptops, their writes and bundles."""

    shared = False

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kankei-scoped-"))
        self.lent: list[str] = []
        locations: list[Path | str] = [self.folder / f"r{i}.sqlite3" for i in range(4)]
        if self.shared:
            self.lent.append(SERVER["server"].lend())
            locations[0] = self.lent[0]
        self.replicas = [open_replica(location) for location in locations]
        self.people: list[uuid.UUID] = []
        self.meetings: list[tuple[uuid.UUID, int]] = []  # (id, club index)
        self.clubs: list[uuid.UUID] = []
        self.towns: list[uuid.UUID] = []
        self.made_at: list[set[str]] = [set() for _ in SCOPES]
        self.ever: list[dict[str, set[str]]] = [{} for _ in SCOPES]
        self.counter = 0

    @initialize()
    def start(self) -> None:
        """Replica 0 makes two towns, a club in each and one without a host, with sessions;
        the full replica gets everything, each laptop its town."""
        first = self.replicas[0]
        for code, name in TOWNS.items():
            self.towns.append(first.organizations.create(OrganizationDraft(
                kind="municipality", name=name, lgcode=code)).id)
        for index, host in enumerate([self.towns[0], self.towns[1], None]):
            club = first.clubs.create(ClubDraft(name=f"クラブ{index}", host_municipality_id=host))
            self.clubs.append(club.id)
            for day in (1, 2):
                meeting = first.meetings.create(MeetingDraft(
                    club_id=club.id, title=f"第{day}回", date=date(2026, 5, day), status="held"))
                self.meetings.append((meeting.id, index))
        for dest in range(1, len(SCOPES)):
            self._send(0, dest)
        self._note_scopes()

    def _send(self, source: int, dest: int) -> None:
        """A bundle from ``source`` for ``dest``, as the application would make it."""
        if SCOPES[source] is not None and SCOPES[dest] is not None:
            return  # two towns' laptops do not exchange directly
        self.counter += 1
        path = self.folder / f"b{self.counter}.kankei"
        sync = SyncService(self.replicas[source])
        known = {str(peer.replica_id) for peer in sync.peers()}
        target = str(self.replicas[dest].context.replica_id)
        scope = SCOPES[dest]
        if target in known:
            sync.export(path, peer=target)
        else:
            sync.export(path, scope=sorted(scope.terms) if scope else None)
        SyncService(self.replicas[dest]).import_(path, None, allow_unencrypted=True)

    def _known(self, index: int, table: Any, row_id: uuid.UUID) -> Any:
        with self.replicas[index].context.reading() as session:
            return session.get(table, row_id)

    @rule(index=replica, name=st.sampled_from(["佐藤", "鈴木"]))
    def create_person(self, index: int, name: str) -> None:
        person = self.replicas[index].people.create(PersonDraft(family_name=name))
        self.people.append(person.id)
        self.made_at[index].add(person.id.hex)

    @precondition(lambda self: self.people)
    @rule(index=replica, pick=st.integers(0, 100), value=st.sampled_from(["課長", "係長", ""]))
    def edit_person(self, index: int, pick: int, value: str) -> None:
        person_id = self.people[pick % len(self.people)]
        row = self._known(index, Person, person_id)
        if row is None or row.deleted_at is not None or row.job_title == value:
            return
        draft = PersonDraft.of(row)
        draft.job_title = value
        self.replicas[index].people.update(person_id, draft)

    @precondition(lambda self: self.people)
    @rule(index=replica, pick=st.integers(0, 100))
    def delete_or_restore_person(self, index: int, pick: int) -> None:
        person_id = self.people[pick % len(self.people)]
        row = self._known(index, Person, person_id)
        if row is None:
            return
        if row.deleted_at is None:
            self.replicas[index].people.delete(person_id)
        else:
            self.replicas[index].people.restore(person_id)

    @precondition(lambda self: self.people)
    @rule(index=replica, pick=st.integers(0, 100), meeting=st.integers(0, 5),
          status=st.sampled_from(["attended", "absent"]))
    def attendance(self, index: int, pick: int, meeting: int, status: str) -> None:
        person_id = self.people[pick % len(self.people)]
        meeting_id = self.meetings[meeting][0]
        person = self._known(index, Person, person_id)
        if person is None or person.deleted_at is not None \
                or self._known(index, Meeting, meeting_id) is None:
            return
        self.replicas[index].attendance.set(meeting_id, person_id, status)
        self.made_at[index].add(attendance_uuid(meeting_id, person_id).hex)

    @precondition(lambda self: self.people)
    @rule(index=replica, pick=st.integers(0, 100), town=st.integers(0, 2))
    def move_home(self, index: int, pick: int, town: int) -> None:
        """Someone's 居住自治体 changes (to a town this replica holds, or to none)."""
        person_id = self.people[pick % len(self.people)]
        row = self._known(index, Person, person_id)
        residence = self.towns[town] if town < 2 else None
        if row is None or row.deleted_at is not None or row.residence_id == residence or (
                residence is not None and self._known(index, Organization, residence) is None):
            return
        draft = PersonDraft.of(row)
        draft.residence_id = residence
        self.replicas[index].people.update(person_id, draft)

    @precondition(lambda self: self.people)
    @rule(index=replica, pick=st.integers(0, 100), town=st.integers(0, 1),
          tier=st.sampled_from(["basic", "premium"]))
    def register(self, index: int, pick: int, town: int, tier: str) -> None:
        """A ふるさと住民 registration with a town, or a change of its tier."""
        person_id = self.people[pick % len(self.people)]
        municipality = self.towns[town]
        services = self.replicas[index]
        person = self._known(index, Person, person_id)
        if person is None or person.deleted_at is not None \
                or self._known(index, Organization, municipality) is None:
            return
        row_id = registration_uuid(person_id, municipality)
        row = self._known(index, Registration, row_id)
        if row is None or row.deleted_at is not None:
            services.registrations.create(RegistrationDraft(
                person_id=person_id, municipality_id=municipality, tier=tier,
                registered_on=date(2027, 1, 10)))
        elif row.tier != tier:
            draft = RegistrationDraft.of(row)
            draft.tier = tier
            services.registrations.update(row_id, draft)
        self.made_at[index].add(row_id.hex)

    @rule(index=st.integers(0, 1), club=st.integers(0, 2), town=st.integers(0, 2))
    def move_club(self, index: int, club: int, town: int) -> None:
        """A full replica moves a club to the other town (or to none)."""
        services = self.replicas[index]
        row = services.clubs.get(self.clubs[club])
        host = self.towns[town] if town < 2 else None
        if row.host_municipality_id == host:
            return
        draft = ClubDraft.of(row, services.clubs.partner_ids(row.id))
        draft.host_municipality_id = host
        services.clubs.update(row.id, draft)

    @rule(source=replica, dest=replica)
    def send_bundle(self, source: int, dest: int) -> None:
        if source != dest:
            self._send(source, dest)

    @invariant()
    def note_scopes(self) -> None:
        self._note_scopes()

    def _note_scopes(self) -> None:
        """What was in each laptop's scope at some time (on any full replica)."""
        for index, scope in enumerate(SCOPES):
            if scope is None:
                continue
            for full in (0, 1):
                for table, ids in _scope_ids(self.replicas[full], scope).items():
                    self.ever[index].setdefault(table, set()).update(ids)

    @invariant()
    def nothing_outside_reaches_a_laptop(self) -> None:
        for index, scope in enumerate(SCOPES):
            if scope is None:
                continue
            held = _rows_by_id(self.replicas[index])
            for table, rows in held.items():
                for row_id in rows:
                    assert row_id in self.ever[index].get(table, set()) \
                        or row_id in self.made_at[index], \
                        f"{table} {row_id} reached laptop {index} from outside its scope"

    def teardown(self) -> None:
        try:
            self._check()
        finally:
            for services in self.replicas:
                services.database.close()
            for url in self.lent:
                SERVER["server"].give_back(url)
            shutil.rmtree(self.folder, ignore_errors=True)

    def _check(self) -> None:
        for _round in range(3):
            for source, dest in itertools.permutations(range(len(SCOPES)), 2):
                self._send(source, dest)
        assert dump_text(self.replicas[0]) == dump_text(self.replicas[1])
        assert full_state(self.replicas[0]) == full_state(self.replicas[1])
        truth = _rows_by_id(self.replicas[0])
        # no row is lost: whatever any replica holds (made there or received) is on the full
        # replicas, and every person made anywhere is among them
        for index in range(len(SCOPES)):
            for table, rows in _rows_by_id(self.replicas[index]).items():
                missing = set(rows) - set(truth[table])
                assert not missing, f"{table} rows of replica {index} lost: {sorted(missing)}"
        assert {person.hex for person in self.people} <= set(truth["person"])
        for index, scope in enumerate(SCOPES):
            if scope is None:
                continue
            held = _rows_by_id(self.replicas[index])
            for table, ids in _scope_ids(self.replicas[0], scope).items():
                for row_id in ids:
                    assert held[table].get(row_id) == truth[table][row_id], (
                        f"laptop {index}: {table} {row_id} differs within its scope: "
                        f"{json.dumps(held[table].get(row_id), ensure_ascii=False)} vs "
                        f"{json.dumps(truth[table][row_id], ensure_ascii=False)}")


ScopedMachine.TestCase.settings = settings(
    max_examples=8, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestScopedConvergence = ScopedMachine.TestCase


class SharedScopedMachine(ScopedMachine):
    """The same with replica 0 the office's shared PostgreSQL database."""

    shared = True


SharedScopedMachine.TestCase.settings = settings(
    max_examples=5, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestSharedScopedConvergence = SharedScopedMachine.TestCase
