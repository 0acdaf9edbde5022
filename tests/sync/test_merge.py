"""Targeted merge cases: concurrent fields, edit vs delete, relays, natural keys, clocks."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from kankei_desktop.core.models import Attendance
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.sync.bundle import BundleError
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.service import SyncService
from tests.sync.helpers import exchange, full_state

BOTH_ENGINES = True


def _edit(services: Services, person_id: object, **values: object) -> None:
    row = services.people.get(person_id, include_deleted=True)  # type: ignore[arg-type]
    draft = PersonDraft.of(row)
    for name, value in values.items():
        setattr(draft, name, value)
    services.people.update(row.id, draft)


def _shared_person(replicas: list[Services], tmp_path: Path) -> object:
    a = replicas[0]
    person = a.people.create(PersonDraft(family_name="山田", given_name="太郎"))
    for other in replicas[1:]:
        exchange(a, other, tmp_path)
    return person.id


def test_concurrent_edits_of_different_fields_both_survive(replicas: list[Services],
                                                           tmp_path: Path) -> None:
    a, b, _c = replicas
    person_id = _shared_person(replicas, tmp_path)
    _edit(a, person_id, email="yamada@example.jp")
    _edit(b, person_id, phone="090-1111-2222")
    exchange(a, b, tmp_path)
    exchange(b, a, tmp_path)
    for services in (a, b):
        row = services.people.get(person_id)  # type: ignore[arg-type]
        assert (row.email, row.phone) == ("yamada@example.jp", "090-1111-2222")
    assert SyncService(a).conflicts() == []
    assert SyncService(b).conflicts() == []


def test_same_field_higher_clock_wins_and_loser_is_logged_and_restorable(
        replicas: list[Services], tmp_path: Path) -> None:
    a, b, _c = replicas
    person_id = _shared_person(replicas, tmp_path)
    _edit(a, person_id, email="first@example.jp")
    _edit(b, person_id, email="second@example.jp")  # later clock: wins everywhere
    exchange(a, b, tmp_path)
    exchange(b, a, tmp_path)
    assert dump_text(a) == dump_text(b)
    assert a.people.get(person_id).email == "second@example.jp"  # type: ignore[arg-type]
    logged = SyncService(a).conflicts() + SyncService(b).conflicts()
    assert {entry.loser["email"] for entry in logged} == {"first@example.jp"}
    entry = next(entry for entry in SyncService(b).conflicts())
    SyncService(b).restore_conflict(entry.id)
    assert b.people.get(person_id).email == "first@example.jp"  # type: ignore[arg-type]
    exchange(b, a, tmp_path)
    assert a.people.get(person_id).email == "first@example.jp"  # type: ignore[arg-type]
    assert SyncService(b).conflicts()[0].restored_at is not None


def test_a_later_edit_after_seeing_the_other_is_not_a_conflict(replicas: list[Services],
                                                               tmp_path: Path) -> None:
    a, b, _c = replicas
    person_id = _shared_person(replicas, tmp_path)
    _edit(a, person_id, email="one@example.jp")
    exchange(a, b, tmp_path)
    _edit(b, person_id, email="two@example.jp")
    exchange(b, a, tmp_path)
    assert a.people.get(person_id).email == "two@example.jp"  # type: ignore[arg-type]
    assert SyncService(a).conflicts() == []


def test_delete_wins_over_concurrent_edit_and_restore_brings_the_edit_back(
        replicas: list[Services], tmp_path: Path) -> None:
    a, b, _c = replicas
    person_id = _shared_person(replicas, tmp_path)
    a.people.delete(person_id)  # type: ignore[arg-type]
    _edit(b, person_id, job_title="課長")
    exchange(a, b, tmp_path)
    exchange(b, a, tmp_path)
    for services in (a, b):
        row = services.people.get(person_id, include_deleted=True)  # type: ignore[arg-type]
        assert row.is_deleted
        assert row.job_title == "課長"
    b.people.restore(person_id)  # type: ignore[arg-type]
    exchange(b, a, tmp_path)
    row = a.people.get(person_id)  # type: ignore[arg-type]
    assert not row.is_deleted
    assert row.job_title == "課長"
    assert dump_text(a) == dump_text(b)


def test_delete_relayed_through_a_third_replica(replicas: list[Services], tmp_path: Path
                                                ) -> None:
    a, b, c = replicas
    person_id = _shared_person(replicas, tmp_path)
    a.people.delete(person_id)  # type: ignore[arg-type]
    exchange(a, b, tmp_path)  # B learns of the delete; C only hears it from B
    exchange(b, c, tmp_path)
    assert c.people.get(person_id, include_deleted=True).is_deleted  # type: ignore[arg-type]
    # delete on two replicas concurrently, relayed both ways: still one tombstone
    c.people.restore(person_id)  # type: ignore[arg-type]
    exchange(c, b, tmp_path)
    exchange(b, a, tmp_path)
    assert not a.people.get(person_id).is_deleted  # type: ignore[arg-type]
    a.people.delete(person_id)  # type: ignore[arg-type]
    c.people.delete(person_id)  # type: ignore[arg-type]
    for source, target in ((a, b), (c, b), (b, a), (b, c)):
        exchange(source, target, tmp_path)
    assert full_state(a) == full_state(b) == full_state(c)
    assert a.people.get(person_id, include_deleted=True).is_deleted  # type: ignore[arg-type]


def test_restore_arriving_before_the_delete_it_answers(replicas: list[Services],
                                                       tmp_path: Path) -> None:
    a, b, c = replicas
    person_id = _shared_person(replicas, tmp_path)
    a.people.delete(person_id)  # type: ignore[arg-type]
    exchange(a, b, tmp_path, name="delete.kankei")
    b.people.restore(person_id)  # type: ignore[arg-type]
    exchange(b, c, tmp_path, name="restore.kankei")  # C gets the restore first
    # then the stale delete
    SyncService(c).import_(tmp_path / "delete.kankei", None, allow_unencrypted=True)
    assert not c.people.get(person_id).is_deleted  # type: ignore[arg-type]


def test_natural_keys_meet_in_one_row(replicas: list[Services], tmp_path: Path) -> None:
    a, b, _c = replicas
    club = a.clubs.create(ClubDraft(name="クラブ"))
    meeting = a.meetings.create(MeetingDraft(club_id=club.id, title="第1回",
                                             date=date(2026, 5, 1)))
    person = a.people.create(PersonDraft(family_name="佐藤"))
    exchange(a, b, tmp_path)
    a.attendance.set(meeting.id, person.id, "attended")
    b.attendance.set(meeting.id, person.id, "absent")
    a_muni = a.organizations.ensure_municipality("014524")
    b_muni = b.organizations.ensure_municipality("014524")
    assert a_muni.id == b_muni.id
    exchange(a, b, tmp_path)
    exchange(b, a, tmp_path)
    with a.context.reading() as session:
        assert session.query(Attendance).count() == 1
    assert dump_text(a) == dump_text(b)


def test_grouped_fields_travel_together(replicas: list[Services], tmp_path: Path) -> None:
    a, b, _c = replicas
    org = a.organizations.create(OrganizationDraft(kind="company", name="会社"))
    exchange(a, b, tmp_path)
    draft = OrganizationDraft.of(a.organizations.get(org.id))
    draft.postal_code, draft.address = "100-0001", "東京都千代田区"
    a.organizations.update(org.id, draft)
    draft = OrganizationDraft.of(b.organizations.get(org.id))
    draft.address = "札幌市中央区"
    b.organizations.update(org.id, draft)
    exchange(a, b, tmp_path)
    exchange(b, a, tmp_path)
    row = a.organizations.get(org.id)
    # B's address edit is later and carries B's (empty) postal code with it: never a mix
    assert (row.postal_code, row.address) == ("", "札幌市中央区")
    assert dump_text(a) == dump_text(b)


def test_merge_order_does_not_matter(replicas: list[Services], tmp_path: Path) -> None:
    a, b, c = replicas
    person_id = _shared_person(replicas, tmp_path)
    _edit(a, person_id, email="a@example.jp", phone="1")
    _edit(b, person_id, email="b@example.jp")
    _edit(c, person_id, phone="3", job_title="主任")
    bundles = {}
    for name, services in zip("abc", replicas, strict=True):
        bundles[name] = tmp_path / f"{name}.kankei"
        SyncService(services).export(bundles[name], passphrase=None)
    SyncService(a).import_(bundles["b"], None, allow_unencrypted=True)
    SyncService(a).import_(bundles["c"], None, allow_unencrypted=True)
    SyncService(b).import_(bundles["c"], None, allow_unencrypted=True)
    SyncService(b).import_(bundles["a"], None, allow_unencrypted=True)
    SyncService(c).import_(bundles["a"], None, allow_unencrypted=True)
    SyncService(c).import_(bundles["b"], None, allow_unencrypted=True)
    assert full_state(a) == full_state(b) == full_state(c)


def test_clock_never_goes_back_below_stored_stamps(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    first = Services(open_database(path))
    person = first.people.create(PersonDraft(family_name="時計"))
    first.database.close()
    again = Services(open_database(path))
    again.context.clock._wall = lambda: 1_000  # the PC's clock went back to 1970
    _edit(again, person.id, email="later@example.jp")
    assert again.people.get(person.id).hlc > person.hlc
    again.database.close()


def test_copied_file_gets_a_new_replica_id(tmp_path: Path) -> None:
    path = tmp_path / "original.sqlite3"
    original = Services(open_database(path))
    original.people.create(PersonDraft(family_name="複製"))
    replica = original.context.replica_id
    original.database.close()
    shutil.copy(path, tmp_path / "copy.sqlite3")
    reopened = open_database(path)
    copied = Services(open_database(tmp_path / "copy.sqlite3"))
    try:
        assert reopened.replica_id == replica
        assert copied.context.replica_id != replica
        # the copy's new edits sort after everything it inherited
        person = copied.people.find()[0]
        _edit(copied, person.id, email="copy@example.jp")
        assert copied.people.get(person.id).hlc.endswith(copied.context.replica_id.hex)
    finally:
        reopened.close()
        copied.database.close()


def test_bundle_from_the_same_replica_is_refused(replicas: list[Services],
                                                 tmp_path: Path) -> None:
    a = replicas[0]
    a.people.create(PersonDraft(family_name="自分"))
    SyncService(a).export(tmp_path / "own.kankei", passphrase=None)
    with pytest.raises(BundleError, match=r"同じ|same"):
        SyncService(a).import_(tmp_path / "own.kankei", None, allow_unencrypted=True)


def test_incremental_sends_only_what_the_peer_lacks(replicas: list[Services],
                                                    tmp_path: Path) -> None:
    a, b, _c = replicas
    for index in range(20):
        a.people.create(PersonDraft(family_name=f"人{index}"))
    exchange(a, b, tmp_path)
    exchange(b, a, tmp_path)  # A learns what B has
    person = a.people.find()[0]
    _edit(a, person.id, email="new@example.jp")
    result = SyncService(a).export(tmp_path / "inc.kankei",
                                   peer=str(b.context.replica_id), passphrase=None)
    assert result.total == 1
    assert result.counts["person"] == 1
    with pytest.raises(BundleError):
        SyncService(a).export(tmp_path / "x.kankei", peer="00000000-0000-0000-0000-000000000001")


def test_possible_duplicates_and_manual_merge(replicas: list[Services], tmp_path: Path
                                              ) -> None:
    a, b, _c = replicas
    club = a.clubs.create(ClubDraft(name="クラブ"))
    meeting = a.meetings.create(MeetingDraft(club_id=club.id, title="第1回",
                                             date=date(2026, 5, 1)))
    first = a.people.create(PersonDraft(family_name="田中", given_name="一郎",
                                        family_reading="たなか", given_reading="いちろう"))
    exchange(a, b, tmp_path)
    second = b.people.create(PersonDraft(family_name="田中", given_name="一郎",
                                         family_reading="たなか", given_reading="いちろう",
                                         email="tanaka@example.jp"))
    b.attendance.set(meeting.id, second.id, "attended")
    exchange(b, a, tmp_path)
    found = SyncService(a).duplicates()
    assert [{member.id for member in group} for group in found.groups] == [{first.id,
                                                                           second.id}]
    assert found.total == 1
    assert a.people.count() == 2  # never merged silently
    SyncService(a).merge_people(first.id, second.id)
    assert SyncService(a).duplicates().groups == []
    kept = a.people.get(first.id)
    assert kept.email == "tanaka@example.jp"
    assert [person.id for _row, person in a.attendance.of_meeting(meeting.id)] == [first.id]
    exchange(a, b, tmp_path)
    assert dump_text(a) == dump_text(b)
