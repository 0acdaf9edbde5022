"""File ▸ Restore from backup…: the list shows dates, reasons and figures; restoring reopens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.backup import backup_before, list_backups
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.restore_dialog import RestoreDialog, restore_into
from kankei_desktop.ui.settings import AppSettings
from tests.robustness.helpers import add_people

pytestmark = pytest.mark.gui


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Questions are answered Yes; every message shown is recorded."""
    seen: list[str] = []

    def reply(_parent: object, _title: str, text: str, *_args: object,
              **_kwargs: object) -> QMessageBox.StandardButton:
        seen.append(text)
        return QMessageBox.StandardButton.Yes

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, reply)
    return seen


@pytest.fixture
def window(qtbot, db_path: Path, answers: list[str]) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    database = open_database(db_path)
    add_people(Services(database), 2)
    backup_before(db_path, "daily", now=datetime(2025, 4, 1, 9, 15))
    add_people(Services(database), 3, prefix="新規")
    win = MainWindow(database, AppSettings())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.hide()
    QThreadPool.globalInstance().waitForDone(10_000)
    win.database.close()


def test_dialog_lists_backups_with_date_reason_and_figures(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    backup_before(window.database.path, "import", now=datetime(2025, 5, 3, 14, 0))
    dialog = RestoreDialog(window.database.path, window)
    qtbot.addWidget(dialog)

    rows = [[dialog.table.item(row, column).text() for column in range(5)]
            for row in range(dialog.table.rowCount())]

    assert rows[0][0] == "2025-05-03 14:00"
    assert rows[0][2:] == ["5", "0", "0"]
    assert rows[1][0] == "2025-04-01 09:15"
    assert rows[1][2:] == ["2", "0", "0"]
    assert rows[1][1] != "daily", "the reason is shown in words"
    assert dialog.restore_button.isEnabled()


def test_restore_replaces_the_data_and_keeps_the_window_working(
    window: MainWindow, answers: list[str]
) -> None:
    path = window.database.path
    [chosen] = list_backups(path)

    assert restore_into(window, chosen.path)

    assert window.database.path == path
    assert window.services.people.count() == 2
    reasons = [info.reason for info in list_backups(path)]
    assert "before-restore" in reasons
    safety = next(info for info in list_backups(path) if info.reason == "before-restore")
    assert safety.counts is not None
    assert safety.counts.people == 5, "the state before the restore is kept as a backup"
    assert not answers, "no error was shown"


def test_dialog_without_backups_says_so(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = RestoreDialog(tmp_path / "none.sqlite3")
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert not dialog.empty_label.isHidden()
    assert not dialog.restore_button.isEnabled()
