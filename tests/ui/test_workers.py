"""Background work: results by signal, progress, cancel; demo data and Save a copy."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication

from kankei_desktop.core.services import Services
from kankei_desktop.ui.file_actions import save_copy
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.widgets.progress_dialog import TaskProgressDialog, run_with_progress
from kankei_desktop.ui.workers import JobControl, Task, TaskCancelledError, running_tasks

pytestmark = pytest.mark.gui


def test_result_comes_back_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    gui = QThread.currentThread()
    seen: list[tuple[str, object, bool]] = []

    def job(control: JobControl) -> str:
        control.report(1, 2)
        assert QThread.currentThread() is not gui
        return "done"

    task = Task(job)
    task.signals.progress.connect(lambda done, total: seen.append(
        ("progress", (done, total), QThread.currentThread() is gui)))
    task.signals.finished.connect(
        lambda result: seen.append(("finished", result, QThread.currentThread() is gui)))
    with qtbot.waitSignal(task.signals.done, timeout=5000):
        task.start()
    assert seen == [("progress", (1, 2), True), ("finished", "done", True)]
    assert task.ended
    assert running_tasks() == 0


def test_failure_and_cancel_are_reported(qtbot) -> None:  # type: ignore[no-untyped-def]
    def broken(_control: JobControl) -> None:
        raise ValueError("no")

    failing = Task(broken)
    with qtbot.waitSignal(failing.signals.failed, timeout=5000) as blocker:
        failing.start()
    assert isinstance(blocker.args[0], ValueError)

    release = threading.Event()

    def long(control: JobControl) -> int:
        release.wait(5)
        control.check()
        return 1

    task = Task(long)
    with qtbot.waitSignal(task.signals.cancelled, timeout=5000):
        task.start()
        task.cancel()
        release.set()
    assert task.was_cancelled
    assert task.result is None


def test_progress_dialog_cancel_button(qtbot) -> None:  # type: ignore[no-untyped-def]
    def job(control: JobControl) -> int:
        for step in range(500):
            control.report(step, 500)
            control.check()
            QThread.msleep(10)
        return 500

    def press_cancel() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, TaskProgressDialog) and w.isVisible()]
        assert dialogs
        assert dialogs[0].cancel_button.isEnabled()
        dialogs[0].cancel_button.click()

    QTimer.singleShot(200, press_cancel)
    outcome = run_with_progress(None, "t", "working", job)
    assert outcome.cancelled
    assert not outcome.ok


def test_save_copy_can_be_cancelled_and_keeps_the_old_copy(tmp_path: Path, database) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"old copy")
    task = Task(lambda control: save_copy(database.path, target, control))
    task.control.cancel()
    with pytest.raises(TaskCancelledError):
        save_copy(database.path, target, task.control)
    assert target.read_bytes() == b"old copy"
    assert not target.with_name("copy.sqlite3.partial").exists()


def test_save_a_copy_from_the_menu(qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "backup.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.save_a_copy()
    with sqlite3.connect(target) as copy:
        assert copy.execute("select count(*) from sqlite_master").fetchone()[0] > 5
    assert "backup.sqlite3" in window.statusBar().currentMessage()


def test_demo_data_in_the_background(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[bool, str]] = []

    def look() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, TaskProgressDialog) and w.isVisible()]
        if dialogs:
            seen.append((dialogs[0].cancel_button.isEnabled(), dialogs[0].note.text()))

    QTimer.singleShot(0, look)
    window.show_page(2)
    window.offer_demo()
    assert services.people.count() > 5
    assert seen
    assert seen[0][0] is False
    assert seen[0][1]
    assert window.people.model.total == services.people.count()
