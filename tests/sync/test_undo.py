"""Undo and sync: an undo is a newer edit that wins on every replica; a merge of duplicates is
one undoable action; a bundle import is never recorded and keeps older undo history honest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.writes.journal import UndoRefusedError
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.service import SyncService
from tests.sync.helpers import exchange


def test_an_undone_edit_wins_on_the_colleagues_replica(replicas: list[Services],
                                                       tmp_path: Path) -> None:
    a, b, _c = replicas
    person = a.people.create(PersonDraft(family_name="山田", given_name="太郎"))
    with a.context.action("edit"):
        a.people.update(person.id, PersonDraft(family_name="山田", given_name="花子"))
    exchange(a, b, tmp_path)
    assert b.people.get(person.id).given_name == "花子"
    a.context.undo()
    exchange(a, b, tmp_path)
    assert b.people.get(person.id).given_name == "太郎"
    assert dump_text(a) == dump_text(b)


def test_a_bundle_import_is_not_undoable_and_older_history_stays_valid(
        replicas: list[Services], tmp_path: Path) -> None:
    a, b, _c = replicas
    person = a.people.create(PersonDraft(family_name="山田", given_name="太郎"))
    other = a.people.create(PersonDraft(family_name="佐藤"))
    exchange(a, b, tmp_path)
    with a.context.action("佐藤の編集"):
        a.people.update(other.id, PersonDraft(family_name="佐藤", given_name="一"))
    with a.context.action("山田の編集"):
        a.people.update(person.id, PersonDraft(family_name="山田", given_name="花子"))
    b.people.update(person.id, PersonDraft(family_name="山田", given_name="次郎"))
    exchange(b, a, tmp_path)  # the colleague's later edit wins on A
    assert a.people.get(person.id).given_name == "次郎"
    assert a.context.journal.labels() == ["山田の編集", "佐藤の編集"]  # the import is not one
    with pytest.raises(UndoRefusedError, match="山田の編集"):
        a.context.undo()
    assert a.people.get(person.id).given_name == "次郎"  # the colleague's edit is kept
    a.context.undo()  # the bundle did not touch 佐藤: still undoable
    assert a.people.get(other.id).given_name == ""


def test_a_merge_of_duplicates_is_one_undoable_action(replicas: list[Services]) -> None:
    a = replicas[0]
    club = a.clubs.create(ClubDraft(name="クラブ"))
    meeting = a.meetings.create(MeetingDraft(club_id=club.id, title="第1回",
                                             date=date(2021, 5, 1), status="held"))
    first = a.people.create(PersonDraft(family_name="田中", given_name="一郎"))
    second = a.people.create(PersonDraft(family_name="田中", given_name="一郎",
                                         email="tanaka@example.jp"))
    a.attendance.set(meeting.id, second.id, "attended")
    a.clubs.add_member(club.id, second.id)
    before = dump_text(a)
    SyncService(a).merge_people(first.id, second.id)
    assert a.context.journal.labels() == ["重複の統合: 田中 一郎"]
    assert a.people.count() == 1
    a.context.undo()
    assert a.people.count() == 2
    assert [person.id for _row, person in a.attendance.of_meeting(meeting.id)] == [second.id]
    assert [person.id for _row, person in a.clubs.members(club.id)] == [second.id]
    assert a.people.get(first.id).email == ""
    assert dump_text(a) == before  # the same live rows with the same values
