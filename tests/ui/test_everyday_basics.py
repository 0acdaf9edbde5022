"""Issue 22 in the real window: keyboard, undo from the menu, history, help, labels, checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.paths import resources_dir
from kankei_desktop.ui.help.manual import CHAPTERS, PAGE_CHAPTERS, ManualWindow
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.navigation import PAGES
from kankei_desktop.ui.pages.calendar.editor import SessionEditor
from tests.ui.helpers import type_into

pytestmark = pytest.mark.gui


def _ctrl(qtbot, window: MainWindow, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def _focused() -> QWidget | None:
    return QApplication.focusWidget()


# -- keyboard (item 6) ------------------------------------------------------------------------

@pytest.mark.parametrize(("page_index", "first"), [(1, "kind"), (2, "family_name"),
                                                    (3, "name")])
def test_ctrl_n_focuses_the_first_field_and_tab_reaches_the_buttons_last(
        qtbot, window: MainWindow, page_index: int, first: str) -> None:  # type: ignore[no-untyped-def]
    window.show_page(page_index)
    window.activateWindow()
    page = window.current_page()
    _ctrl(qtbot, window, Qt.Key.Key_N)
    editor = page.editor  # type: ignore[attr-defined]
    field = getattr(editor, first)
    qtbot.waitUntil(lambda: _focused() is not None)
    assert _focused() is field or field.isAncestorOf(_focused())
    seen: list[QWidget] = []
    for _step in range(80):
        widget = _focused()
        assert widget is not None
        if widget in (editor.cancel_button, editor.save_button):
            break
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    else:
        pytest.fail("Tab never reached 取消/保存: " + " > ".join(
            type(w).__name__ + ":" + w.objectName() for w in seen[-12:]))
    assert _focused() is editor.cancel_button
    assert len(seen) >= 3
    assert all(editor.body.isAncestorOf(widget) for widget in seen)  # the form's fields first
    qtbot.keyClick(editor.cancel_button, Qt.Key.Key_Tab)
    assert _focused() is editor.save_button


def test_tab_leaves_a_notes_field_without_typing_into_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.show_page(2)
    window.activateWindow()
    _ctrl(qtbot, window, Qt.Key.Key_N)
    editor = window.people.editor
    notes: QPlainTextEdit = editor.notes
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    qtbot.keyClick(notes, Qt.Key.Key_Tab)
    assert not notes.hasFocus()
    assert notes.toPlainText() == ""
    assert not editor.is_dirty()


def test_ctrl_n_does_something_or_says_why_on_every_page(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                         services: Services) -> None:
    from kankei_desktop.core.services.clubs import ClubDraft

    services.clubs.create(ClubDraft(name="クラブ"))
    for index, (key, _label) in enumerate(PAGES):
        window.show_page(index)
        window.statusBar().clearMessage()
        _ctrl(qtbot, window, Qt.Key.Key_N)
        if key in ("organizations", "people", "clubs", "matchings"):
            assert window.current_page().editor.record_id is None  # type: ignore[attr-defined]
        elif key in ("calendar", "dashboard"):
            editor = QApplication.activeModalWidget() or window.calendar.editor
            assert isinstance(editor, SessionEditor)
            assert editor.meeting_id is None
            assert editor.club.currentText() == "クラブ"
            editor.reject()
        else:
            assert "Ctrl+N" in window.statusBar().currentMessage(), key


def test_ctrl_f_focuses_the_search_or_says_there_is_none(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.show_page(1)
    window.activateWindow()
    _ctrl(qtbot, window, Qt.Key.Key_F)
    assert window.organizations.search_box.hasFocus()
    window.show_page([key for key, _label in PAGES].index("reports"))  # no search there
    _ctrl(qtbot, window, Qt.Key.Key_F)
    assert "Ctrl+F" in window.statusBar().currentMessage()


def test_ctrl_p_prints_from_the_reports_page(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.show_page(2)
    _ctrl(qtbot, window, Qt.Key.Key_P)
    assert window.current_page() is window.reports
    assert "報告書" in window.statusBar().currentMessage()


def test_the_menus_list_the_shortcuts(window: MainWindow) -> None:
    from PySide6.QtWidgets import QMenu

    shortcuts = {action.shortcut().toString() for menu in window.menuBar().findChildren(QMenu)
                 for action in menu.actions() if not action.shortcut().isEmpty()}
    assert {"Ctrl+N", "Ctrl+F", "Ctrl+P", "Ctrl+Z", "Ctrl+Shift+Z",
            "F1", "Ctrl+O", "Ctrl+,", "Ctrl+Q"} <= shortcuts


# -- undo from the menu (item 3) ----------------------------------------------------------------

def test_edit_undo_names_the_action_and_the_editor_follows(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                          services: Services) -> None:
    person = services.people.create(PersonDraft(family_name="山田", given_name="太郎"))
    window.show_page(2)
    page = window.people
    page.refresh()
    page.select_record(person.id)
    page._on_selection_changed(None, None)  # type: ignore[arg-type]
    type_into(qtbot, page.editor.given_name, "花子")
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    undo = window.undo_actions.undo_action
    assert undo.text() == "元に戻す(&U): 山田 花子の編集"
    undo.trigger()
    assert services.people.get(person.id).given_name == "太郎"
    assert page.editor.given_name.text() == "太郎"
    assert "元に戻しました" in window.statusBar().currentMessage()
    redo = window.undo_actions.redo_action
    assert redo.text() == "やり直し(&R): 山田 花子の編集"
    redo.trigger()
    assert page.editor.given_name.text() == "花子"


def test_a_delete_from_the_list_is_undone(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                          services: Services) -> None:
    organization = services.organizations.create(OrganizationDraft(kind="company",
                                                                   name="北斗商事"))
    window.show_page(1)
    page = window.organizations
    page.refresh()
    page.select_record(organization.id)
    page.delete_selected()
    assert services.organizations.count() == 0
    assert window.undo_actions.undo_action.text() == "元に戻す(&U): 北斗商事の削除"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert services.organizations.count() == 1
    assert page.model.total == 1


def test_undo_asks_about_unsaved_edits_first(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                             services: Services, answers: list[str]) -> None:
    person = services.people.create(PersonDraft(family_name="山田", given_name="太郎"))
    with services.context.action("old"):
        services.people.update(person.id, PersonDraft(family_name="山田", given_name="一"))
    window.show_page(2)
    page = window.people
    page.refresh()
    page.select_record(person.id)
    page._on_selection_changed(None, None)  # type: ignore[arg-type]
    type_into(qtbot, page.editor.job_title, "課長")
    window.undo_actions.undo()
    assert any("保存" in text for text in answers)  # the unsaved-changes question came first


# -- history (item 4) -------------------------------------------------------------------------

def test_history_tab_shows_changes_and_puts_an_earlier_value_back(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                  services: Services) -> None:
    person = services.people.create(PersonDraft(family_name="山田", given_name="太郎"))
    services.people.update(person.id, PersonDraft(family_name="山田", given_name="花子",
                                                  job_title="主事"))
    window.show_page(2)
    page = window.people
    page.refresh()
    page.select_record(person.id)
    page._on_selection_changed(None, None)  # type: ignore[arg-type]
    editor = page.editor
    history = editor.change_history
    assert history is not None
    editor.tabs.setCurrentWidget(history)
    rows = {history.table.item(row, 3).text(): row for row in range(history.table.rowCount())}
    assert "名" in rows
    row = rows["名"]
    assert (history.table.item(row, 4).text(), history.table.item(row, 5).text()) == (
        "太郎", "花子")
    assert history.table.item(row, 1).text() == "このパソコン"
    assert history.last.rowCount() > 5  # every field's last change
    history.table.selectRow(row)
    assert history.restore_button.isEnabled()
    qtbot.mouseClick(history.restore_button, Qt.MouseButton.LeftButton)
    assert services.people.get(person.id).given_name == "太郎"
    assert editor.given_name.text() == "太郎"
    assert window.undo_actions.undo_action.text() == "元に戻す(&U): 名を以前の値に戻す"


# -- help (item 5) ------------------------------------------------------------------------------

def test_f1_opens_the_chapter_of_every_page(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    for index, (key, _label) in enumerate(PAGES):
        window.show_page(index)
        qtbot.keyClick(window, Qt.Key.Key_F1)
        manual = window._manual
        assert isinstance(manual, ManualWindow)
        assert manual.isVisible()
        assert manual.chapter() == PAGE_CHAPTERS[key]
        assert manual.browser.toPlainText().strip()
        manual.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_chapter_exists_and_its_links_and_images_resolve(language: str) -> None:
    folder = resources_dir() / "manual" / language
    for chapter, _title in CHAPTERS:
        path = folder / f"{chapter}.html"
        text = path.read_text(encoding="utf-8")
        for target in re.findall(r'(?:src|href)="([^"#:]+)"', text):
            assert (path.parent / target).resolve().exists(), f"{path.name}: {target}"


def test_the_japanese_manual_has_the_task_chapters_and_the_shortcuts() -> None:
    folder = resources_dir() / "manual" / "ja"
    index = (folder / "index.html").read_text(encoding="utf-8")
    for title in ("初めての設定", "セッションと出欠", "取り込み", "報告書", "同期", "バックアップ",
                  "ふるさと住民"):
        assert title in index
    keyboard = (folder / "keyboard.html").read_text(encoding="utf-8")
    for key in ("Ctrl+N", "Ctrl+F", "Ctrl+P", "Ctrl+Z", "F1", "Tab"):
        assert key in keyboard


def test_about_names_version_data_file_and_licences(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from kankei_desktop.ui.help.about import AboutDialog

    dialog = AboutDialog(window.database.path, window)
    qtbot.addWidget(dialog)
    assert str(window.database.path) in dialog.data_file.text()
    names = {dialog.libraries.item(row, 0).text() for row in range(dialog.libraries.rowCount())}
    assert {"PySide6-Essentials", "SQLAlchemy", "reportlab"} <= names
    licences = {dialog.libraries.item(row, 2).text() for row in
                range(dialog.libraries.rowCount())}
    assert all(licences)
    assert "IPA" in dialog.fonts.toPlainText()


# -- labels and checks (items 7 and 8) ----------------------------------------------------------

def test_organisation_labels_and_code_columns(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                              services: Services) -> None:
    window.show_page(1)
    page = window.organizations
    assert page.editor.form.labels["name"] == "団体名"
    headers = [page.model.headerData(column, Qt.Orientation.Horizontal)
               for column in range(page.model.columnCount())]
    assert "自治体コード" in headers
    assert "法人番号" in headers
    assert window.reports.municipality.itemText(0) == "すべての自治体"


def test_a_romaji_reading_and_a_missing_given_name_are_named_by_their_fields(
        qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    window.show_page(2)
    _ctrl(qtbot, window, Qt.Key.Key_N)
    editor = window.people.editor
    type_into(qtbot, editor.family_name, "鈴木")
    type_into(qtbot, editor.family_reading, "Suzuki")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "ひらがな" in editor.form.error_text("family_reading")
    assert "名なし" in editor.form.error_text("given_name")
    assert services.people.count() == 0
    type_into(qtbot, editor.family_reading, "すずき")
    editor.given_box.single.setChecked(True)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert services.people.count() == 1


def test_manual_images_are_small() -> None:
    images = list(Path(resources_dir() / "manual" / "images").glob("*.png"))
    assert images
    assert all(path.stat().st_size < 250_000 for path in images)


def test_f1_in_the_session_editor_opens_the_sessions_chapter(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    editor = SessionEditor(services, day=date(2026, 6, 1))
    qtbot.addWidget(editor)
    editor.show()
    editor.help_key.activated.emit()
    manual = editor.findChild(ManualWindow)
    assert manual is not None
    assert manual.chapter() == "sessions"
    manual.close()


# -- first start (item 12) -------------------------------------------------------------------

def test_the_welcome_offers_three_beginnings_and_the_data_folder(
        qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kankei_desktop.core.storage.paths import default_database_path
    from kankei_desktop.ui import welcome as welcome_module
    from kankei_desktop.ui.welcome import WelcomeDialog

    opened: list[Path] = []
    monkeypatch.setattr(welcome_module, "open_folder", lambda folder: opened.append(folder)
                        or True)
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    assert "お試しデータ" in dialog.demo_button.text()
    assert "空のファイル" in dialog.empty_button.text()
    assert "同僚" in dialog.open_button.text()
    folder = default_database_path().parent
    assert dialog.folder_button.toolTip().endswith(str(folder))
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [folder]
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert (dialog.path, dialog.with_demo) == (default_database_path(), True)

    empty = WelcomeDialog()
    qtbot.addWidget(empty)
    qtbot.mouseClick(empty.empty_button, Qt.MouseButton.LeftButton)
    assert (empty.path, empty.with_demo, empty.bundle) == (default_database_path(), False, None)

    receive = WelcomeDialog()
    qtbot.addWidget(receive)
    receive.choose_file(tmp_path / "from-sato.kankei")
    assert receive.bundle == tmp_path / "from-sato.kankei"
    assert receive.path == default_database_path()
    handed_over = WelcomeDialog()
    qtbot.addWidget(handed_over)
    handed_over.choose_file(tmp_path / "kankei.sqlite3")
    assert (handed_over.path, handed_over.bundle) == (tmp_path / "kankei.sqlite3", None)


# -- small screens (item 10) --------------------------------------------------------------------

#: Logical window sizes of 1280×720 and 1366×768 screens at 100 % and 125 %.
SMALL_WINDOWS = [(1280, 720), (1366, 768), (1024, 576), (1093, 614)]


@pytest.mark.parametrize("size", SMALL_WINDOWS)
def test_every_page_fits_a_small_screen(qtbot, window: MainWindow, services: Services,  # type: ignore[no-untyped-def]
                                        size: tuple[int, int]) -> None:
    from PySide6.QtWidgets import QScrollArea

    from kankei_desktop.core.demo import load_demo

    load_demo(services)
    window.resize(*size)
    minimum = window.minimumSizeHint()
    assert minimum.width() <= size[0]
    assert minimum.height() <= size[1]
    window.show_page(0)
    assert window.wait_until_idle()
    qtbot.waitUntil(lambda: window.dashboard.figures is not None, timeout=10_000)
    QApplication.processEvents()
    scroll = window.dashboard.findChild(QScrollArea)
    assert scroll is not None
    lists = window.dashboard.behind.parentWidget()
    bottom = lists.mapTo(scroll.viewport(), lists.rect().bottomLeft()).y()
    assert bottom <= scroll.viewport().height()  # the lower panels are not cut
    assert window.dashboard.month_chart.chart().axes()[0].truncateLabels() is False
    window.show_page(3)
    page = window.clubs
    page.select_record(services.clubs.find()[0].id)
    page._on_selection_changed(None, None)  # type: ignore[arg-type]
    QApplication.processEvents()
    scroll = page.editor.findChild(QScrollArea)
    assert scroll is not None
    assert not scroll.horizontalScrollBar().isVisible()  # the club editor never scrolls sideways
    editor = SessionEditor(services, parent=window)
    assert editor.minimumSizeHint().height() <= size[1]
    assert editor.minimumSizeHint().width() <= size[0]
    editor.deleteLater()


# -- the report preview (item 13) ----------------------------------------------------------------

def test_the_report_preview_shows_its_first_page_for_a_screenshot(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                  services: Services) -> None:
    import time

    from kankei_desktop.core.demo import load_demo

    load_demo(services)
    window.show_page(5)
    page = window.reports
    started = time.monotonic()
    page.prepare_screenshot()
    assert page.wait_until_idle()
    assert page.preview.shows_a_page()
    assert time.monotonic() - started < 4


def test_choosing_a_host_municipality_and_cancelling_saves_nothing(
        qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.helpers import pick

    window.show_page(3)
    _ctrl(qtbot, window, Qt.Key.Key_N)
    editor = window.clubs.editor
    type_into(qtbot, editor.name, "鷹栖クラブ")
    pick(qtbot, editor.host, "鷹栖")
    assert editor.is_dirty()
    qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    assert services.organizations.count() == 0  # the municipality was not made behind 取消
    assert services.clubs.count() == 0


def test_the_manual_stays_on_the_chapter_it_was_opened_at(qtbot) -> None:  # type: ignore[no-untyped-def]
    manual = ManualWindow()
    qtbot.addWidget(manual)
    manual.show_chapter("sessions")
    manual.show()
    qtbot.waitExposed(manual)
    QApplication.processEvents()
    assert manual.chapter() == "sessions"
    assert "出欠" in manual.browser.toPlainText()
    manual.chapters.setCurrentRow(5)  # a chapter chosen in the list
    assert manual.chapter() == "reports"
