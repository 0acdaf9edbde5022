"""File ▸ Restore from backup…: the list shows dates, reasons and figures; restoring reopens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.backup import backup_before, list_backups
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.restore_dialog import RestoreDialog, restore_from_backup, restore_into
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


def _names_shown(window: MainWindow) -> set[str]:
    model = window.people.model
    return {str(model.index(row, 0).data()) for row in range(model.rowCount())}


def test_restore_through_the_dialog_shows_the_restored_data(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, answers: list[str]
) -> None:
    window.show_page(2)
    qtbot.waitUntil(lambda: window.people.model.total == 5)
    assert any(name.startswith("新規") for name in _names_shown(window))

    def choose_the_backup() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RestoreDialog)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, choose_the_backup)
    assert restore_from_backup(window)

    assert window.page_key() == "people", "the page shown before stays shown"
    qtbot.waitUntil(lambda: window.people.model.total == 2)
    assert _names_shown(window) == {"試験0 太郎", "試験1 太郎"}
    assert window.services.people.count() == 2
    assert window.statusBar().currentMessage() == _("The backup was restored.")
    assert window.windowTitle().startswith(window.database.path.name)
    assert len(answers) == 1, "only the 'Replace the open file?' question was asked"


def test_a_refused_restore_leaves_the_file_open_and_says_why(
    window: MainWindow, answers: list[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken-backup.sqlite3"
    broken.write_bytes(b"not a database")

    assert not restore_into(window, broken)

    assert window.services.people.count() == 5, "the file is open again, unchanged"
    assert len(answers) == 1, "the reason was shown"
