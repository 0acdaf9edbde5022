"""UI fixtures: a main window over the test database, message boxes answered automatically."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.exceptions import TimeoutError as WaitTimeoutError

from kankei_desktop.core.storage.database import Database
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.settings import AppSettings

POOL_WAIT_MS = 10_000
TIMER_WAIT_MS = 3_000


@pytest.fixture(autouse=True)
def _no_dangling_work(qapp, qtbot, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Fail a test that leaves thread-pool jobs or Python-started timers running.

    Short single-shot timers (a search box's debounce) may still fire: the check waits a
    little for them, then fails on any timer still active (napari's fixture does the same).
    """
    started: list[QTimer] = []
    pending_single_shots = [0]
    original_start = QTimer.start
    original_single_shot = QTimer.singleShot

    def start(self: QTimer, *args: object) -> None:
        started.append(self)
        original_start(self, *args)

    def single_shot(msec: int, *args: object) -> None:
        pending_single_shots[0] += 1
        *head, slot = args

        def fire(*slot_args: object) -> None:
            pending_single_shots[0] -= 1
            if callable(slot):
                slot(*slot_args)

        original_single_shot(msec, *head, fire)

    monkeypatch.setattr(QTimer, "start", start)
    monkeypatch.setattr(QTimer, "singleShot", staticmethod(single_shot))
    yield
    pool = QThreadPool.globalInstance()
    finished = pool.waitForDone(POOL_WAIT_MS)
    QCoreApplication.processEvents()
    assert finished, "a thread-pool job was still running at the end of the test"
    assert pool.activeThreadCount() == 0, "thread-pool threads still active after the test"

    def active() -> list[QTimer]:
        return [timer for timer in started if shiboken6.isValid(timer) and timer.isActive()]

    def idle() -> bool:
        return not active() and pending_single_shots[0] == 0

    if not idle():
        try:
            qtbot.waitUntil(idle, timeout=TIMER_WAIT_MS)
        except WaitTimeoutError:
            names = [timer.objectName() or repr(timer.parent()) for timer in active()]
            pytest.fail(f"timers still running at the end of the test: {names} "
                        f"(+{pending_single_shots[0]} single-shot)")


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
    QThreadPool.globalInstance().waitForDone(POOL_WAIT_MS)  # before the database closes
    QCoreApplication.processEvents()
