"""The randomised convergence property: any exchange order, then all-to-all → same data.

Three replicas edit the same people, organisations, attendance and a questionnaire (its
answers, wording and chosen texts) through the real
services; bundles (full or incremental, fresh or stale) travel in random order. After
everyone has exchanged with everyone: all dumps are identical (tombstones included), every
concurrently overwritten value is in some conflict log, and re-importing any bundle changes
nothing.
"""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
import uuid
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.models import Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.services.stages import StageMove
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.service import SyncService
from tests.sync.helpers import all_lost_values, exchange, full_state, open_replica

REPLICAS = 3
PERSON_FIELDS = {
    "email": ["a@example.jp", "b@example.jp", "c@example.jp", ""],
    "phone": ["011-111", "022-222", ""],
    "job_title": ["課長", "係長", "主任"],
    "given_name": ["太郎", "花子", "一郎"],
}
replica_index = st.integers(min_value=0, max_value=REPLICAS - 1)


class SyncMachine(RuleBasedStateMachine):
    """Replicas, their writes (the oracle) and the bundles made so far."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kankei-sync-"))
        self.replicas: list[Services] = [
            open_replica(self.folder / f"r{index}.sqlite3") for index in range(REPLICAS)]
        self.people: list[uuid.UUID] = []
        self.meetings: list[uuid.UUID] = []
        self.organizations: list[uuid.UUID] = []
        self.matchings: list[uuid.UUID] = []
        self.bundles: list[tuple[int, Path]] = []
        self.survey: uuid.UUID | None = None
        self.questions: list[uuid.UUID] = []
        # oracle: (person hex, field) → [(stamp, value)], and stamps knowingly overwritten
        self.writes: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.superseded: set[str] = set()
        self.counter = 0

    @initialize()
    def shared_start(self) -> None:
        """Replica 0 makes a club with three sessions; everyone gets them."""
        first = self.replicas[0]
        club = first.clubs.create(ClubDraft(name="共創クラブ"))
        self.club = club.id
        self.town = first.organizations.ensure_municipality("032093").id
        for day in (1, 2, 3):
            meeting = first.meetings.create(MeetingDraft(club_id=club.id, title=f"第{day}回",
                                                         date=date(2026, 5, day)))
            self.meetings.append(meeting.id)
        # surveys (issue 19): the club's questionnaire, answered and edited everywhere
        survey = first.surveys.create_for_club(club.id, templates=("satisfaction",
                                                                   "impressions"))
        self.survey = survey.id
        self.questions = [row.id for row in first.surveys.questions(survey.id)]
        for index in range(1, REPLICAS):
            exchange(first, self.replicas[index], self.folder, name="start.kankei")

    def _person_known(self, services: Services, person_id: uuid.UUID) -> Person | None:
        with services.context.reading() as session:
            return session.get(Person, person_id)

    @rule(index=replica_index, name=st.sampled_from(["佐藤", "鈴木", "高橋"]))
    def create_person(self, index: int, name: str) -> None:
        person = self.replicas[index].people.create(PersonDraft(family_name=name))
        self.people.append(person.id)

    @rule(index=replica_index, pick=st.integers(0, 1000), data=st.data())
    def create_organization(self, index: int, pick: int, data: st.DataObject) -> None:
        del pick, data
        org = self.replicas[index].organizations.create(
            OrganizationDraft(kind="company", name=f"会社{len(self.organizations)}"))
        self.organizations.append(org.id)

    @precondition(lambda self: self.organizations)
    @rule(index=replica_index, pick=st.integers(0, 1000),
          address=st.sampled_from([("100-0001", "東京都千代田区"), ("060-0001", "札幌市中央区"),
                                   ("", "")]))
    def move_organization(self, index: int, pick: int, address: tuple[str, str]) -> None:
        services = self.replicas[index]
        org_id = self.organizations[pick % len(self.organizations)]
        try:
            row = services.organizations.get(org_id)
        except KankeiError:
            return
        draft = OrganizationDraft.of(row)
        draft.postal_code, draft.address = address
        services.organizations.update(org_id, draft)

    @precondition(lambda self: self.people)
    @rule(index=replica_index, pick=st.integers(0, 1000),
          field=st.sampled_from(sorted(PERSON_FIELDS)), choice=st.integers(0, 3))
    def edit_person(self, index: int, pick: int, field: str, choice: int) -> None:
        services = self.replicas[index]
        person_id = self.people[pick % len(self.people)]
        row = self._person_known(services, person_id)
        if row is None or row.deleted_at is not None:
            return
        values = PERSON_FIELDS[field]
        value = values[choice % len(values)]
        if getattr(row, field) == value:
            return
        before = self._field_clock(services, person_id, field, row.hlc)
        self.superseded.add(before)
        draft = PersonDraft.of(row)
        setattr(draft, field, value)
        updated = services.people.update(person_id, draft)
        self.writes.setdefault((person_id.hex, field), []).append((updated.hlc, value))

    @precondition(lambda self: self.people)
    @rule(first=replica_index, second=replica_index, pick=st.integers(0, 1000),
          field=st.sampled_from(sorted(PERSON_FIELDS)), choice=st.integers(0, 3))
    def concurrent_edits(self, first: int, second: int, pick: int, field: str,
                         choice: int) -> None:
        """The same field of the same person changed on two replicas before they talk."""
        if first == second:
            return
        values = PERSON_FIELDS[field]
        self.edit_person(first, pick, field, choice)
        self.edit_person(second, pick, field, choice + 1)
        del values

    def _field_clock(self, services: Services, person_id: uuid.UUID, field: str,
                     row_hlc: str) -> str:
        with services.context.reading() as session:
            from kankei_desktop.core.models import SyncFieldClock

            entry = session.get(SyncFieldClock, ("person", person_id, field))
            return entry.hlc if entry is not None else row_hlc

    @precondition(lambda self: self.people)
    @rule(index=replica_index, pick=st.integers(0, 1000))
    def delete_person(self, index: int, pick: int) -> None:
        services = self.replicas[index]
        person_id = self.people[pick % len(self.people)]
        row = self._person_known(services, person_id)
        if row is not None and row.deleted_at is None:
            services.people.delete(person_id)

    @precondition(lambda self: self.people)
    @rule(index=replica_index, pick=st.integers(0, 1000))
    def restore_person(self, index: int, pick: int) -> None:
        services = self.replicas[index]
        person_id = self.people[pick % len(self.people)]
        row = self._person_known(services, person_id)
        if row is not None and row.deleted_at is not None:
            services.people.restore(person_id)

    @precondition(lambda self: self.people)
    @rule(index=replica_index, pick=st.integers(0, 1000), meeting=st.integers(0, 2),
          status=st.sampled_from(["attended", "absent", "excused", "remove"]))
    def attendance(self, index: int, pick: int, meeting: int, status: str) -> None:
        services = self.replicas[index]
        person_id = self.people[pick % len(self.people)]
        row = self._person_known(services, person_id)
        if row is None or row.deleted_at is not None:
            return
        if status == "remove":
            services.attendance.remove(self.meetings[meeting], person_id)
        else:
            services.attendance.set(self.meetings[meeting], person_id, status)

    # -- ふるさと住民登録 (issue 20): designations, residences, registrations ---------------

    @rule(index=replica_index, meeting=st.integers(0, 2), designated=st.booleans())
    def designate(self, index: int, meeting: int, designated: bool) -> None:
        self.replicas[index].furusato.designate([self.meetings[meeting]], designated)

    @precondition(lambda self: self.people)
    @rule(index=replica_index, pick=st.integers(0, 1000),
          residence=st.sampled_from([None, "014524", "011002"]))
    def move_person(self, index: int, pick: int, residence: str | None) -> None:
        services = self.replicas[index]
        person_id = self.people[pick % len(self.people)]
        row = self._person_known(services, person_id)
        if row is None or row.deleted_at is not None:
            return
        draft = PersonDraft.of(row)
        draft.residence_id = (services.organizations.ensure_municipality(residence).id
                              if residence else None)
        draft.postal_code = "071-1292" if residence == "014524" else ""
        try:
            services.people.update(person_id, draft)
        except KankeiError:
            return

    @precondition(lambda self: self.people)
    @rule(index=replica_index, pick=st.integers(0, 1000),
          code=st.sampled_from(["014524", "014583"]), tier=st.sampled_from(["basic", "premium"]),
          status=st.sampled_from(["active", "withdrawn", "delete"]))
    def registration(self, index: int, pick: int, code: str, tier: str, status: str) -> None:
        from kankei_desktop.core.services.registrations import RegistrationDraft
        from kankei_desktop.core.writes.natural_ids import registration_uuid

        services = self.replicas[index]
        person_id = self.people[pick % len(self.people)]
        row = self._person_known(services, person_id)
        if row is None or row.deleted_at is not None:
            return
        municipality = services.organizations.ensure_municipality(code).id
        row_id = registration_uuid(person_id, municipality)
        try:
            current = services.registrations.get(row_id)
        except KankeiError:
            current = None
        try:
            if status == "delete":
                if current is not None:
                    services.registrations.delete(row_id)
            elif current is None:
                services.registrations.create(RegistrationDraft(
                    person_id=person_id, municipality_id=municipality,
                    registered_on=date(2027, 1, 10), tier=tier, status=status))
            else:
                draft = RegistrationDraft.of(current)
                draft.tier, draft.status = tier, status
                services.registrations.update(row_id, draft)
        except KankeiError:
            return  # premium where the person lives: refused, nothing written

    @rule(index=replica_index, meeting=st.integers(0, 2), point=st.integers(1, 5),
          text=st.sampled_from(["", "よかった", "また参加したい"]))
    def survey_sheet(self, index: int, meeting: int, point: int, text: str) -> None:
        """A paper sheet typed on one replica (surveys, issue 19)."""
        assert self.survey is not None
        self.replicas[index].surveys.save_response(
            self.survey, self.meetings[meeting],
            {self.questions[0]: str(point), self.questions[1]: text})

    @rule(index=replica_index, wording=st.sampled_from(["満足度", "本日の満足度", "満足度は"]))
    def survey_question_text(self, index: int, wording: str) -> None:
        """The same question reworded on several replicas (a conflict, kept in the log)."""
        from kankei_desktop.core.services.survey_questions import QuestionDraft

        services = self.replicas[index]
        row = next(row for row in services.surveys.questions(self.survey)  # type: ignore[arg-type]
                   if row.id == self.questions[0])
        draft = QuestionDraft.of(row)
        draft.text = wording
        services.surveys.update_question(row.id, draft)

    @rule(index=replica_index, pick=st.integers(0, 1000), featured=st.booleans(),
          delete=st.booleans())
    def survey_choose_text(self, index: int, pick: int, featured: bool, delete: bool) -> None:
        """A free text chosen for the reports, or its sheet deleted."""
        services = self.replicas[index]
        texts = [item for meeting in self.meetings for question in
                 services.surveys.meeting_results(meeting).questions
                 for item in question.texts]
        if not texts:
            return
        item = texts[pick % len(texts)]
        if delete:
            from kankei_desktop.core.models import Answer

            with services.context.reading() as session:
                answer = session.get(Answer, item.answer_id)
                response_id = answer.response_id if answer is not None else None
            if response_id is not None:
                services.surveys.delete_response(response_id)
        else:
            services.surveys.set_featured(item.answer_id, featured)
    # -- outcomes (issue 17) -----------------------------------------------------------------

    @precondition(lambda self: self.people)
    @rule(index=replica_index, pick=st.integers(0, 1000),
          kind=st.sampled_from(["side_job", "internship"]), day=st.integers(1, 3))
    def create_matching(self, index: int, pick: int, kind: str, day: int) -> None:
        services = self.replicas[index]
        person_id = self.people[pick % len(self.people)]
        row = self._person_known(services, person_id)
        if row is None or row.deleted_at is not None:
            return
        try:
            created = services.matchings.create(MatchingDraft(
                kind=kind, person_id=person_id, host_id=self.town, made_on=date(2026, 6, day),
                club_id=self.club))
        except KankeiError:
            return  # already recorded here (the same natural id)
        self.matchings.append(created.id)

    @precondition(lambda self: self.matchings)
    @rule(index=replica_index, pick=st.integers(0, 1000),
          change=st.sampled_from([("status", "ongoing"), ("status", "ended"),
                                  ("note", "メモA"), ("note", "メモB"), ("theme", "EC"),
                                  ("delete", None), ("restore", None)]))
    def edit_matching(self, index: int, pick: int, change: tuple[str, str | None]) -> None:
        services = self.replicas[index]
        matching_id = self.matchings[pick % len(self.matchings)]
        try:
            row = services.matchings.get(matching_id, include_deleted=True)
        except KankeiError:
            return  # not arrived here yet
        name, value = change
        try:
            if name == "delete":
                services.matchings.delete(matching_id)
            elif name == "restore":
                if row.deleted_at is not None:
                    services.matchings.restore(matching_id)
            elif row.deleted_at is None:
                draft = MatchingDraft.of(row)
                setattr(draft, name, value)
                services.matchings.update(matching_id, draft)
        except KankeiError:
            return  # its person was deleted meanwhile, …

    @rule(index=replica_index, stage=st.sampled_from(["theme", "matching", "pilot"]),
          day=st.integers(1, 3), tags=st.sets(st.sampled_from(["高校生", "協定先"])))
    def move_and_tag_club(self, index: int, stage: str, day: int, tags: set[str]) -> None:
        services = self.replicas[index]
        services.stages.move(self.club, StageMove(stage, date(2026, 7, day), f"{stage}の成果"))
        services.tags.set_tags("club", self.club, sorted(tags))

    @rule(source=replica_index, dest=replica_index, incremental=st.booleans())
    def send_bundle(self, source: int, dest: int, incremental: bool) -> None:
        if source == dest:
            return
        self.counter += 1
        path = exchange(self.replicas[source], self.replicas[dest], self.folder,
                        incremental=incremental, name=f"b{self.counter}.kankei")
        self.bundles.append((source, path))

    @precondition(lambda self: self.bundles)
    @rule(pick=st.integers(0, 1000), dest=replica_index)
    def stale_bundle(self, pick: int, dest: int) -> None:
        source, path = self.bundles[pick % len(self.bundles)]
        if source != dest:
            SyncService(self.replicas[dest]).import_(path, None, allow_unencrypted=True)

    @invariant()
    def no_duplicate_attendance(self) -> None:
        for services in self.replicas:
            with services.context.reading() as session:
                from sqlalchemy import text

                pairs = session.execute(text(
                    "SELECT count(*) FROM (SELECT meeting_id, person_id FROM attendance "
                    "GROUP BY meeting_id, person_id HAVING count(*) > 1)")).scalar()
                assert pairs == 0

    def teardown(self) -> None:
        try:
            self._check_convergence()
        finally:
            for services in self.replicas:
                services.database.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _check_convergence(self) -> None:
        for _round in range(2):
            for source, target in itertools.permutations(range(REPLICAS), 2):
                self.counter += 1
                path = exchange(self.replicas[source], self.replicas[target], self.folder,
                                name=f"final{self.counter}.kankei")
                self.bundles.append((source, path))
        dumps = [dump_text(services) for services in self.replicas]
        assert all(text == dumps[0] for text in dumps), "replicas differ after all-to-all"
        states = [full_state(services) for services in self.replicas]
        assert all(state == states[0] for state in states), "tombstones differ"
        stages = {services.stages.current(self.club) for services in self.replicas}
        assert len(stages) == 1, "replicas disagree on the club's current stage"
        self._check_nothing_lost()
        for source, path in self.bundles:
            for index, services in enumerate(self.replicas):
                if index == source:
                    continue
                before = full_state(services)
                report = SyncService(services).import_(path, None, allow_unencrypted=True)
                assert report.changes == 0
                assert full_state(services) == before

    def _check_nothing_lost(self) -> None:
        final = json.loads(full_state(self.replicas[0]))["person"]
        from kankei_desktop.sync.schema import spec_by_name

        names = ["id", "causal_length", *spec_by_name()["person"].field_names]
        by_id = {row[0]: dict(zip(names, row, strict=True)) for row in final}
        lost = all_lost_values(self.replicas)
        for (person_hex, field), writes in self.writes.items():
            for stamp, value in writes:
                if stamp in self.superseded or by_id[person_hex][field] == value:
                    continue
                assert ("person", person_hex, field, json.dumps(value)) in lost, (
                    f"lost without a trace: {field}={value!r} of {person_hex}")


SyncMachine.TestCase.settings = settings(
    max_examples=12, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestConvergence = SyncMachine.TestCase
