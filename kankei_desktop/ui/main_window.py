"""The main window: navigation on the left, one page at a time, the file in the status bar."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)
from typing_extensions import override

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import Database
from kankei_desktop.core.storage.failures import read_only_copy_message
from kankei_desktop.core.storage.locations import location_of
from kankei_desktop.ui.file_actions import file_filter, load_demo_data, open_or_explain, save_copy
from kankei_desktop.ui.help.manual import ManualWindow
from kankei_desktop.ui.icons import icon
from kankei_desktop.ui.navigation import PAGES, Navigation, page_shortcut
from kankei_desktop.ui.pages.calendar.editor import SessionEditor
from kankei_desktop.ui.pages.calendar.page import CalendarPage, calendar_page
from kankei_desktop.ui.pages.clubs.page import ClubsPage
from kankei_desktop.ui.pages.dashboard.page import DashboardPage
from kankei_desktop.ui.pages.list_page import ListPage
from kankei_desktop.ui.pages.matchings.page import MatchingsPage
from kankei_desktop.ui.pages.organizations.page import OrganizationsPage
from kankei_desktop.ui.pages.people.page import PeoplePage
from kankei_desktop.ui.pages.sync.page import sync_page
from kankei_desktop.ui.restore_dialog import restore_from_backup
from kankei_desktop.ui.settings import AppSettings
from kankei_desktop.ui.undo_actions import UndoActions
from kankei_desktop.ui.widgets.deferred_page import DeferredPage
from kankei_desktop.ui.widgets.progress_dialog import run_with_progress

#: How often the window looks for other users' changes to a shared database (ms).
WATCH_MS = 2000
if TYPE_CHECKING:
    from kankei_desktop.ui.pages.reports.page import ReportsPage


class MainWindow(QMainWindow):
    """Owns the open database; pages get only the services."""

    def __init__(self, database: Database, settings: AppSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.database = database
        self.services = Services(database)
        self.setWindowIcon(icon("app"))
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.navigation = Navigation()
        row.addWidget(self.navigation)
        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.file_label = QLabel()
        self.statusBar().addPermanentWidget(self.file_label)
        self._manual: ManualWindow | None = None
        self._build_menus()
        for index in range(len(PAGES)):
            keys = page_shortcut(index)
            if keys is None:
                continue
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda i=index: self.show_page(i))
        self.navigation.currentRowChanged.connect(self._on_page_chosen)
        self._build_pages()
        self._restore_window()
        self._watcher: Any = None
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_MS)
        self._watch_timer.timeout.connect(self._others_changed)
        self._watch()

    # -- pages ---------------------------------------------------------------------------

    def _build_pages(self) -> None:
        while (widget := self.stack.widget(0)) is not None:
            self.stack.removeWidget(widget)
            widget.deleteLater()
        services = self.services
        self.dashboard = DashboardPage(services)
        self.organizations = OrganizationsPage(services)
        self.people = PeoplePage(services)
        self.clubs = ClubsPage(services)
        self.matchings = MatchingsPage(services)
        self.calendar = calendar_page(services)
        # imported and built when first shown: the window paints without reportlab & co.
        self._reports = DeferredPage(lambda: _reports_page(services))
        surveys = DeferredPage(lambda: _surveys_page(services))
        self.pages: list[QWidget] = [
            self.dashboard, self.organizations, self.people, self.clubs, self.matchings,
            self.calendar, surveys, self._reports, sync_page(services),
            DeferredPage(lambda: _furusato_page(services)),
        ]
        for page in self.pages:
            self.stack.addWidget(page)
            if isinstance(page, ListPage):
                page.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
                page.restore_state(self.settings)
        self.undo_actions.attach(services)
        self.apply_date_style()
        name = self.database.label
        if self.database.shared:
            self.file_label.setText(_("Shared database: {name}").format(name=name))
            self.file_label.setToolTip(_("Changes by other users appear here by themselves."))
            self.setWindowTitle(_("{name} — Kankei Desktop").format(name=name))
            return
        if self.database.read_only:
            self.file_label.setText(_("File: {name} (read-only)").format(name=name))
            self.file_label.setToolTip(read_only_copy_message(self.database.path))
            self.setWindowTitle(_("{name} (read-only) — Kankei Desktop").format(name=name))
            return
        self.file_label.setText(_("File: {name}").format(name=name))
        self.file_label.setToolTip(str(self.database.path))
        self.setWindowTitle(_("{name} — Kankei Desktop").format(name=name))

    def apply_date_style(self) -> None:
        """Dates in 和暦 or 西暦 as chosen in 設定, or as the open file's reports write them."""
        from kankei_desktop.core.japan.formatting import set_date_style
        from kankei_desktop.reports.settings import load_cover

        chosen = self.settings.date_style
        try:
            set_date_style(chosen or load_cover(self.services).date_style)
        except KankeiError:
            set_date_style(chosen or "western")

    def show_page(self, index: int) -> None:
        """Switch to page ``index`` (0 = dashboard)."""
        if 0 <= index < len(self.pages):
            self.navigation.setCurrentRow(index)

    def page_key(self) -> str:
        """The key of the page shown (``dashboard`` …)."""
        return PAGES[self.stack.currentIndex()][0]

    def current_page(self) -> QWidget:
        """The page shown."""
        return self._page_at(self.stack.currentIndex())

    @property
    def reports(self) -> ReportsPage:
        """The Reports page (built now if it has not been shown yet)."""
        return cast("ReportsPage", self._reports.build())

    def _page_at(self, index: int) -> QWidget:
        page = self.pages[index]
        return page.build() if isinstance(page, DeferredPage) else page

    def _built_pages(self) -> list[QWidget]:
        """The pages built so far (one not yet shown has nothing to reload or save)."""
        built = [page.page if isinstance(page, DeferredPage) else page for page in self.pages]
        return [page for page in built if page is not None]

    def _on_page_chosen(self, index: int) -> None:
        if index < 0:
            return
        self.stack.setCurrentIndex(index)
        if not self.settings.date_style:
            self.apply_date_style()  # the reports' style may have changed on their page
        page = self._page_at(index)
        refresh = getattr(page, "refresh", None)
        if refresh is not None:
            refresh()

    def wait_until_idle(self, timeout_ms: int = 30_000) -> bool:
        """Let background work of the pages finish (screenshots, benchmarks, closing)."""
        idle = self.dashboard.wait_until_idle(timeout_ms)
        return QThreadPool.globalInstance().waitForDone(timeout_ms) and idle

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
        self._action(file_menu, _("&Restore from backup…"), lambda: restore_from_backup(self))
        file_menu.addSeparator()
        self._action(file_menu, _("&Print…"), self.print_current, "Ctrl+P")
        file_menu.addSeparator()
        self._action(file_menu, _("&Quit"), self.close, "Ctrl+Q")
        edit_menu = self.menuBar().addMenu(_("&Edit"))
        self.undo_actions = UndoActions(edit_menu, self, self._confirm_unsaved)
        self.undo_actions.done.connect(self._after_undo)
        edit_menu.addSeparator()
        self._action(edit_menu, _("&New record"), self._new_record, QKeySequence.StandardKey.New)
        self._action(edit_menu, _("&Find"), self._focus_search, QKeySequence.StandardKey.Find)
        edit_menu.addSeparator()
        self._action(edit_menu, _("&Settings…"), self.edit_settings, "Ctrl+,")
        help_menu = self.menuBar().addMenu(_("&Help"))
        self._action(help_menu, _("User &manual"), self.show_manual, "F1")
        self._action(help_menu, _("&Keyboard shortcuts"),
                     lambda: self.show_manual("keyboard"))
        help_menu.addSeparator()
        self._action(help_menu, _("&About Kankei Desktop"), self.show_about)

    def _action(self, menu: QMenu, text: str, slot: object,
                shortcut: QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

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
        page = self.current_page()
        if isinstance(page, ListPage):
            page.new_record()
        elif isinstance(page, CalendarPage):
            page.new_session(page.default_day())
        elif page is self.dashboard:
            self.new_session()
        else:
            self.statusBar().showMessage(_(
                "There is nothing to create on this page: Ctrl+N makes new organisations, "
                "people and clubs on their pages and new sessions on the Calendar and the "
                "Dashboard."), 8000)

    def new_session(self) -> SessionEditor:
        """A new session for today (Ctrl+N on the dashboard: record what took place)."""
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
        if self.stack.currentWidget() is not self._reports:
            self.show_page(self.pages.index(self._reports))
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
        from kankei_desktop.ui.help.manual import PAGE_CHAPTERS

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
            action.triggered.connect(lambda _checked=False, p=path: self.switch_to(location_of(p)))

    # -- files -----------------------------------------------------------------------------

    def new_file(self) -> None:
        """Create a database file somewhere and switch to it."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("New Kankei file"), str(Path.home() / "kankei.sqlite3"), file_filter())
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
            self, _("Open a Kankei file"), str(folder), file_filter())
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

    def _location(self) -> Path | str:
        """The open database as the recent list keeps it."""
        return str(getattr(self.database, "url", "")) if self.database.shared \
            else self.database.path

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
        self.database = database
        self.services = Services(database)
        self.settings.add_recent_file(self._location())
        index = max(self.stack.currentIndex(), 0)
        self._build_pages()
        self.show_page(index)
        self._on_page_chosen(index)
        self._watch()

    # -- other users' changes (a shared database) ------------------------------------------

    def _watch(self) -> None:
        watch = getattr(self.database, "watch", None)
        if watch is None:
            return
        self._watcher = watch()
        self._watcher.changed_tables()  # starts listening
        self._watch_timer.start()

    def _stop_watching(self) -> None:
        self._watch_timer.stop()
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None

    def _others_changed(self) -> None:
        """Someone changed records: the page shown reads them again (a form being edited
        is left alone; its save is checked against the new version)."""
        if self._watcher is None or not self._watcher.changed_tables():
            return
        page = self.current_page()
        editor = getattr(page, "editor", None)
        if editor is not None and editor.is_dirty():
            return
        refresh = getattr(page, "refresh", None)
        if refresh is not None:
            refresh()
            if editor is not None and editor.record_id is not None:
                editor.load(editor.record_id, read_only=editor.read_only)

    def import_records(self) -> None:
        """File ▸ Import…: spreadsheets and Zoom reports (kankei_desktop.ui.imports)."""
        from kankei_desktop.ui.imports.dialog import ImportDialog

        dialog = ImportDialog(self.services, self)
        dialog.exec()
        if dialog.changed:
            self._on_page_chosen(self.stack.currentIndex())

    def offer_demo(self) -> None:
        """Load the demo data into the (empty) open file."""
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
        suggestion = self.database.path.with_name(self.database.path.stem + "-copy.sqlite3")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save a copy"), str(suggestion), file_filter())
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

    # -- state -----------------------------------------------------------------------------

    def _restore_window(self) -> None:
        geometry = self.settings.bytes_value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        page = self.settings.last_page
        self.show_page(page if 0 <= page < len(PAGES) else 0)

    def _save_page_states(self) -> None:
        for page in self.pages:
            if isinstance(page, ListPage):
                page.save_state(self.settings)

    def _confirm_unsaved(self) -> bool:
        for page in self.pages:
            if isinstance(page, ListPage) and page.editor.is_dirty():
                self.stack.setCurrentWidget(page)
                if not page.editor.confirm_leave():
                    return False
        return True

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._confirm_unsaved():
            event.ignore()
            return
        self.settings.set_bytes_value("window/geometry", self.saveGeometry())
        self.settings.last_page = self.stack.currentIndex()
        self._save_page_states()
        self._stop_watching()
        self.settings.add_recent_file(self._location())
        self.settings.sync()
        super().closeEvent(event)


def _reports_page(services: Services) -> QWidget:
    from kankei_desktop.ui.pages.reports.page import reports_page

    return reports_page(services)


def _surveys_page(services: Services) -> QWidget:
    from kankei_desktop.ui.pages.surveys.page import surveys_page

    return surveys_page(services)


def _furusato_page(services: Services) -> QWidget:
    from kankei_desktop.ui.pages.furusato.page import furusato_page

    return furusato_page(services)
