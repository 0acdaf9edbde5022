"""Every file opened in a long-running process records field clocks on its edits."""

from __future__ import annotations

import gc
from pathlib import Path

from sqlalchemy import func, select

from kankei_desktop.core.models import SyncFieldClock
from kankei_desktop.core.services.people import PersonDraft
from tests.sync.helpers import open_replica


def test_files_opened_one_after_another_all_keep_untouched_field_clocks(tmp_path: Path
                                                                        ) -> None:
    # A discarded file's session factory can leave its address to the next one; the hook
    # must still be installed for the new file (it once was not, and concurrent edits of
    # different fields were then logged as conflicts).
    missing = []
    for number in range(40):
        services = open_replica(tmp_path / f"{number}.sqlite3")
        person = services.people.create(PersonDraft(family_name="山田", given_name="太郎"))
        draft = PersonDraft.of(services.people.get(person.id))
        draft.email = "yamada@example.jp"
        services.people.update(person.id, draft)
        with services.context.reading() as session:
            kept = session.scalar(select(func.count()).select_from(SyncFieldClock))
        if not kept:
            missing.append(number)
        services.database.close()
        del services
        gc.collect()
    assert missing == []
