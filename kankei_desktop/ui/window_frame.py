"""The frame of the main window: navigation, one slot per page, the open file (issue 25).

The frame can be made before its file is open: it paints its navigation and the page to be
shown, reading 「読み込み中…」, with little more than Qt loaded.
:meth:`WindowFrame.open_after_first_paint` then opens the file and :meth:`WindowFrame.attach`
builds the page shown, the other pages following on the event loop
(``ui/widgets/deferred_page.py``). This module therefore imports SQLAlchemy, the services and
the pages only inside its methods. The menus and their commands are the main window's
(``ui/main_window.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QWidget
from typing_extensions import override

from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.locations import address_of
from kankei_desktop.ui.icons import icon
from kankei_desktop.ui.navigation import PAGES, Navigation, page_shortcut
from kankei_desktop.ui.settings import AppSettings
from kankei_desktop.ui.widgets.deferred_page import DeferredPage

if TYPE_CHECKING:
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.storage.database import Database
    from kankei_desktop.ui.pages.calendar.page import CalendarPage
    from kankei_desktop.ui.pages.clubs.page import ClubsPage
    from kankei_desktop.ui.pages.dashboard.page import DashboardPage
    from kankei_desktop.ui.pages.list_page import ListPage
    from kankei_desktop.ui.pages.matchings.page import MatchingsPage
    from kankei_desktop.ui.pages.organizations.page import OrganizationsPage
    from kankei_desktop.ui.pages.people.page import PeoplePage
    from kankei_desktop.ui.pages.reports.page import ReportsPage

KEYS = [key for key, _label in PAGES]
START_FALLBACK_MS = 500
"""A window that does not paint (started minimised) opens its file after this long."""
IDLE_RETRY_MS = 50
"""The pages not shown wait this long at a time while the dashboard computes."""
WATCH_MS = 2000
"""How often the window looks for other users' changes to a shared database."""


class WindowFrame(QMainWindow):
    """Navigation, page slots and the open file; pages get only the services."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None, *,
                 path: Path | str | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._database: Database | None = None
        self._services: Services | None = None
        self._waiting: list[Callable[[], object]] = []
        self._start_job: Callable[[], object] | None = None
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
        for index in range(len(PAGES)):
            keys = page_shortcut(index)
            if keys is None:
                continue
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda i=index: self.show_page(i))
        #: One slot per page (``PAGES`` order); a slot builds its page when needed.
        self.pages = [DeferredPage(None, _(label)) for _key, label in PAGES]
        for slot in self.pages:
            self.stack.addWidget(slot)
        self._start_timer = QTimer(self)
        self._start_timer.setObjectName("windowStart")
        self._start_timer.setSingleShot(True)
        self._start_timer.timeout.connect(self.run_start)
        self._idle_timer = QTimer(self)
        self._idle_timer.setObjectName("windowIdlePages")
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self._build_next_page)
        self.navigation.currentRowChanged.connect(self._on_page_chosen)
        self._watcher: Any = None
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_MS)
        self._watch_timer.timeout.connect(self._others_changed)
        if isinstance(path, str):
            self._show_shared_name(address_of(path).label)
        elif path is not None:
            self._show_file_name(path)
        self._restore_window()

    def _attached(self, services: Services) -> None:
        """A hook: ``services`` are the open file's now (the pages are not built yet)."""

    # -- the open file ---------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Whether a file is open (False while the window starts)."""
        return self._database is not None

    @property
    def database(self) -> Database:
        """The open file."""
        if self._database is None:
            raise RuntimeError("no file is open yet")
        return self._database

    @property
    def services(self) -> Services:
        """The services over the open file."""
        if self._services is None:
            raise RuntimeError("no file is open yet")
        return self._services

    def attach(self, database: Database, *, eager: bool = True) -> None:
        """Show ``database``: new services, and pages over them on the page shown.

        ``eager``: every page but the three heavy ones is built now (a window made over an
        open file, a file opened from the menus). Otherwise (start-up) the page shown is
        built now and the others one at a time on the event loop once the dashboard's figures
        are in; any page is built at once when it is shown or asked for. Menu commands
        chosen before a file was open run now.
        """
        from kankei_desktop.core.services import Services
        from kankei_desktop.ui.window_pages import EAGER

        self._database = database
        self._services = services = Services(database)
        for key, slot in zip(KEYS, self.pages, strict=True):
            slot.reset(partial(self._make_page, key, services))
        self._attached(services)
        self.apply_date_style()
        if database.shared:
            self._show_shared_name(database.label)
        else:
            self._show_file_name(database.path, read_only=database.read_only)
        self._watch()
        if eager:
            for key in EAGER:
                self._slot(key).build()
        self._on_page_chosen(self.stack.currentIndex())
        if not eager:
            self._idle_timer.start(0)
        waiting, self._waiting = self._waiting, []
        for job in waiting:
            job()

    def open_after_first_paint(self, job: Callable[[], object]) -> None:
        """Run ``job`` (start-up: open the file, then :meth:`attach`) once the window has
        painted, or after :data:`START_FALLBACK_MS` when it does not paint (minimised)."""
        self._start_job = job
        self.navigation.viewport().installEventFilter(self)
        self._start_timer.start(START_FALLBACK_MS)

    def run_start(self) -> None:
        """Run the start-up job now if it has not run yet."""
        job, self._start_job = self._start_job, None
        self._start_timer.stop()
        if job is not None:
            job()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.navigation.viewport():
            watched.removeEventFilter(self)
            if self._start_job is not None:
                self._start_timer.start(0)  # after this paint has reached the screen
        return super().eventFilter(watched, event)

    def _location(self) -> Path | str:
        """The open database as the recent list keeps it (a shared one by its address)."""
        return str(getattr(self.database, "url", "")) if self.database.shared \
            else self.database.path

    def _show_shared_name(self, name: str) -> None:
        self.file_label.setText(_("Shared database: {name}").format(name=name))
        self.file_label.setToolTip(_("Changes by other users appear here by themselves."))
        self.setWindowTitle(_("{name} — Kankei Desktop").format(name=name))

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

    def _show_file_name(self, path: Path, *, read_only: bool = False) -> None:
        name = path.name
        if read_only:
            from kankei_desktop.core.storage.failures import read_only_copy_message

            self.file_label.setText(_("File: {name} (read-only)").format(name=name))
            self.file_label.setToolTip(read_only_copy_message(path))
            self.setWindowTitle(_("{name} (read-only) — Kankei Desktop").format(name=name))
            return
        self.file_label.setText(_("File: {name}").format(name=name))
        self.file_label.setToolTip(str(path))
        self.setWindowTitle(_("{name} — Kankei Desktop").format(name=name))

    def _when_open(self, job: Callable[[], object]) -> Callable[[], None]:
        """``job`` as a menu command: run now, or as soon as the file is open."""

        def run() -> None:
            if self.is_open:
                job()
            else:
                self._waiting.append(job)

        return run

    # -- pages ---------------------------------------------------------------------------

    def _make_page(self, key: str, services: Services) -> QWidget:
        from kankei_desktop.ui.window_pages import LISTS, make_page

        page = make_page(key, services)
        if key in LISTS:  # the dashboard is built without the lists' modules
            from kankei_desktop.ui.pages.list_page import ListPage

            assert isinstance(page, ListPage)
            page.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
            page.restore_state(self.settings)
        return page

    def _build_next_page(self) -> None:
        """Start-up: build one more page not built yet, once the dashboard is idle."""
        from kankei_desktop.ui.window_pages import EAGER

        if getattr(self._slot("dashboard").page, "busy", False):
            self._idle_timer.start(IDLE_RETRY_MS)
            return
        for key in EAGER:
            slot = self._slot(key)
            if slot.page is None and slot.can_build:
                slot.build()
                self._idle_timer.start(0)
                return

    def _slot(self, key: str) -> DeferredPage:
        return self.pages[KEYS.index(key)]

    def _built(self, key: str) -> QWidget:
        """The page ``key``, built now if it was not yet (a file must be open)."""
        if not self.is_open:
            raise RuntimeError("no file is open yet")
        return self._slot(key).build()

    @property
    def dashboard(self) -> DashboardPage:
        """The dashboard page."""
        return cast("DashboardPage", self._built("dashboard"))

    @property
    def organizations(self) -> OrganizationsPage:
        """The organisations page."""
        return cast("OrganizationsPage", self._built("organizations"))

    @property
    def people(self) -> PeoplePage:
        """The people page."""
        return cast("PeoplePage", self._built("people"))

    @property
    def clubs(self) -> ClubsPage:
        """The clubs page."""
        return cast("ClubsPage", self._built("clubs"))

    @property
    def matchings(self) -> MatchingsPage:
        """The matchings page."""
        return cast("MatchingsPage", self._built("matchings"))

    @property
    def calendar(self) -> CalendarPage:
        """The calendar page."""
        return cast("CalendarPage", self._built("calendar"))

    @property
    def reports(self) -> ReportsPage:
        """The Reports page (built now if it has not been shown yet)."""
        return cast("ReportsPage", self._built("reports"))

    def apply_date_style(self) -> None:
        """Dates in 和暦 or 西暦 as chosen in 設定, or as the open file's reports write them."""
        from kankei_desktop.core.errors import KankeiError
        from kankei_desktop.core.japan.formatting import set_date_style
        from kankei_desktop.reports.settings import load_cover

        chosen = self.settings.date_style
        try:
            set_date_style(chosen or load_cover(self.services).date_style)
        except KankeiError:
            set_date_style(chosen or "western")

    def show_page(self, index: int) -> None:
        """Switch to page ``index`` (0 = dashboard); before the file is open, the page is
        shown once it is built."""
        if 0 <= index < len(self.pages):
            self.navigation.setCurrentRow(index)

    def page_key(self) -> str:
        """The key of the page shown (``dashboard`` …)."""
        return PAGES[self.stack.currentIndex()][0]

    def current_page(self) -> QWidget:
        """The page shown (its 「読み込み中…」 slot while no file is open)."""
        return self._page_at(self.stack.currentIndex())

    def _page_at(self, index: int) -> QWidget:
        slot = self.pages[index]
        return slot.build() if slot.can_build else slot

    def _built_pages(self) -> list[QWidget]:
        """The pages built so far (one not yet shown has nothing to reload or save)."""
        return [slot.page for slot in self.pages if slot.page is not None]

    def _on_page_chosen(self, index: int) -> None:
        if index < 0:
            return
        self.stack.setCurrentIndex(index)
        if not self.is_open:
            return  # the page is built and shown when the file is open
        if not self.settings.date_style:
            self.apply_date_style()  # the reports' style may have changed on their page
        page = self._page_at(index)
        refresh = getattr(page, "refresh", None)
        if refresh is not None:
            refresh()

    def wait_until_idle(self, timeout_ms: int = 30_000) -> bool:
        """Let background work of the pages finish (screenshots, benchmarks, closing); a
        start-up opening still waiting for the first paint runs now."""
        self.run_start()
        dashboard = self._slot("dashboard").page
        wait = getattr(dashboard, "wait_until_idle", None)
        idle = wait(timeout_ms) if wait is not None else True
        return QThreadPool.globalInstance().waitForDone(timeout_ms) and idle

    # -- state -----------------------------------------------------------------------------

    def _restore_window(self) -> None:
        geometry = self.settings.bytes_value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        page = self.settings.last_page
        self.show_page(page if 0 <= page < len(PAGES) else 0)

    def _list_pages(self) -> list[tuple[DeferredPage, ListPage]]:
        """The organisation, people and club pages built so far, with their slots."""
        if all(slot.page is None for slot in self.pages):
            return []  # closed while starting: nothing to import for
        from kankei_desktop.ui.pages.list_page import ListPage

        return [(slot, slot.page) for slot in self.pages if isinstance(slot.page, ListPage)]

    def _save_page_states(self) -> None:
        for _slot, page in self._list_pages():
            page.save_state(self.settings)

    def _confirm_unsaved(self) -> bool:
        for slot, page in self._list_pages():
            if page.editor.is_dirty():
                self.stack.setCurrentWidget(slot)
                if not page.editor.confirm_leave():
                    return False
        return True

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._confirm_unsaved():
            event.ignore()
            return
        self._start_job = None  # closed while starting: the file is not opened any more
        self._start_timer.stop()
        self._idle_timer.stop()
        self.settings.set_bytes_value("window/geometry", self.saveGeometry())
        self.settings.last_page = self.stack.currentIndex()
        self._save_page_states()
        self._stop_watching()
        if self._database is not None:
            self.settings.add_recent_file(self._location())
        self.settings.sync()
        super().closeEvent(event)
