"""The undo journal: every kind of write undone and redone through the gateway (no Qt)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from kankei_desktop.core.clock import Stamp
from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.models import Attendance, Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.writes.journal import KEPT_ACTIONS, UndoRefusedError

#: the undo journal and the change log on a shared database too (tests/engines.py)
BOTH_ENGINES = True


def _person(services: Services, family: str = "山田", given: str = "太郎") -> uuid.UUID:
    with services.context.action("new person"):
        return services.people.create(PersonDraft(family_name=family, given_name=given)).id


def _held_session(services: Services) -> tuple[uuid.UUID, uuid.UUID]:
    club = services.clubs.create(ClubDraft(name="放課後企業クラブ"))
    meeting = services.meetings.create(MeetingDraft(
        club_id=club.id, title="第1回", date=date(2021, 6, 1), status="held"))
    return club.id, meeting.id


def test_an_edit_is_undone_and_redone_as_newer_stamped_edits(services: Services) -> None:
    person_id = _person(services)
    before = services.people.get(person_id)
    with services.context.action("山田 太郎の編集"):
        services.people.update(person_id, PersonDraft(family_name="山田", given_name="花子",
                                                      email="h@example.jp"))
    edited = services.people.get(person_id)
    assert services.context.journal.undo_label() == "山田 太郎の編集"

    assert services.context.undo() == "山田 太郎の編集"
    undone = services.people.get(person_id)
    assert (undone.given_name, undone.email) == ("太郎", "")
    assert undone.search_key == before.search_key  # re-keyed by the gateway
    assert Stamp.parse(undone.hlc) > Stamp.parse(edited.hlc)  # a newer edit: it wins in sync
    assert undone.replica_id == services.context.replica_id
    assert services.context.journal.redo_label() == "山田 太郎の編集"

    services.context.redo()
    redone = services.people.get(person_id)
    assert (redone.given_name, redone.email) == ("花子", "h@example.jp")
    assert Stamp.parse(redone.hlc) > Stamp.parse(undone.hlc)


def test_undoing_a_creation_tombstones_and_redo_revives(services: Services) -> None:
    person_id = _person(services)
    services.context.undo()
    assert services.people.get(person_id, include_deleted=True).is_deleted
    assert services.people.count() == 0
    services.context.redo()
    assert not services.people.get(person_id).is_deleted


def test_undoing_a_delete_revives(services: Services) -> None:
    person_id = _person(services)
    with services.context.action("delete"):
        services.people.delete(person_id)
    services.context.undo()
    assert not services.people.get(person_id).is_deleted
    services.context.redo()
    assert services.people.get(person_id, include_deleted=True).is_deleted


def test_attendance_changes_are_undone_and_the_figures_follow(services: Services) -> None:
    _club_id, meeting_id = _held_session(services)
    person_id = _person(services)
    with services.context.action("attendance"):
        services.attendance.set(meeting_id, person_id, "attended")
    assert services.figures.fiscal_year(2021).total.person_times == 1
    services.context.undo()
    assert services.figures.fiscal_year(2021).total.person_times == 0
    with services.context.action("absent"):
        services.attendance.set(meeting_id, person_id, "attended")
        services.attendance.set(meeting_id, person_id, "absent")
    with services.context.action("remove"):
        services.attendance.remove(meeting_id, person_id)
    services.context.undo()
    assert services.attendance.roster(meeting_id)[0].status == "absent"


def test_membership_and_partner_changes_are_undone(services: Services) -> None:
    club_id, _meeting_id = _held_session(services)
    person_id = _person(services)
    with services.context.action("member"):
        services.clubs.add_member(club_id, person_id)
    assert services.clubs.member_count(club_id) == 1
    services.context.undo()
    assert services.clubs.member_count(club_id) == 0


def test_an_action_that_failed_leaves_nothing_to_undo(services: Services) -> None:
    person_id = _person(services)
    with pytest.raises(ValidationError), services.context.action("bad edit"):
        services.people.update(person_id, PersonDraft(family_name=""))
    assert services.context.journal.labels() == ["new person"]


def test_writes_outside_an_action_are_not_recorded(services: Services) -> None:
    services.people.create(PersonDraft(family_name="鈴木"))
    assert services.context.journal.undo_label() is None
    with pytest.raises(UndoRefusedError):
        services.context.undo()


def test_nested_actions_are_one_and_several_transactions_undo_together(
        services: Services) -> None:
    with services.context.action("two people"):
        first = services.people.create(PersonDraft(family_name="一")).id
        with services.context.action("inner"):
            second = services.people.create(PersonDraft(family_name="二")).id
    assert services.context.journal.labels() == ["two people"]
    services.context.undo()
    assert services.people.count() == 0
    assert {first, second} == {row.id for row in services.people.find(deleted=True)}


def test_a_new_action_clears_redo_and_the_last_actions_are_kept(services: Services) -> None:
    person_id = _person(services)
    for number in range(KEPT_ACTIONS + 20):
        with services.context.action(f"edit {number}"):
            services.people.update(person_id, PersonDraft(family_name=f"名{number}"))
    journal = services.context.journal
    assert len(journal.labels()) == KEPT_ACTIONS >= 50
    assert journal.labels()[0] == f"edit {KEPT_ACTIONS + 19}"
    services.context.undo()
    assert journal.redo_label() is not None
    with services.context.action("another"):
        services.people.update(person_id, PersonDraft(family_name="別"))
    assert journal.redo_label() is None


def test_undo_is_refused_when_a_bundle_import_changed_the_row(services: Services) -> None:
    older = _person(services, "佐藤")
    person_id = _person(services)
    with services.context.action("山田 太郎の編集"):
        services.people.update(person_id, PersonDraft(family_name="山田", given_name="次郎"))
    # what a bundle merge does: rows written beside the gateway, with the peer's clock
    peer_clock = "9999999999999-00000-" + uuid.uuid4().hex
    with services.context.transaction() as session:
        session.execute(text("UPDATE person SET given_name = '三郎', hlc = :hlc WHERE id = :id"),
                        {"hlc": peer_clock, "id": person_id.hex})
    with pytest.raises(UndoRefusedError, match="山田 太郎の編集"):
        services.context.undo()
    assert services.people.get(person_id).given_name == "三郎"  # nothing was lost
    # the refused action left the list; the older ones stay valid and can still be undone
    assert services.context.journal.labels() == ["new person", "new person"]
    with pytest.raises(UndoRefusedError):  # creation of 山田: its row was changed as well
        services.context.undo()
    assert services.people.get(person_id).given_name == "三郎"
    services.context.undo()  # creation of 佐藤: untouched, so it is undone
    assert services.people.get(older, include_deleted=True).is_deleted


def test_a_rolled_back_transaction_inside_an_action_is_not_recorded(services: Services) -> None:
    person_id = _person(services)
    def fail() -> None:
        with services.context.transaction() as session:
            row = session.get(Person, person_id)
            assert row is not None
            services.context.writes.change(row, {"given_name": "消える"})
            raise RuntimeError

    with services.context.action("partly"):
        with pytest.raises(RuntimeError):
            fail()
        services.people.update(person_id, PersonDraft(family_name="山田", given_name="残る"))
    services.context.undo()
    assert services.people.get(person_id).given_name == "太郎"


def test_undo_restores_only_what_the_action_changed(services: Services) -> None:
    _club_id, meeting_id = _held_session(services)
    a = _person(services, "甲")
    b = _person(services, "乙")
    with services.context.action("甲"):
        services.attendance.set(meeting_id, a)
    with services.context.action("乙"):
        services.attendance.set(meeting_id, b)
    services.context.undo()
    with services.context.reading() as session:
        alive = set(session.scalars(select(Attendance.person_id).where(
            Attendance.deleted_at.is_(None))))
    assert alive == {a}


@pytest.mark.sqlite_only
def test_a_new_file_has_an_empty_journal(tmp_path: object, services: Services) -> None:
    _person(services)
    other = Services(open_database(services.database.path.with_name("other.sqlite3")))
    try:
        assert other.context.journal.undo_label() is None
    finally:
        other.database.close()


# -- any sequence of edits, undos and redos ends where an oracle says -----------------------

NAMES = ("青木", "井上", "上田")
Step = tuple[str, int, str]
steps = st.lists(st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 2), st.sampled_from(["あ", "い", "う", "え"])),
    st.tuples(st.just("delete"), st.integers(0, 2), st.just("")),
    st.tuples(st.just("restore"), st.integers(0, 2), st.just("")),
    st.tuples(st.just("undo"), st.just(0), st.just("")),
    st.tuples(st.just("redo"), st.just(0), st.just("")),
), max_size=25)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=steps)
def test_undo_and_redo_follow_the_history_of_states(tmp_path_factory: pytest.TempPathFactory,
                                                    script: list[Step]) -> None:
    database = open_database(tmp_path_factory.mktemp("journal") / "k.sqlite3")
    services = Services(database)
    try:
        ids = [services.people.create(PersonDraft(family_name=name)).id for name in NAMES]

        def state() -> list[tuple[str, bool]]:
            rows = [services.people.get(row_id, include_deleted=True) for row_id in ids]
            return [(row.given_name, row.is_deleted) for row in rows]

        history = [state()]
        position = 0
        for kind, index, value in script:
            if kind == "undo":
                if position == 0:
                    continue
                services.context.undo()
                position -= 1
            elif kind == "redo":
                if position == len(history) - 1:
                    continue
                services.context.redo()
                position += 1
            else:
                before = state()
                with services.context.action(kind):
                    if kind == "edit":
                        row = services.people.get(ids[index], include_deleted=True)
                        if not row.is_deleted:
                            services.people.update(ids[index], PersonDraft(
                                family_name=row.family_name, given_name=value))
                    elif kind == "delete":
                        services.people.delete(ids[index]) if not before[index][1] else None
                    elif before[index][1]:
                        services.people.restore(ids[index])
                if state() != before:
                    history = [*history[:position + 1], state()]
                    position += 1
            assert state() == history[position]
    finally:
        database.close()


def test_the_figures_return_after_undoing_a_session_with_attendance(services: Services) -> None:
    club_id = services.clubs.create(ClubDraft(name="クラブ")).id
    person_id = _person(services)
    with services.context.action("new session"):
        meeting = services.meetings.create(MeetingDraft(
            club_id=club_id, title="報告会", date=date(2021, 5, 1), status="held"))
        services.attendance.set(meeting.id, person_id)
    figures = services.figures.fiscal_year(2021, FigureFilter(club_id=club_id)).total
    assert (figures.meetings_held, figures.person_times) == (1, 1)
    services.context.undo()
    figures = services.figures.fiscal_year(2021, FigureFilter(club_id=club_id)).total
    assert (figures.meetings_held, figures.person_times) == (0, 0)
