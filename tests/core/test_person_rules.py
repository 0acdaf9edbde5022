"""Validation a town hall expects: readings in kana, 名 empty only for a single name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.japan.text import is_kana_reading
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft


def test_a_romaji_reading_is_refused_with_the_field_named(services: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.people.create(PersonDraft(family_name="鈴木", given_name="一郎",
                                           family_reading="Suzuki", given_reading="いちろう"))
    assert caught.value.field == "family_reading"
    assert "姓のよみ（かな）" in caught.value.message
    assert "Suzuki" in caught.value.message
    assert services.people.count() == 0


@pytest.mark.parametrize("reading", ["すずき", "スズキ", "ｽｽﾞｷ", "すずき いちろう", "ヴァン・ダイク",
                                     "みずの　ー", ""])
def test_kana_readings_pass(reading: str) -> None:
    assert is_kana_reading(reading)


@given(st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1))
def test_latin_letters_and_digits_are_not_a_reading(text: str) -> None:
    if text.isascii():
        assert not is_kana_reading(text)


def test_organisation_and_club_readings_are_kana_too(services: Services) -> None:
    with pytest.raises(ValidationError, match="よみ"):
        services.organizations.create(OrganizationDraft(kind="company", name="北斗商事",
                                                        reading="Hokuto"))
    with pytest.raises(ValidationError, match="よみ"):
        services.clubs.create(ClubDraft(name="クラブ", reading="club"))


def test_an_empty_given_name_needs_the_single_name_box(services: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.people.create(PersonDraft(family_name="鈴木", single_name=False))
    assert caught.value.field == "given_name"
    assert "名なし" in caught.value.message
    person = services.people.create(PersonDraft(family_name="マドンナ", single_name=True))
    assert (person.given_name, person.given_reading) == ("", "")
    draft = PersonDraft.of(person)
    assert draft.single_name is True
    draft.given_name = "花子"  # a 名 given later is kept, never dropped
    assert services.people.update(person.id, draft).given_name == "花子"
