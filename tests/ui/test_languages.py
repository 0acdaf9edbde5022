"""The window speaks Japanese or English throughout: title, menus, validation messages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThreadPool

from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.storage.database import Database
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.settings import AppSettings
from tests.ui.helpers import type_into

pytestmark = pytest.mark.gui

EXPECTED = {
    "ja": {"title": "— Kankei Desktop", "menus": ["ファイル(&F)", "編集(&E)"],
           "error": "はメールアドレスではありません", "page": "団体"},
    "en": {"title": "— Kankei Desktop", "menus": ["&File", "&Edit"],
           "error": "is not an e-mail address", "page": "Organisations"},
}


@pytest.fixture
def window_in(qtbot, database: Database, answers: list[str]) -> Iterator:  # type: ignore[no-untyped-def, type-arg]
    made: list[MainWindow] = []

    def make(language: str) -> MainWindow:
        set_language(language)
        win = MainWindow(database, AppSettings())
        qtbot.addWidget(win)
        win.resize(1280, 800)
        win.show()
        made.append(win)
        return win

    yield make
    for win in made:
        win.hide()
    QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.processEvents()
    set_language("ja")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_window_title_menus_and_validation_speak_the_language(
    qtbot, window_in, language: str  # type: ignore[no-untyped-def]
) -> None:
    expected = EXPECTED[language]
    window = window_in(language)
    assert window.windowTitle().endswith(expected["title"])
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus[:2] == expected["menus"]
    assert window.navigation.item(1).text() == expected["page"]
    window.show_page(1)
    assert window.page_key() == "organizations"
    page = window.organizations
    page.new_button.click()
    page.editor.kind.setCurrentIndex(page.editor.kind.findData("company"))
    type_into(qtbot, page.editor.name, "株式会社さくらテック")
    type_into(qtbot, page.editor.reading, "さくらてっく")
    type_into(qtbot, page.editor.email, "info@")
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    assert expected["error"] in page.editor.form.error_text("email")


def test_settings_dialog_keeps_language_and_date_style(qtbot) -> None:  # type: ignore[no-untyped-def]
    from kankei_desktop.core.japan import formatting
    from kankei_desktop.ui.settings_dialog import SettingsDialog

    settings = AppSettings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.date_style.setCurrentIndex(dialog.date_style.findData("wareki"))
    try:
        dialog.accept()
        again = AppSettings()
        assert (again.language, again.date_style) == ("en", "wareki")
        assert formatting.date_style() is formatting.DateStyle.WAREKI
        assert dialog.language_changed()
    finally:
        formatting.set_date_style("western")
