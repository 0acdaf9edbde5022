"""No silent overwrite: a save made from an older version than the stored one is refused with
who changed the record and when; the user may then overwrite or reload."""

from __future__ import annotations

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.writes.versions import EditConflictError

BOTH_ENGINES = True


def test_a_second_save_from_the_same_version_is_refused_then_may_overwrite(
        services: Services, engine_name: str) -> None:
    person = services.people.create(PersonDraft(family_name="佐藤", email="a@example.jp"))
    opened = services.people.version(person.id)
    first = PersonDraft.of(services.people.get(person.id))
    first.email = "first@example.jp"
    services.people.update(person.id, first, expected=opened)
    second = PersonDraft.of(services.people.get(person.id))
    second.phone = "011-111"
    with pytest.raises(EditConflictError) as caught:
        services.people.update(person.id, second, expected=opened)
    conflict = caught.value
    assert conflict.current_version == services.people.version(person.id)
    assert conflict.changed_by  # who: a login of the shared database, or this computer
    if engine_name == "postgresql":
        assert "kankei_admin" in conflict.changed_by
    assert conflict.changed_at.strftime("%H:%M") in conflict.message \
        or conflict.message  # the local time is shown
    assert services.people.get(person.id).phone == ""  # nothing of the refused save
    services.people.update(person.id, second, expected=conflict.current_version)
    assert services.people.get(person.id).phone == "011-111"


def test_a_save_without_a_version_is_not_checked(services: Services) -> None:
    person = services.people.create(PersonDraft(family_name="鈴木"))
    draft = PersonDraft.of(services.people.get(person.id))
    draft.job_title = "課長"
    services.people.update(person.id, draft)
    assert services.people.get(person.id).job_title == "課長"
