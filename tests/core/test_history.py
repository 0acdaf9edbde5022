"""変更履歴: the change log of local edits, the last change per field, restoring a value."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select, text

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.models import ChangeLog
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.writes.change_log import KEPT_PER_RECORD

#: the undo journal and the change log on a shared database too (tests/engines.py)
BOTH_ENGINES = True


def _yamada(services: Services) -> uuid.UUID:
    return services.people.create(PersonDraft(family_name="山田", given_name="太郎")).id


def test_each_local_edit_is_logged_with_old_and_new_value(services: Services) -> None:
    person_id = _yamada(services)
    with services.context.action("山田 太郎の編集"):
        services.people.update(person_id, PersonDraft(
            family_name="山田", given_name="花子", consent_date=date(2021, 4, 1)))
    services.people.delete(person_id)
    services.people.restore(person_id)
    entries = services.history.entries("person", person_id)
    assert [(e.kind, e.field) for e in entries] == [
        ("restored", ""), ("deleted", ""), ("changed", "consent_date"),
        ("changed", "given_name"), ("created", "")]
    by_field = {e.field: e for e in entries if e.kind == "changed"}
    assert (by_field["given_name"].old, by_field["given_name"].new) == ("太郎", "花子")
    assert (by_field["consent_date"].old, by_field["consent_date"].new) == (
        None, date(2021, 4, 1))
    assert by_field["given_name"].action == "山田 太郎の編集"
    assert all(e.replica == services.context.replica_id.hex for e in entries)


def test_restoring_an_earlier_value_is_a_new_undoable_edit(services: Services) -> None:
    person_id = _yamada(services)
    services.people.update(person_id, PersonDraft(family_name="山田", given_name="花子"))
    entry = next(e for e in services.history.entries("person", person_id)
                 if e.field == "given_name")
    services.history.restore(entry.id, "名を以前の値に戻す")
    assert services.people.get(person_id).given_name == "太郎"
    assert services.context.journal.undo_label() == "名を以前の値に戻す"
    services.context.undo()
    assert services.people.get(person_id).given_name == "花子"
    newest = services.history.entries("person", person_id)[0]
    assert newest.action == "元に戻す: 名を以前の値に戻す"


def test_a_deleted_record_is_restored_before_its_values(services: Services) -> None:
    person_id = _yamada(services)
    services.people.update(person_id, PersonDraft(family_name="山田", given_name="花子"))
    entry = next(e for e in services.history.entries("person", person_id) if e.restorable)
    services.people.delete(person_id)
    with pytest.raises(ValidationError, match="削除"):
        services.history.restore(entry.id, "戻す")


def test_only_the_newest_entries_of_a_record_are_kept(services: Services) -> None:
    person_id = _yamada(services)
    other = services.people.create(PersonDraft(family_name="佐藤")).id
    for number in range(KEPT_PER_RECORD + 10):
        services.people.update(person_id, PersonDraft(family_name="山田", notes=str(number)))
    with services.context.reading() as session:
        kept = session.scalar(select(func.count()).where(ChangeLog.row_id == person_id))
        others = session.scalar(select(func.count()).where(ChangeLog.row_id == other))
    assert kept == KEPT_PER_RECORD
    assert others == 1
    assert services.history.entries("person", person_id)[0].new == str(KEPT_PER_RECORD + 9)


def test_the_last_change_of_every_field_names_the_replica(services: Services) -> None:
    organization = services.organizations.create(OrganizationDraft(
        kind="company", name="北斗商事", postal_code="060-0001", address="札幌市"))
    peer = uuid.uuid4().hex
    peer_clock = f"1700000000000-00000-{peer}"
    with services.context.transaction() as session:  # a colleague's address, from a bundle
        session.execute(text(
            "INSERT INTO sync_field_clock (table_name, row_id, field, hlc) "
            "VALUES ('organization', :id, 'address', :hlc)"),
            {"id": organization.id.hex, "hlc": peer_clock})
    stamps = {stamp.group: stamp for stamp in
              services.history.last_changes("organization", organization.id)}
    assert stamps["address"].replica == peer
    assert stamps["address"].fields == ("postal_code", "address")
    assert stamps["address"].at.year == 2023
    assert stamps["name"].replica == services.context.replica_id.hex


def test_bulk_imports_are_not_logged_row_by_row(services: Services) -> None:
    values = services.context.writes.new_values(
        "person", id=uuid.uuid4(), family_name="一括", given_name="", family_reading="",
        given_reading="", category="other", organization_id=None, job_title="", email="",
        phone="", consent_date=None, notes="")
    from kankei_desktop.core.models import Person

    with services.context.transaction() as session:
        services.context.writes.insert_many(session, Person, [values])
    with services.context.reading() as session:
        assert session.scalar(select(func.count()).select_from(ChangeLog)) == 0
