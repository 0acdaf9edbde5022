"""Opening, creating and copying database files, with errors as sentences."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from kankei_desktop.core.database import Database, open_database
from kankei_desktop.core.errors import DatabaseOpenError
from kankei_desktop.core.i18n import _

FILE_FILTER_SOURCE = "Kankei files (*.sqlite3 *.sqlite *.db);;All files (*)"


def file_filter() -> str:
    """The file-dialog filter, translated."""
    return _(FILE_FILTER_SOURCE)


def open_or_explain(path: Path, parent: QWidget | None = None, *,
                    create: bool = True) -> Database | None:
    """Open ``path``; on failure show the reason in a message box and return None."""
    try:
        return open_database(path, create=create)
    except DatabaseOpenError as exc:
        QMessageBox.critical(parent, _("Cannot open the file"), exc.message)
        return None
    except OSError as exc:
        QMessageBox.critical(parent, _("Cannot open the file"), _(
            "The file {path} could not be opened ({reason}). Check that the folder exists and "
            "that you may write to it.").format(path=path, reason=exc.strerror or exc))
        return None


def save_copy(source: Path, target: Path) -> None:
    """Copy the open file with SQLite's online backup (consistent even while in use)."""
    if target.resolve() == source.resolve():
        raise ValueError(_("Choose another name: the copy cannot replace the open file."))
    if target.exists():
        target.unlink()
    origin = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            origin.backup(destination)
        finally:
            destination.close()
    finally:
        origin.close()


def load_demo_data(database: Database, parent: QWidget | None = None) -> bool:
    """Fill an empty file with the demo data, if this version ships it."""
    try:
        from kankei_desktop.core.demo import load_demo
    except ImportError:
        QMessageBox.information(parent, _("Demo data"), _(
            "This version does not include demo data yet. The file was created empty."))
        return False
    from kankei_desktop.core.errors import KankeiError
    from kankei_desktop.core.services import Services

    try:
        load_demo(Services(database))
    except KankeiError as exc:
        QMessageBox.warning(parent, _("Demo data"), exc.message)
        return False
    return True
