"""Opening, creating and copying database files, with errors as sentences."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from kankei_desktop.core.errors import DatabaseInUseError, DatabaseOpenError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.backup import daily_backup
from kankei_desktop.core.storage.database import Database, open_database
from kankei_desktop.core.storage.filelock import Mode
from kankei_desktop.core.storage.private import create_private
from kankei_desktop.ui.in_use_dialog import InUseChoice, ask_in_use
from kankei_desktop.ui.widgets.progress_dialog import run_with_progress
from kankei_desktop.ui.workers import JobControl

COPY_PAGES = 256
"""SQLite pages copied per step of Save a copy (progress and cancel between steps)."""
FILE_FILTER_SOURCE = "Kankei files (*.sqlite3 *.sqlite *.db);;All files (*)"


def file_filter() -> str:
    """The file-dialog filter, translated."""
    return _(FILE_FILTER_SOURCE)


def open_or_explain(path: Path | str, parent: QWidget | None = None, *,
                    create: bool = True, daily: bool = True,
                    quitting: bool = False) -> Database | None:
    """Open ``path``; on failure show the reason in a message box and return None.

    The first opening of a day takes the daily backup (File ▸ Restore from backup) unless
    ``daily`` is False (the window reopening the file it had open). A file another window
    holds (or a copy that needs it to itself) is told at once, with the choice to open it
    read-only (``quitting``: the alternative is to quit the application, at start-up); the
    command line may read and write it beside the window. A ``postgresql://`` address
    connects to a shared database (its password asked for when needed; no backups: the
    server keeps them).
    """
    if isinstance(path, str):
        from kankei_desktop.ui.connect_dialog import connect_shared

        return connect_shared(path, parent)
    try:
        database = open_database(path, create=create, mode=Mode.WINDOW)
        if daily:
            daily_backup(database.path)
        return database
    except DatabaseInUseError as exc:
        if ask_in_use(exc, parent, quitting=quitting) is not InUseChoice.READ_ONLY:
            return None
        return open_read_only_or_explain(path, parent)
    except DatabaseOpenError as exc:
        QMessageBox.critical(parent, _("Cannot open the file"), exc.message)
        return None
    except OSError as exc:
        QMessageBox.critical(parent, _("Cannot open the file"), _(
            "The file {path} could not be opened ({reason}). Check that the folder exists and "
            "that you may write to it.").format(path=path, reason=exc.strerror or exc))
        return None


def open_read_only_or_explain(path: Path, parent: QWidget | None = None) -> Database | None:
    """Open ``path`` read-only (another copy holds it); explain a failure."""
    try:
        return open_database(path, read_only=True)
    except DatabaseOpenError as exc:
        QMessageBox.critical(parent, _("Cannot open the file"), exc.message)
        return None


def save_copy(source: Path, target: Path, control: JobControl | None = None) -> None:
    """Copy the open file with SQLite's online backup (consistent even while in use).

    The copy is written next to ``target`` and renamed at the end, so a cancelled or failed
    copy never replaces an existing file with half of one. Safe to call in a worker thread
    (it opens its own connections); ``control`` receives progress and may cancel.
    """
    if target.resolve() == source.resolve():
        raise ValueError(_("Choose another name: the copy cannot replace the open file."))
    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        partial.unlink()
    create_private(partial, exclusive=True)  # a copy of residents' data: the user's only

    def step(_status: int, remaining: int, total: int) -> None:
        if control is not None:
            control.report(total - remaining, total)
            control.check()

    origin = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(partial)
        try:
            origin.backup(destination, pages=COPY_PAGES, progress=step)
        finally:
            destination.close()
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        origin.close()


def load_demo_data(database: Database, parent: QWidget | None = None) -> bool:
    """Fill an empty file with the demo data (in the background, with progress)."""
    try:
        from kankei_desktop.core.demo import load_demo
    except ImportError:
        QMessageBox.information(parent, _("Demo data"), _(
            "This version does not include demo data yet. The file was created empty."))
        return False
    from kankei_desktop.core.errors import KankeiError
    from kankei_desktop.core.services import Services

    def job(control: JobControl) -> object:
        return load_demo(Services(database), progress=control.report)

    outcome = run_with_progress(
        parent, _("Demo data"), _("Adding the demo organisations, people, clubs and sessions…"),
        job, cancellable=False,
        refusal=_("Stopping half-way would leave a half-filled file, so adding the demo data "
                  "cannot be cancelled. It takes only a few seconds."))
    if isinstance(outcome.error, KankeiError):
        QMessageBox.warning(parent, _("Demo data"), outcome.error.message)
        return False
    if outcome.error is not None:
        raise outcome.error
    return True
