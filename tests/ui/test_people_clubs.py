"""People and clubs: two people, kana search, a club with members."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

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
    page.select_record(services.people.find("鈴木")[0].id)
    page._on_selection_changed(None, None)  # type: ignore[arg-type]
    pick(qtbot, page.editor.organization, "さくら")
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    suzuki = services.people.find("鈴木")[0]
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
    for name in ("佐藤", "すずき"):  # members of a club not saved yet
        pick(qtbot, editor.members.person, name)
        qtbot.mouseClick(editor.members.add_button, Qt.MouseButton.LeftButton)
    assert services.clubs.count() == 0  # nothing is saved before 保存
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    [club] = services.clubs.find()
    assert club.stage == "matching"
    assert services.organizations.names({club.host_municipality_id}) == {
        club.host_municipality_id: "北海道鷹栖町"}
    assert services.clubs.targets(club.id)[0].target_meetings == 12
    assert sorted(p.family_name for _m, p in services.clubs.members(club.id)) == ["佐藤", "鈴木"]
    assert editor.members.member_names() == ["佐藤 花子", "鈴木 一郎"]
    # the club, its targets and its members were one action
    assert window.undo_actions.undo_action.text() == "元に戻す(&U): 鷹栖放課後企業クラブの追加"


def test_cancel_drops_added_and_removed_members(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                services: Services) -> None:
    from kankei_desktop.core.services.clubs import ClubDraft

    sato = services.people.create(PersonDraft(family_name="佐藤", given_name="花子",
                                              family_reading="さとう"))
    services.people.create(PersonDraft(family_name="鈴木", given_name="一郎",
                                       family_reading="すずき"))
    club = services.clubs.create(ClubDraft(name="クラブ"))
    services.clubs.add_member(club.id, sato.id)
    window.show_page(3)
    page = window.clubs
    page.select_record(club.id)
    page._on_selection_changed(None, None)  # type: ignore[arg-type]
    editor = page.editor
    pick(qtbot, editor.members.person, "すずき")
    qtbot.mouseClick(editor.members.add_button, Qt.MouseButton.LeftButton)
    editor.members.table.selectRow(1)
    qtbot.mouseClick(editor.members.remove_button, Qt.MouseButton.LeftButton)
    assert editor.is_dirty()
    qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    assert [p.family_name for _m, p in services.clubs.members(club.id)] == ["佐藤"]
    assert editor.members.member_names() == ["佐藤 花子"]
    assert not editor.is_dirty()


def test_club_sessions_and_inline_new_member(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                             services: Services) -> None:
    from datetime import date

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kankei_desktop.core.services.clubs import ClubDraft
    from kankei_desktop.core.services.meetings import MeetingDraft
    from kankei_desktop.ui.pages.clubs.new_person import NewPersonDialog

    services.organizations.create(OrganizationDraft(kind="company", name="株式会社さくらテック",
                                                    reading="さくらてっく"))
    club = services.clubs.create(ClubDraft(name="鷹栖放課後企業クラブ"))
    for day in (1, 15):
        services.meetings.create(MeetingDraft(club_id=club.id, title=f"第{day}回",
                                              date=date(2024, 6, day), status="held"))
    window.show_page(3)
    editor = window.clubs.editor
    window.clubs.select_record(club.id)
    window.clubs._on_selection_changed(None, None)  # type: ignore[arg-type]
    assert editor.sessions.row_count() == 2
    assert editor.sessions.table.item(0, 0).text() == "2024-06-15"  # newest first
    steps: list[str] = []

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewPersonDialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # empty: refused
        steps.append(dialog.form.error_text("family_name"))
        type_into(qtbot, dialog.family_name, "高橋")
        type_into(qtbot, dialog.given_name, "美咲")
        type_into(qtbot, dialog.family_reading, "たかはし")
        type_into(qtbot, dialog.given_reading, "みさき")
        dialog.category.set_code("student")
        pick(qtbot, dialog.organization, "さくら")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    qtbot.mouseClick(editor.members.new_person_button, Qt.MouseButton.LeftButton)
    assert steps[0]  # the family name is required, said next to the field
    [person] = services.people.find("高橋")  # saved by the dialog's own button
    assert (person.category, person.family_reading) == ("student", "たかはし")
    assert person.organization_id is not None
    assert editor.members.member_names() == ["高橋 美咲"]
    assert services.clubs.members(club.id) == []  # joins when the club is saved
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert [p.id for _m, p in services.clubs.members(club.id)] == [person.id]


def test_header_click_sorts_by_reading_both_ways(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                 services: Services,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from kankei_desktop.ui.models import lazy_table

    monkeypatch.setattr(lazy_table, "PAGE_SIZE", 2)  # several pages even with a few people
    for family, reading in (("伊藤", "いとう"), ("上田", "うえだ"), ("阿部", "あべ"),
                            ("遠藤", "えんどう"), ("岡田", "おかだ")):
        services.people.create(PersonDraft(family_name=family, family_reading=reading))
    window.show_page(2)
    page = window.people
    header = page.table.horizontalHeader()

    def names() -> list[str]:
        while page.model.canFetchMore(page.model.index(-1, -1)):
            page.model.fetchMore(page.model.index(-1, -1))
        return [str(page.model.index(r, 0).data()) for r in range(page.model.rowCount())]

    assert names() == ["阿部", "伊藤", "上田", "遠藤", "岡田"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.viewport().rect().topLeft() + QPoint(header.sectionPosition(0)
                                                                     + 20, 5))
    assert page.descending
    assert names() == ["岡田", "遠藤", "上田", "伊藤", "阿部"]
    with qtbot.waitSignal(page.status_message):
        header.setSortIndicator(2, Qt.SortOrder.AscendingOrder)  # category: not sortable
    assert (header.sortIndicatorSection(), page.descending) == (0, True)
    type_into(qtbot, page.search_box, "だ")
    qtbot.waitUntil(lambda: page.model.total == 2, timeout=2000)
    assert names() == ["岡田", "上田"]
