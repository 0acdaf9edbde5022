"""People and clubs: two people, kana search, a club with members."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.ui.main_window import MainWindow
from tests.ui.helpers import pick, type_into

pytestmark = pytest.mark.gui


def _new_person(qtbot, window: MainWindow, family: str, given: str, family_reading: str,  # type: ignore[no-untyped-def]
                given_reading: str) -> None:
    page = window.people
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    type_into(qtbot, editor.family_name, family)
    type_into(qtbot, editor.given_name, given)
    type_into(qtbot, editor.family_reading, family_reading)
    type_into(qtbot, editor.given_reading, given_reading)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)


def test_two_people_affiliation_and_kana_search(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                 services: Services) -> None:
    services.organizations.create(OrganizationDraft(kind="company", name="株式会社さくらテック",
                                                    reading="さくらてっく"))
    window.show_page(2)
    page = window.people
    assert page.stack.currentWidget() is page.empty
    _new_person(qtbot, window, "佐藤", "花子", "さとう", "はなこ")
    _new_person(qtbot, window, "鈴木", "一郎", "すずき", "いちろう")
    assert services.people.count() == 2
    assert page.model.total == 2
    # affiliation through the organisation picker
    page.select_record(services.people.list("鈴木")[0].id)
    page._on_selection_changed(None, None)  # type: ignore[arg-type]
    pick(qtbot, page.editor.organization, "さくら")
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    suzuki = services.people.list("鈴木")[0]
    assert suzuki.organization_id is not None
    # half-width katakana finds 佐藤 through its reading
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_box.hasFocus()
    type_into(qtbot, page.search_box, "ｻﾄｳ")
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=2000)
    assert page.model.index(0, 0).data() == "佐藤 花子"


def test_person_invalid_email_saves_nothing(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                            services: Services) -> None:
    person = services.people.create(PersonDraft(family_name="田中", email="tanaka@example.jp"))
    window.show_page(2)
    page = window.people
    page.select_record(person.id)
    page._on_selection_changed(None, None)  # type: ignore[arg-type]
    type_into(qtbot, page.editor.email, "tanaka@@example")
    type_into(qtbot, page.editor.job_title, "課長")
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    assert page.editor.form.error_text("email")
    stored = services.people.get(person.id)
    assert (stored.email, stored.job_title) == ("tanaka@example.jp", "")


def test_club_with_members(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    services.people.create(PersonDraft(family_name="佐藤", given_name="花子",
                                       family_reading="さとう"))
    services.people.create(PersonDraft(family_name="鈴木", given_name="一郎",
                                       family_reading="すずき"))
    window.show_page(3)
    page = window.clubs
    assert page.stack.currentWidget() is page.empty
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    type_into(qtbot, editor.name, "鷹栖放課後企業クラブ")
    pick(qtbot, editor.host, "鷹栖")
    editor.stage.set_stage("matching")
    editor.targets.meetings.setValue(12)
    assert not editor.members.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    [club] = services.clubs.list()
    assert club.stage == "matching"
    assert services.organizations.names({club.host_municipality_id}) == {
        club.host_municipality_id: "北海道鷹栖町"}
    assert services.clubs.targets(club.id)[0].target_meetings == 12
    assert editor.members.isEnabled()
    for name in ("佐藤", "すずき"):
        pick(qtbot, editor.members.person, name)
        qtbot.mouseClick(editor.members.add_button, Qt.MouseButton.LeftButton)
    assert sorted(p.family_name for _m, p in services.clubs.members(club.id)) == ["佐藤", "鈴木"]
    assert editor.members.member_names() == ["佐藤 花子", "鈴木 一郎"]
