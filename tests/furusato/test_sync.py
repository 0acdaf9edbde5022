"""担い手活動, residences and registrations travel through bundles and converge."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.services.registrations import RegistrationDraft
from kankei_desktop.sync.bundle import open_bundle
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.service import SyncService
from tests.furusato.helpers import (
    HIGASHIKAWA,
    SAPPORO,
    TAKASU,
    attend,
    club,
    person,
    register,
    session,
    town,
)
from tests.sync.helpers import exchange, open_replica

FY2026 = (date(2026, 4, 1), date(2027, 3, 31))


@pytest.fixture
def pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    replicas = [open_replica(tmp_path / f"{name}.sqlite3") for name in "ab"]
    yield replicas
    for services in replicas:
        services.database.close()


def _status(services: Services) -> list[tuple[str, int, str | None, bool]]:
    return [(row.name, row.activities, row.tier, row.eligible_premium)
            for row in services.furusato.status(TAKASU, *FY2026).people]


def test_designations_residences_and_registrations_travel(pair: list[Services],
                                                          tmp_path: Path) -> None:
    a, b = pair
    club_id = club(a, "鷹栖の担い手クラブ")
    hanako = person(a, "佐藤", "花子", lives_in=SAPPORO)
    meetings = [session(a, club_id, date(2026, 5, day), designated=day != 3)
                for day in (1, 2, 3)]
    for meeting in meetings:
        attend(a, meeting, hanako)
    register(a, hanako, TAKASU)
    exchange(a, b, tmp_path)
    assert _status(b) == _status(a) == [("佐藤 花子", 2, "basic", False)]
    b.furusato.designate([meetings[2]])  # designated after the fact, on the other PC
    exchange(b, a, tmp_path)
    assert _status(a) == [("佐藤 花子", 3, "basic", True)]
    assert dump_text(a) == dump_text(b)


def test_the_same_registration_made_on_two_pcs_is_one_row(pair: list[Services],
                                                          tmp_path: Path) -> None:
    a, b = pair
    hanako = person(a, "佐藤", "花子")
    exchange(a, b, tmp_path)
    first = register(a, hanako, TAKASU, tier="basic")
    second = register(b, hanako, TAKASU, tier="premium")
    assert first == second
    exchange(a, b, tmp_path)
    exchange(b, a, tmp_path)
    assert dump_text(a) == dump_text(b)
    assert len(a.registrations.find()) == 1
    # the later write wins the tier; the other value is kept in the conflict log
    assert a.registrations.get(first).tier == "premium"
    lost = [entry.loser for entry in SyncService(a).conflicts() + SyncService(b).conflicts()]
    assert {"tier": "basic"} in lost


def test_concurrent_edits_of_a_registration_merge_by_field(pair: list[Services],
                                                           tmp_path: Path) -> None:
    a, b = pair
    hanako = person(a, "佐藤", "花子")
    row_id = register(a, hanako, HIGASHIKAWA)
    exchange(a, b, tmp_path)
    draft = RegistrationDraft.of(a.registrations.get(row_id))
    draft.tier = "premium"
    a.registrations.update(row_id, draft)
    draft = RegistrationDraft.of(b.registrations.get(row_id))
    draft.registered_on, draft.renewal_due = date(2027, 2, 1), date(2028, 2, 1)
    b.registrations.update(row_id, draft)
    exchange(a, b, tmp_path)
    exchange(b, a, tmp_path)
    for services in pair:
        row = services.registrations.get(row_id)
        assert (row.tier, row.registered_on, row.renewal_due) == (
            "premium", date(2027, 2, 1), date(2028, 2, 1))
    assert SyncService(a).conflicts() == []
    assert dump_text(a) == dump_text(b)


def test_residence_and_address_move_together(pair: list[Services], tmp_path: Path) -> None:
    a, b = pair
    hanako = person(a, "佐藤", "花子")
    exchange(a, b, tmp_path)
    draft = PersonDraft.of(a.people.get(hanako))
    draft.residence_id = town(a, SAPPORO)
    draft.postal_code, draft.address = "060-0001", "札幌市中央区北1条西2丁目"
    a.people.update(hanako, draft)
    draft = PersonDraft.of(b.people.get(hanako))
    draft.residence_id, draft.address = town(b, TAKASU), "鷹栖町南1条"
    b.people.update(hanako, draft)  # later: wins as a whole, never a mix
    exchange(a, b, tmp_path)
    exchange(b, a, tmp_path)
    row = a.people.get(hanako)
    assert (row.residence_id, row.postal_code, row.address) == (
        town(a, TAKASU), "", "鷹栖町南1条")
    assert dump_text(a) == dump_text(b)


def test_a_deleted_registration_stays_deleted_and_can_come_back(pair: list[Services],
                                                                tmp_path: Path) -> None:
    a, b = pair
    hanako = person(a, "佐藤", "花子")
    row_id = register(a, hanako, TAKASU)
    exchange(a, b, tmp_path)
    b.registrations.delete(row_id)
    exchange(b, a, tmp_path)
    assert a.registrations.find() == []
    assert register(a, hanako, TAKASU, tier="premium") == row_id
    exchange(a, b, tmp_path)
    assert b.registrations.get(row_id).tier == "premium"


def test_personal_data_stays_out_of_the_manifest(pair: list[Services], tmp_path: Path) -> None:
    a, _b = pair
    hanako = person(a, "佐藤", "花子")
    draft = PersonDraft.of(a.people.get(hanako))
    draft.postal_code, draft.address = "060-0001", "札幌市中央区北1条西2丁目"
    a.people.update(hanako, draft)
    register(a, hanako, TAKASU)
    path = tmp_path / "out.kankei"
    SyncService(a).export(path, passphrase="合言葉は山と川と海")
    manifest = json.dumps(open_bundle(path, "合言葉は山と川と海").manifest, ensure_ascii=False)
    assert "札幌" not in manifest
    assert "060-0001" not in manifest
    assert "佐藤" not in manifest
    assert json.loads(manifest)["counts"]["registration"] == 1
