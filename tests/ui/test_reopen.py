"""MainWindow.reopen: the open file is replaced and every page shows the new file's data."""

from __future__ import annotations

from pathlib import Path

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import Database, open_database
from kankei_desktop.ui.main_window import MainWindow
from tests.ui.helpers import type_into

pytestmark = pytest.mark.gui


def _names_shown(window: MainWindow, page: int = 2) -> set[str]:
    model = [window.people, window.clubs][page - 2].model
    return {str(model.index(row, 0).data()) for row in range(model.rowCount())}


@pytest.fixture
def other_file(tmp_path: Path) -> Path:
    """A second file with one person and one club of its own."""
    path = tmp_path / "other.sqlite3"
    database = open_database(path)
    Services(database).people.create(PersonDraft(family_name="鈴木", given_name="一郎"))
    Services(database).clubs.create(ClubDraft(name="鷹栖放課後企業クラブ"))
    database.close()
    return path


@pytest.fixture
def on_people_page(qtbot, window: MainWindow, services: Services) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window on the People page, showing the test file's one person."""
    services.people.create(PersonDraft(family_name="佐藤", given_name="花子"))
    window.show_page(2)
    qtbot.waitUntil(lambda: _names_shown(window) == {"佐藤 花子"})
    return window


def test_reopen_switches_every_page_to_the_other_file(  # type: ignore[no-untyped-def]
    qtbot, on_people_page: MainWindow, database: Database, other_file: Path
) -> None:
    window = on_people_page
    first = database.path
    try:
        assert window.reopen(other_file)

        assert window.database.path == other_file.resolve()
        assert window.page_key() == "people", "the page shown before stays shown"
        qtbot.waitUntil(lambda: _names_shown(window) == {"鈴木 一郎"})
        assert window.services.people.count() == 1
        assert other_file.name in window.windowTitle()
        assert window.file_label.toolTip() == str(other_file.resolve())
        assert window.settings.recent_files[0] == str(other_file.resolve())
        window.show_page(3)
        qtbot.waitUntil(lambda: _names_shown(window, 3) == {"鷹栖放課後企業クラブ"})
        released = open_database(first)  # the first file was closed (its lock is free)
        released.close()
    finally:
        window.hide()
        window.wait_until_idle()
        window.database.close()


def test_reopen_of_an_unusable_file_keeps_the_open_one(  # type: ignore[no-untyped-def]
    qtbot, on_people_page: MainWindow, database: Database, answers: list[str], tmp_path: Path
) -> None:
    window = on_people_page
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database file" * 100)

    assert not window.reopen(broken)

    assert window.database is database
    assert len(answers) == 1, "the reason was shown"
    assert window.services.people.count() == 1
    window.people.refresh()
    qtbot.waitUntil(lambda: _names_shown(window) == {"佐藤 花子"})


def test_reopen_waits_for_unsaved_edits(  # type: ignore[no-untyped-def]
    qtbot, on_people_page: MainWindow, database: Database, other_file: Path,
    answers: list[str]
) -> None:
    window = on_people_page
    page = window.people
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.editor.record_id is not None)
    type_into(qtbot, page.editor.job_title, "課長")
    assert page.editor.is_dirty()

    assert not window.reopen(other_file), "the question was not answered Save or Discard"

    assert window.database is database
    assert len(answers) == 1, "the user was asked about the unsaved changes"
    assert page.editor.job_title.text() == "課長", "the edit is still there"
