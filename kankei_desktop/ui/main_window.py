"""The main window: the frame (``ui/window_frame.py``: navigation, pages, the open file) with
its menus and their commands.

Start-up (issue 25): the window can be made before its file is open (``MainWindow(None, …)``)
and paints first; see :mod:`kankei_desktop.ui.window_frame`. This module therefore imports
SQLAlchemy, the services and the pages only inside its methods.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QWidget
from typing_extensions import override

from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.locations import location_of
from kankei_desktop.ui.settings import AppSettings
from kankei_desktop.ui.undo_actions import UndoActions
from kankei_desktop.ui.window_frame import KEYS, WindowFrame

#: How often the window looks for other users' changes to a shared database (ms).
WATCH_MS = 2000
if TYPE_CHECKING:
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.storage.database import Database
    from kankei_desktop.ui.help.manual import ManualWindow
    from kankei_desktop.ui.pages.calendar.editor import SessionEditor


class MainWindow(WindowFrame):
    """The window of the application: owns the open database; pages get only the services.

    ``database`` None: the window shows ``path``'s name and 「読み込み中…」 until
    :meth:`attach` is given the open file (start-up: :meth:`open_after_first_paint`).
    """

    def __init__(self, database: Database | None, settings: AppSettings,
                 parent: QWidget | None = None, *, path: Path | str | None = None) -> None:
        super().__init__(settings, parent, path=path)
        self._manual: ManualWindow | None = None
        self._build_menus()
        self.undo_actions.update()  # nothing to undo before a file is open
        if database is not None:
            self.attach(database)

    @override
    def _attached(self, services: Services) -> None:
        self.undo_actions.attach(services)

    # -- menus -----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self._action(file_menu, _("&New file…"), self.new_file)
        self._action(file_menu, _("&Open…"), self.open_file, QKeySequence.StandardKey.Open)
        self._action(file_menu, _("Connect to a &shared database…"), self.connect_shared)
        self.recent_menu = file_menu.addMenu(_("Recent files"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, _("Save a &copy…"), self.save_a_copy)
        self._action(file_menu, _("Add &demo data"), self.offer_demo)
        self._action(file_menu, _("&Import…"), self.import_records)  # imports (issue 8)
        self._action(file_menu, _("&Restore from backup…"), self._restore_from_backup)
        file_menu.addSeparator()
        self._action(file_menu, _("&Print…"), self.print_current, "Ctrl+P")
        file_menu.addSeparator()
        self._action(file_menu, _("&Quit"), self.close, "Ctrl+Q", needs_file=False)
        edit_menu = self.menuBar().addMenu(_("&Edit"))
        self.undo_actions = UndoActions(edit_menu, self, self._confirm_unsaved)
        self.undo_actions.done.connect(self._after_undo)
        edit_menu.addSeparator()
        self._action(edit_menu, _("&New record"), self._new_record, QKeySequence.StandardKey.New)
        self._action(edit_menu, _("&Find"), self._focus_search, QKeySequence.StandardKey.Find)
        edit_menu.addSeparator()
        self._action(edit_menu, _("&Settings…"), self.edit_settings, "Ctrl+,")
        help_menu = self.menuBar().addMenu(_("&Help"))
        self._action(help_menu, _("User &manual"), self.show_manual, "F1", needs_file=False)
        self._action(help_menu, _("&Keyboard shortcuts"),
                     lambda: self.show_manual("keyboard"), needs_file=False)
        help_menu.addSeparator()
        self._action(help_menu, _("&About Kankei Desktop"), self.show_about)

    def _action(self, menu: QMenu, text: str, slot: Callable[[], object],
                shortcut: QKeySequence.StandardKey | str | None = None, *,
                needs_file: bool = True) -> QAction:
        """A menu command; one that ``needs_file``, chosen while the window starts, runs once
        the file is open."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(self._when_open(slot) if needs_file else slot)
        menu.addAction(action)
        return action

    def _restore_from_backup(self) -> None:
        from kankei_desktop.ui.restore_dialog import restore_from_backup

        restore_from_backup(self)

    def edit_settings(self) -> None:
        """Language and date style."""
        from kankei_desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.apply_date_style()
            self._on_page_chosen(self.stack.currentIndex())  # dates follow the new style
            if dialog.language_changed():
                self.statusBar().showMessage(
                    _("The new language takes effect when you start Kankei Desktop again."),
                    10000)

    def _after_undo(self, message: str) -> None:
        """Show the data again after an undo or redo (every page's editor reloads)."""
        for page in self._built_pages():
            reload = getattr(page, "reload_after_undo", None)
            if reload is not None:
                reload()
        self._on_page_chosen(self.stack.currentIndex())
        if message:
            self.statusBar().showMessage(message, 8000)

    def _new_record(self) -> None:
        """Ctrl+N on every page: a new record, or a new session where sessions are shown."""
        from kankei_desktop.ui.pages.calendar.page import CalendarPage
        from kankei_desktop.ui.pages.list_page import ListPage

        page = self.current_page()
        if isinstance(page, ListPage):
            page.new_record()
        elif isinstance(page, CalendarPage):
            page.new_session(page.default_day())
        elif self.page_key() == "dashboard":
            self.new_session()
        else:
            self.statusBar().showMessage(_(
                "There is nothing to create on this page: Ctrl+N makes new organisations, "
                "people and clubs on their pages and new sessions on the Calendar and the "
                "Dashboard."), 8000)

    def new_session(self) -> SessionEditor:
        """A new session for today (Ctrl+N on the dashboard: record what took place)."""
        from kankei_desktop.ui.pages.calendar.editor import SessionEditor

        editor = SessionEditor(self.services, day=date.today(), parent=self)
        editor.finished.connect(lambda _result: self._on_page_chosen(self.stack.currentIndex()))
        editor.open()
        return editor

    def _focus_search(self) -> None:
        page = self.current_page()
        focus = getattr(page, "focus_search", None)
        if callable(focus):
            focus()
        else:
            self.statusBar().showMessage(_(
                "This page has no search; the lists of organisations, people and clubs have "
                "one (Ctrl+F there)."), 8000)

    def print_current(self) -> None:
        """Ctrl+P: print the document shown on the Reports page (other pages go there)."""
        if self.page_key() != "reports":
            self.show_page(KEYS.index("reports"))
            self.statusBar().showMessage(_(
                "Printing is done from the Reports page: choose the document, check the "
                "preview and press Print (Ctrl+P)."), 10000)
            return
        if self.reports.built is None:
            self.statusBar().showMessage(_(
                "Choose a document first; it can be printed once its preview is shown."), 8000)
            return
        self.reports.print_pdf()

    def show_manual(self, chapter: str | None = None) -> ManualWindow:
        """F1: the manual at the chapter of the page shown (or ``chapter``)."""
        from kankei_desktop.ui.help.manual import PAGE_CHAPTERS, ManualWindow

        if not isinstance(chapter, str):
            chapter = PAGE_CHAPTERS.get(self.page_key(), "index")
        modal = QApplication.activeModalWidget()
        if self._manual is None or modal is not None:
            self._manual = ManualWindow(modal or self)
        self._manual.show_chapter(chapter)
        self._manual.show()
        self._manual.raise_()
        self._manual.activateWindow()
        return self._manual

    def show_about(self) -> None:
        """Help ▸ About: version, data file, licences."""
        from kankei_desktop.ui.help.about import AboutDialog

        AboutDialog(self.database.path, self).exec()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files
        if not files:
            self.recent_menu.addAction(_("(none)")).setEnabled(False)
        for path in files:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(self._when_open(partial(self.switch_to, location_of(path))))

    # -- files -----------------------------------------------------------------------------

    def new_file(self) -> None:
        """Create a database file somewhere and switch to it."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("New Kankei file"), str(Path.home() / "kankei.sqlite3"), _file_filter())
        if chosen:
            if Path(chosen).exists():
                QMessageBox.warning(self, _("New file"), _(
                    "The file {path} already exists. Open it with File ▸ Open, or choose "
                    "another name.").format(path=chosen))
                return
            self.switch_to(Path(chosen))

    def open_file(self) -> None:
        """Open another database file."""
        folder = Path.home() if self.database.shared else self.database.path.parent
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Open a Kankei file"), str(folder), _file_filter())
        if chosen:
            self.switch_to(Path(chosen), create=False)

    def connect_shared(self) -> None:
        """File ▸ Connect to a shared database…: the address, then the same as Open."""
        from kankei_desktop.ui.connect_dialog import ConnectDialog, connect_shared

        dialog = ConnectDialog(self)
        if dialog.exec() != ConnectDialog.DialogCode.Accepted:
            return
        url = dialog.url()
        if self._is_open(url) or not self._confirm_unsaved():
            return
        database = connect_shared(url, self, password=dialog.password.text(),
                                  remember=dialog.remember.isChecked())
        if database is not None:
            self._replace(database)

    def _is_open(self, location: Path | str) -> bool:
        if isinstance(location, str):
            return self.database.shared and getattr(self.database, "url", "") == location
        return not self.database.shared and location.expanduser().resolve() == self.database.path

    def switch_to(self, path: Path | str, *, create: bool = True) -> bool:
        """File ▸ New, Open and the recent files: show ``path`` (already shown: nothing to do)."""
        if self._is_open(path):
            return True
        return self.reopen(path, create=create)

    def _replace(self, database: Database) -> None:
        """Show ``database`` instead of the open one (unsaved edits already offered)."""
        self._save_page_states()
        QThreadPool.globalInstance().waitForDone()
        self._stop_watching()
        self.database.close()
        self._show_database(database)

    def reopen(self, path: Path | str, *, create: bool = False,
               while_closed: Callable[[], None] | None = None) -> bool:
        """Put ``path`` in place of the open file (or the open file again, read afresh).

        Every replacement of the open file goes through here: unsaved edits are offered first
        (refused: nothing changes), background reads end, the file closes, and the services
        and pages are rebuilt over the new one on the page that was shown. Another file is
        opened before the current one closes, so a file that cannot be used leaves the current
        one open. ``while_closed`` runs while no file is open (a restore replaces the file on
        disk then). When the open file cannot be opened again, the window says why and closes.
        Returns whether ``path`` is shown now.
        """
        from kankei_desktop.ui.file_actions import open_or_explain

        if not self._confirm_unsaved():
            return False
        database: Database | None = None
        if not self._is_open(path):
            database = open_or_explain(path, self, create=create)
            if database is None:
                return False
        self._save_page_states()
        QThreadPool.globalInstance().waitForDone()  # no job may still read the old file
        self._stop_watching()
        self.database.close()
        try:
            if while_closed is not None:
                while_closed()
        finally:
            if database is None:  # the same file: not a new opening, so no daily backup
                database = open_or_explain(path, self, create=create, daily=False)
            if database is None:
                self.close()
            else:
                self._show_database(database)
        return database is not None

    def _show_database(self, database: Database) -> None:
        self.attach(database)
        self.settings.add_recent_file(self._location())

    def import_records(self) -> None:
        """File ▸ Import…: spreadsheets and Zoom reports (kankei_desktop.ui.imports)."""
        from kankei_desktop.ui.imports.dialog import ImportDialog

        dialog = ImportDialog(self.services, self)
        dialog.exec()
        if dialog.changed:
            self._on_page_chosen(self.stack.currentIndex())

    def offer_demo(self) -> None:
        """Load the demo data into the (empty) open file."""
        from kankei_desktop.ui.file_actions import load_demo_data

        if load_demo_data(self.database, self):
            self._on_page_chosen(self.stack.currentIndex())
            self.statusBar().showMessage(_("The demo data was added."), 8000)

    def save_a_copy(self) -> None:
        """Write a consistent copy of the open file."""
        if self.database.shared:
            QMessageBox.information(self, _("Save a copy"), _(
                "A shared database is copied on its server (by its administrator). To take "
                "its records along, export a bundle on the Sync page."))
            return
        import sqlite3

        from kankei_desktop.ui.file_actions import save_copy
        from kankei_desktop.ui.widgets.progress_dialog import run_with_progress

        suggestion = self.database.path.with_name(self.database.path.stem + "-copy.sqlite3")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save a copy"), str(suggestion), _file_filter())
        if not chosen:
            return
        source, target = self.database.path, Path(chosen)
        outcome = run_with_progress(
            self, _("Save a copy"), _("Writing a copy of {name}…").format(name=source.name),
            lambda control: save_copy(source, target, control))
        if outcome.cancelled:
            self.statusBar().showMessage(_("The copy was cancelled; nothing was written."), 8000)
            return
        if isinstance(outcome.error, OSError | ValueError | sqlite3.Error):
            QMessageBox.warning(self, _("Save a copy"), _(
                "The copy could not be written: {reason}").format(reason=outcome.error))
            return
        if outcome.error is not None:
            raise outcome.error
        self.statusBar().showMessage(_("Saved a copy to {path}.").format(path=chosen), 8000)


def _file_filter() -> str:
    from kankei_desktop.ui.file_actions import file_filter

    return file_filter()
