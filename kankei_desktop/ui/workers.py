"""The one helper for long work off the GUI thread.

A :class:`Task` wraps a plain function ``job(control) -> result`` and runs it on
``QThreadPool.globalInstance()``. The job never touches widgets: it receives a
:class:`JobControl` to report progress and to see whether the user cancelled, and its result
(or its exception) comes back to the GUI thread through the signals of :class:`TaskSignals`.

Services open one SQLAlchemy session per call, so a job may call services; it must hand back
plain values or detached rows (ours have no lazy-loading relationships).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

T = TypeVar("T")


class TaskCancelledError(Exception):
    """Raised inside a job (by :meth:`JobControl.check`) when the user cancelled."""


class JobControl:
    """What a job may use: progress reports and the cancel flag (thread-safe)."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def report(self, done: int, total: int) -> None:
        """Tell the GUI how far the job is (``done`` of ``total`` steps)."""
        self._signals.progress.emit(done, total)

    @property
    def cancelled(self) -> bool:
        """True once the user asked to stop."""
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`TaskCancelledError` if the user asked to stop."""
        if self._cancel.is_set():
            raise TaskCancelledError

    def cancel(self) -> None:
        """Ask the job to stop at its next :meth:`check` (called from the GUI thread)."""
        self._cancel.set()


class TaskSignals(QObject):
    """Lives in the GUI thread; the worker emits, the GUI receives (queued)."""

    finished = Signal(object)
    """The job returned (its result)."""
    failed = Signal(object)
    """The job raised (the exception)."""
    cancelled = Signal()
    """The job stopped because the user cancelled."""
    progress = Signal(int, int)
    """The job reported progress (done, total)."""
    done = Signal()
    """The job ended, whichever way (emitted after finished/failed/cancelled)."""


class _Runnable(QRunnable):
    def __init__(self, task: Task[Any]) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task.run_job()


_running: set[Task[Any]] = set()
"""Tasks started and not yet ended (keeps their Python objects alive)."""


class Task(Generic[T]):
    """``job`` run once on the global thread pool; connect to :attr:`signals` before start."""

    def __init__(self, job: Callable[[JobControl], T]) -> None:
        self.signals = TaskSignals()
        self.control = JobControl(self.signals)
        self._job = job
        self.result: T | None = None
        self.error: BaseException | None = None
        self.was_cancelled = False
        self.ended = False
        self.signals.done.connect(self._on_done)

    def start(self) -> Task[T]:
        """Queue the job on ``QThreadPool.globalInstance()``."""
        _running.add(self)
        runnable = _Runnable(self)
        runnable.setAutoDelete(True)
        QThreadPool.globalInstance().start(runnable)
        return self

    def cancel(self) -> None:
        """Ask the job to stop (it decides when, through :meth:`JobControl.check`)."""
        self.control.cancel()

    def run_job(self) -> None:
        """The thread body (called by the pool, never by the GUI)."""
        # Worker thread: only plain values cross over, by signal.
        try:
            result = self._job(self.control)
        except TaskCancelledError:
            self.was_cancelled = True
            self.signals.cancelled.emit()
        except Exception as exc:
            self.error = exc
            self.signals.failed.emit(exc)
        else:
            self.result = result
            self.signals.finished.emit(result)
        self.signals.done.emit()

    def _on_done(self) -> None:
        self.ended = True
        _running.discard(self)


def running_tasks() -> int:
    """How many tasks were started and have not reported their end to the GUI yet."""
    return len(_running)
