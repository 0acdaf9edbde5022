"""In the window: saving into a file that became read-only shows a sentence, keeps the typed
values in the form, and saves once the problem is gone (disk full: see test_saving_failures)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import event

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.navigation import PAGES
from kankei_desktop.ui.settings import AppSettings
from tests.robustness.helpers import add_people, people_names
from tests.ui.helpers import type_into

pytestmark = pytest.mark.gui


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def record(_parent: object, _title: str, text: str, *_args: object,
               **_kwargs: object) -> QMessageBox.StandardButton:
        seen.append(text)
        return QMessageBox.StandardButton.Ok

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, record)
    return seen


@pytest.fixture
def window(qtbot, db_path: Path, warnings: list[str]) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    database = open_database(db_path)
    add_people(Services(database), 1)
    win = MainWindow(database, AppSettings())
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.hide()
    QThreadPool.globalInstance().waitForDone(10_000)
    win.database.close()


def test_save_into_read_only_file_keeps_the_form_and_the_saved_state(
    qtbot, window: MainWindow, warnings: list[str], db_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    window.show_page([key for key, _label in PAGES].index("people"))
    QThreadPool.globalInstance().waitForDone(10_000)
    engine = window.database.engine

    def refuse(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA query_only=ON")  # as a file turned read-only

    event.listen(engine, "connect", refuse)
    engine.dispose()
    editor = window.people.editor
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    type_into(qtbot, editor.family_name, "保存")
    type_into(qtbot, editor.family_reading, "ほぞん")
    editor.given_box.single.setChecked(True)  # a single name: no 名 needed
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    assert len(warnings) == 1
    assert "読み取り専用" in warnings[0] or "read-only" in warnings[0], warnings[0]
    assert editor.family_name.text() == "保存", "what the user typed is kept"
    assert people_names(db_path) == {"試験0"}

    event.remove(engine, "connect", refuse)
    engine.dispose()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert len(warnings) == 1
    assert len(people_names(db_path)) == 2
