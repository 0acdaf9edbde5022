"""A progress dialog bound to a background :class:`~kankei_desktop.ui.workers.Task`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from kankei_desktop.core.i18n import _
from kankei_desktop.ui.workers import JobControl, Task

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    """How a task ended: its result, its error, or cancelled."""

    result: T | None = None
    error: BaseException | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """The job returned normally."""
        return self.error is None and not self.cancelled


class TaskProgressDialog(QDialog):
    """Shows a task's progress; Cancel asks the job to stop (or is disabled, with a reason)."""

    def __init__(self, title: str, text: str, task: Task[T], *, cancellable: bool = True,
                 refusal: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(420)
        self._task = task
        column = QVBoxLayout(self)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        column.addWidget(self.text)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first report
        column.addWidget(self.bar)
        self.note = QLabel(refusal)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.note.setVisible(bool(refusal) and not cancellable)
        column.addWidget(self.note)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setEnabled(cancellable)
        self.cancel_button.setToolTip(
            _("Stop the work; nothing half-done is kept") if cancellable else refusal)
        row.addWidget(self.cancel_button)
        column.addLayout(row)
        self.cancellable = cancellable
        self.cancel_button.clicked.connect(self.request_cancel)
        task.signals.progress.connect(self._on_progress)

    def request_cancel(self) -> None:
        """The user pressed Cancel (or Esc)."""
        if not self.cancellable or self._task.control.cancelled:
            return
        self._task.cancel()
        self.cancel_button.setEnabled(False)
        self.text.setText(_("Stopping…"))

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.request_cancel()
            return
        super().keyPressEvent(event)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        # The dialog closes itself when the task ends; the title bar's ✕ means Cancel.
        if not self._task.ended:
            self.request_cancel()
            event.ignore()
            return
        super().closeEvent(event)


def run_with_progress(
    parent: QWidget | None,
    title: str,
    text: str,
    job: Callable[[JobControl], T],
    *,
    cancellable: bool = True,
    refusal: str = "",
) -> Outcome[T]:
    """Run ``job`` in the background behind a modal progress dialog; wait for its end.

    The GUI keeps painting and answering while the job runs (a local event loop); the
    caller gets the :class:`Outcome` once the job has ended.
    """
    task: Task[T] = Task(job)
    dialog = TaskProgressDialog(title, text, task, cancellable=cancellable, refusal=refusal,
                                parent=parent)
    loop = QEventLoop()
    task.signals.done.connect(loop.quit)
    task.start()
    dialog.show()
    if not task.ended:
        loop.exec()
    dialog.hide()
    dialog.deleteLater()
    return Outcome(result=task.result, error=task.error, cancelled=task.was_cancelled)
