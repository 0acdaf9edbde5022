"""UI fixtures: a main window over the test database, message boxes answered automatically."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox

from kankei_desktop.core.database import Database
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.settings import AppSettings


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every QMessageBox.question is answered Yes; warnings/criticals are recorded."""
    seen: list[str] = []

    def question(_parent: object, _title: str, text: str, *args: object,
                 **kwargs: object) -> QMessageBox.StandardButton:
        seen.append(text)
        return QMessageBox.StandardButton.Yes

    def record(_parent: object, _title: str, text: str, *args: object,
               **kwargs: object) -> QMessageBox.StandardButton:
        seen.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", record)
    monkeypatch.setattr(QMessageBox, "critical", record)
    monkeypatch.setattr(QMessageBox, "information", record)
    return seen


@pytest.fixture
def window(qtbot, database: Database, answers: list[str]) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The main window over the test database (settings in the test's data folder)."""
    win = MainWindow(database, AppSettings())
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.hide()
