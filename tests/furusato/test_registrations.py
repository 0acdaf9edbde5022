"""Recording registrations: one per person and municipality, checked before saving."""

from __future__ import annotations

from datetime import date

import pytest

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.services.registrations import RegistrationDraft, add_months
from kankei_desktop.core.writes.natural_ids import registration_uuid
from tests.furusato.helpers import TAKASU, person, register, town

BOTH_ENGINES = True


def test_renewal_is_due_a_year_later_by_default(services: Services) -> None:
    someone = person(services, "佐藤", "花子")
    row = services.registrations.get(register(services, someone, TAKASU, on=date(2028, 2, 29)))
    assert row.renewal_due == date(2029, 2, 28)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)


def test_the_id_comes_from_person_and_municipality(services: Services) -> None:
    someone = person(services, "佐藤", "花子")
    row_id = register(services, someone, TAKASU)
    assert row_id == registration_uuid(someone, town(services, TAKASU))
    with pytest.raises(ValidationError, match="すでに"):
        register(services, someone, TAKASU, tier="premium")
    services.registrations.delete(row_id)
    assert register(services, someone, TAKASU, tier="premium") == row_id
    assert services.registrations.get(row_id).tier == "premium"


def test_premium_where_the_person_lives_is_refused(services: Services) -> None:
    local = person(services, "佐藤", "花子", lives_in=TAKASU)
    with pytest.raises(ValidationError) as caught:
        register(services, local, TAKASU, tier="premium")
    assert caught.value.field == "tier"
    register(services, local, TAKASU, tier="basic")


def test_bad_drafts_name_their_fields(services: Services) -> None:
    someone = person(services, "佐藤", "花子")
    prefecture = services.organizations.ensure_municipality("010006").id
    with pytest.raises(ValidationError) as caught:
        services.registrations.create(RegistrationDraft(
            person_id=someone, municipality_id=prefecture, registered_on=date(2027, 1, 1),
            renewal_due=date(2026, 1, 1), tier="gold"))
    assert {field for field, _message in caught.value.errors} == {
        "municipality_id", "renewal_due", "tier"}


def test_person_and_municipality_cannot_be_moved(services: Services) -> None:
    someone, other = person(services, "佐藤", "花子"), person(services, "鈴木", "一郎")
    row_id = register(services, someone, TAKASU)
    draft = RegistrationDraft.of(services.registrations.get(row_id))
    draft.person_id = other
    with pytest.raises(ValidationError):
        services.registrations.update(row_id, draft)
    draft = RegistrationDraft.of(services.registrations.get(row_id))
    draft.status = "withdrawn"
    assert services.registrations.update(row_id, draft).status == "withdrawn"


def test_residence_must_be_a_municipality_and_postal_codes_are_normalised(
        services: Services) -> None:
    company = services.organizations.create(
        __import__("kankei_desktop.core.services.organizations", fromlist=["x"])
        .OrganizationDraft(kind="company", name="株式会社サンプル")).id
    with pytest.raises(ValidationError) as caught:
        services.people.create(PersonDraft(family_name="佐藤", residence_id=company,
                                           postal_code="123"))
    assert {field for field, _message in caught.value.errors} == {"residence_id",
                                                                  "postal_code"}
    row = services.people.create(PersonDraft(
        family_name="佐藤", residence_id=town(services, TAKASU), postal_code="〒０７１１２９２",
        address="北海道上川郡鷹栖町南1条3丁目5番1号"))
    assert (row.postal_code, row.residence_id) == ("071-1292", town(services, TAKASU))
