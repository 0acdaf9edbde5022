"""``kankei-desktop --self-test``: does this installation work, end to end?

On a temporary file and a temporary user folder (the user's real data and settings are never
touched), offscreen: migrate a new file, load the demo data, render every page of the window,
build every PDF, export and re-import a sync bundle, and check the file. Prints one summary
line; exit code 0 when everything passed, 1 naming the step that failed. Support staff ask
for this line when an installation misbehaves; the frozen build runs it in CI.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kankei_desktop.core.i18n import _

EXIT_OK = 0
EXIT_FAILED = 1
REPORTS_MODULE = "kankei_desktop.reports.self_test"
SYNC_MODULE = "kankei_desktop.sync.self_test"


class StepUnavailableError(Exception):
    """A step's module is missing from this build."""


@dataclass
class Context:
    """What the steps share: the work folder, the open file, the window."""

    folder: Path
    database: Any = None
    services: Any = None
    window: Any = None
    notes: list[str] = field(default_factory=list)


def step_migrate(context: Context) -> str:
    """Create a new file and bring it to the newest schema."""
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.storage import migration
    from kankei_desktop.core.storage.database import open_database

    context.database = open_database(context.folder / "self-test.sqlite3")
    context.services = Services(context.database)
    with context.database.engine.connect() as connection:
        revision = migration.current_revision(connection)
    if revision != migration.head_revision():
        raise RuntimeError(f"schema {revision} is not {migration.head_revision()}")
    return _("schema {revision}").format(revision=revision)


def step_demo(context: Context) -> str:
    """Load the shipped demo data."""
    from kankei_desktop.core.demo import load_demo

    load_demo(context.services)
    people = context.services.people.count()
    if not people:
        raise RuntimeError("the demo data holds no people")
    return _("demo data ({count} people)").format(count=people)


def step_pages(context: Context) -> str:
    """Render every page of the main window offscreen."""
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

    from kankei_desktop.ui.main_window import MainWindow
    from kankei_desktop.ui.navigation import PAGES
    from kankei_desktop.ui.screenshots import render_screenshots
    from kankei_desktop.ui.settings import AppSettings

    _application()
    context.window = MainWindow(context.database, AppSettings())
    try:
        written = render_screenshots(context.window, context.folder / "pages")
    finally:
        context.window.hide()
        QThreadPool.globalInstance().waitForDone()
        context.window.deleteLater()
        # Delete it now, while its file is still open: a window destroyed later, inside some
        # other event loop, would take down whatever runs there.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
        context.window = None
    empty = [path.name for path in written if path.stat().st_size == 0]
    if len(written) < len(PAGES) or empty:
        raise RuntimeError(f"{len(written)} of {len(PAGES)} pages rendered; empty: {empty}")
    return _("{count} pages").format(count=len(written))


def step_pdfs(context: Context) -> str:
    """Build every PDF document (reports feature)."""
    build_every_document = _feature(REPORTS_MODULE, "build_every_document")
    folder = context.folder / "pdf"
    folder.mkdir()
    build_every_document(context.services, folder)
    pdfs = sorted(folder.rglob("*.pdf"))
    bad = [path.name for path in pdfs if not path.read_bytes().startswith(b"%PDF")]
    if not pdfs or bad:
        raise RuntimeError(f"no PDF written to {folder}" if not pdfs else f"not PDF: {bad}")
    return _("{count} PDFs").format(count=len(pdfs))


def step_bundle(context: Context) -> str:
    """Export a sync bundle and import it again (sync feature)."""
    round_trip = _feature(SYNC_MODULE, "round_trip")
    folder = context.folder / "bundle"
    folder.mkdir()
    round_trip(context.services, folder)
    return _("bundle round trip")


def step_check(context: Context) -> str:
    """The file passes the same check as ``kankei check``."""
    from kankei_desktop.core.storage.integrity import check_file

    path = context.database.path
    context.database.close()
    context.database = None
    report = check_file(path)
    if not report.ok:
        raise RuntimeError("; ".join(report.problems))
    return _("check ok")


STEPS: list[tuple[str, Callable[[Context], str]]] = [
    ("migrate", step_migrate),
    ("demo", step_demo),
    ("pages", step_pages),
    ("pdf", step_pdfs),
    ("bundle", step_bundle),
    ("check", step_check),
]


def run_self_test(out: TextIO | None = None, *, keep: Path | None = None) -> int:
    """Run every step; print one line to ``out``; return the exit code.

    ``keep`` names a folder to work in (left in place for inspection); by default a temporary
    folder is used and removed afterwards.
    """
    stream = out if out is not None else sys.stdout
    started = time.monotonic()
    with _work_folder(keep) as folder, _isolated_user_folder(folder):
        context = Context(folder=folder)
        done: list[str] = []
        try:
            for name, step in STEPS:
                try:
                    done.append(step(context))
                except StepUnavailableError as exc:
                    print(_("self-test FAILED at step '{step}': not available ({module})").format(
                        step=name, module=exc), file=stream, flush=True)
                    return EXIT_FAILED
                except Exception as exc:  # any failure names its step
                    traceback.print_exc(file=sys.stderr)  # details; the summary stays 1 line
                    print(_("self-test FAILED at step '{step}': {reason}").format(
                        step=name, reason=_reason(exc)), file=stream, flush=True)
                    return EXIT_FAILED
        finally:
            if context.database is not None:
                context.database.close()
    print(_("self-test passed in {seconds:.1f} s: {steps}").format(
        seconds=time.monotonic() - started, steps=", ".join(done)), file=stream, flush=True)
    return EXIT_OK


def _feature(module_name: str, function: str) -> Callable[..., Any]:
    """A function of a feature module, imported only when its step runs."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise StepUnavailableError(module_name) from exc
    found: Callable[..., Any] | None = getattr(module, function, None)
    if found is None:
        raise StepUnavailableError(f"{module_name}.{function}")
    return found


def _application() -> Any:
    """The QApplication (created offscreen unless a display platform was chosen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kankei_desktop.ui.fonts import choose_ui_font

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "kankei-desktop"])
        choose_ui_font(app)
    return app


@contextmanager
def _work_folder(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="kankei-self-test-") as temporary:
        yield Path(temporary)


@contextmanager
def _isolated_user_folder(folder: Path) -> Iterator[None]:
    """Settings, caches and the default file go to the work folder, never the user's."""
    previous = os.environ.get("KANKEI_DATA_DIR")
    os.environ["KANKEI_DATA_DIR"] = str(folder / "user-data")
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("KANKEI_DATA_DIR", None)
        else:
            os.environ["KANKEI_DATA_DIR"] = previous


def _reason(exc: BaseException) -> str:
    message = getattr(exc, "message", None)
    text = message if isinstance(message, str) else str(exc)
    text = " ".join(text.split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

