"""A second window on a file another copy holds (issue 23, item 11): the "in use" dialog at
once, naming who holds it, with the choice to open it read-only or to quit."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kankei_desktop.core.errors import ReadOnlyLocationError
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.filelock import Mode
from kankei_desktop.ui.file_actions import open_or_explain
from kankei_desktop.ui.in_use_dialog import InUseDialog
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.settings import AppSettings

pytestmark = pytest.mark.gui


def answer_with(button: str, seen: dict[str, object]) -> None:
    """Once the modal dialog runs, note it and press ``button``."""
    def press() -> None:
        dialog = QApplication.activeModalWidget()
        seen["dialog"] = dialog
        seen["at"] = time.monotonic()
        if isinstance(dialog, InUseDialog):
            seen["text"] = dialog.text()
            getattr(dialog, button).click()
        elif dialog is not None:
            dialog.close()
    QTimer.singleShot(0, press)


def test_the_dialog_shows_at_once_and_opens_read_only(db_path: Path, qtbot,  # type: ignore[no-untyped-def]
                                                      capfd: pytest.CaptureFixture[str]) -> None:
    set_language("en")
    holder = open_database(db_path, mode=Mode.WINDOW)
    Services(holder).people.create(PersonDraft(family_name="先に開いた人"))
    seen: dict[str, object] = {}
    try:
        answer_with("read_only_button", seen)
        started = time.monotonic()
        database = open_or_explain(db_path, quitting=True)
        assert isinstance(seen.get("dialog"), InUseDialog)
        assert float(seen["at"]) - started < 3  # type: ignore[arg-type]
        text = str(seen["text"])
        assert "another running copy" in text
        assert f"process {os.getpid()}" in text  # who holds it, from its lock file
        assert "another running copy" in capfd.readouterr().err  # and a line in the log
        assert database is not None
        try:
            assert database.read_only
            reader = Services(database)
            assert [person.family_name for person in reader.people.find()] == ["先に開いた人"]
            with pytest.raises(ReadOnlyLocationError) as refused:
                reader.people.create(PersonDraft(family_name="保存できない"))
            assert "read-only" in refused.value.message
            Services(holder).people.create(PersonDraft(family_name="後から"))
            assert len(reader.people.find()) == 2  # the holder's later saves are seen
            window = MainWindow(database, AppSettings())
            qtbot.addWidget(window)
            assert "read-only" in window.windowTitle()
            window.close()
        finally:
            database.close()
    finally:
        holder.close()
    assert [name for name in sorted(p.family_name for p in _people(db_path))] == [
        "先に開いた人", "後から"]


def _people(path: Path) -> list[object]:
    database = open_database(path)
    try:
        return list(Services(database).people.find())
    finally:
        database.close()


def test_quit_leaves_without_opening(db_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    holder = open_database(db_path, mode=Mode.WINDOW)
    seen: dict[str, object] = {}
    try:
        answer_with("leave_button", seen)
        assert open_or_explain(db_path, quitting=True) is None
        assert isinstance(seen.get("dialog"), InUseDialog)
        assert "使用中" in str(seen["text"])
    finally:
        holder.close()
