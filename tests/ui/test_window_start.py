"""The window paints before its file is open, then opens it (issue 25, item 2).

At start-up the window shows its menus, navigation and the page to be shown reading
「読み込み中…」 before SQLAlchemy, the services or any page are loaded; the file is opened and
the pages built after that. What the user does meanwhile is not lost: a page chosen is the
page shown once the file is open, a menu command runs then.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import Database, open_database
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.settings import AppSettings
from kankei_desktop.ui.widgets.deferred_page import DeferredPage
from kankei_desktop.ui.window_pages import EAGER

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
#: Not needed for the first paint: the database, the services, the pages.
LATER = ("sqlalchemy", "alembic", "kankei_desktop.core.models", "kankei_desktop.core.services",
         "kankei_desktop.core.storage.database", "kankei_desktop.ui.pages",
         "kankei_desktop.ui.file_actions", "reportlab", "openpyxl")

SCRIPT = textwrap.dedent("""
    import json, os, sys
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget
    app = QApplication([sys.argv[0]])
    seen = {}

    def shown_texts(window):
        page = window.stack.currentWidget()
        return [label.text() for label in page.findChildren(QLabel) if label.isVisible()]

    class Watch(QObject):
        def eventFilter(self, watched, event):
            if event.type() != QEvent.Type.Paint or not isinstance(watched, QWidget):
                return False
            window = watched.window()
            if not isinstance(window, QMainWindow) or watched is window:
                return False
            if "first" not in seen:
                seen["first"] = {"modules": sorted(sys.modules), "texts": shown_texts(window),
                                 "open": window.is_open, "title": window.windowTitle()}
            page = window.stack.currentWidget().page
            if getattr(page, "figures", None) is not None:
                seen["figures"] = {"page": type(page).__name__,
                                   "value": page.cards["meetings_held"].value_label.text()}
                print(json.dumps(seen), flush=True)
                os._exit(0)
            return False

    watch = Watch()
    app.installEventFilter(watch)
    from kankei_desktop.app import main
    main(["--db", sys.argv[1]])
    os._exit(3)
""")


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    database = open_database(path)
    try:
        load_demo(Services(database))
    finally:
        database.close()
    return path


def test_the_window_paints_before_the_file_opens(tmp_path: Path, demo_file: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KANKEI_LANG="ja",
               KANKEI_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(demo_file)], capture_output=True,
                            text=True, cwd=ROOT, env=env, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    first = seen["first"]
    loaded = [name for name in first["modules"]
              if any(name == later or name.startswith(later + ".") for later in LATER)]
    assert loaded == []
    assert not first["open"]
    assert first["texts"] == ["ダッシュボード", "読み込み中…"]
    assert first["title"] == "demo.sqlite3 — Kankei Desktop"
    # then the file opens and the dashboard paints its figures
    assert seen["figures"]["page"] == "DashboardPage"
    assert seen["figures"]["value"].isdigit()


def _starting(qtbot, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    """A window as the application starts it, before its file is open."""
    window = MainWindow(None, AppSettings(), path=path)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def _open(window: MainWindow, path: Path, opened: list[Database]) -> None:
    opened.append(open_database(path))
    window.attach(opened[-1], eager=False)


def _close(qtbot, window: MainWindow, opened: list[Database]) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: all(window._slot(key).page is not None for key in EAGER),
                    timeout=20_000)
    window.wait_until_idle()
    window.close()
    for database in opened:
        database.close()


def test_a_page_and_a_command_chosen_while_starting_wait_for_the_file(  # type: ignore[no-untyped-def]
        qtbot, demo_file: Path, answers: list[str]) -> None:
    window = _starting(qtbot, demo_file)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert not window.is_open
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # 人
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # 検索
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing to undo
    assert window.page_key() == "people"
    assert isinstance(window.current_page(), DeferredPage)  # 「読み込み中…」
    opened: list[Database] = []
    _open(window, demo_file, opened)
    page = window.people
    assert window.current_page() is page
    assert page.search_box.hasFocus()  # Ctrl+F ran once the page was there
    assert answers == []
    _close(qtbot, window, opened)


def test_the_file_opens_after_the_first_paint(  # type: ignore[no-untyped-def]
        qtbot, demo_file: Path, answers: list[str]) -> None:
    window = _starting(qtbot, demo_file)
    opened: list[Database] = []
    window.open_after_first_paint(lambda: _open(window, demo_file, opened))
    assert not window.is_open
    qtbot.waitUntil(lambda: window.is_open, timeout=10_000)
    dashboard = window.dashboard
    assert window.current_page() is dashboard
    built = [key for key in EAGER if window._slot(key).page is not None]
    assert built == ["dashboard"] or dashboard.figures is not None  # the others wait for it
    _close(qtbot, window, opened)
    assert dashboard.figures is not None
    assert len(opened) == 1
    for key in ("surveys", "reports", "furusato"):  # when first shown
        assert window._slot(key).page is None


def test_closing_while_starting_opens_nothing(qtbot, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    window = _starting(qtbot, demo_file)
    opened: list[Database] = []
    window.open_after_first_paint(lambda: _open(window, demo_file, opened))
    window.show_page(3)
    window.close()
    qtbot.wait(700)  # past the start-up's fallback delay
    assert opened == []
    settings = AppSettings()
    assert settings.last_page == 3
    assert settings.last_file is None  # never opened: not a recent file


def test_a_file_in_use_asks_over_the_window_and_quitting_ends(  # type: ignore[no-untyped-def]
        qtbot, db_path: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kankei_desktop.app import main
    from kankei_desktop.core.storage.filelock import Mode
    from kankei_desktop.ui.in_use_dialog import InUseDialog

    holder = open_database(db_path, mode=Mode.WINDOW)
    seen: list[object] = []
    poll = QTimer()
    poll.setInterval(50)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, InUseDialog):
            poll.stop()
            parent = dialog.parentWidget()
            seen.append(parent.isVisible() if isinstance(parent, MainWindow) else parent)
            dialog.leave_button.click()

    poll.timeout.connect(answer)
    poll.start()
    try:
        assert main(["--db", str(db_path)]) == 1
    finally:
        poll.stop()
        holder.close()
    assert seen == [True]  # asked over the window, which had painted first
    assert AppSettings().last_file is None


def test_the_list_pages_are_the_ones_named_lists(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from kankei_desktop.ui.navigation import PAGES
    from kankei_desktop.ui.pages.list_page import ListPage
    from kankei_desktop.ui.window_pages import LISTS

    lists = {key for key, _label in PAGES if isinstance(window._slot(key).build(), ListPage)}
    assert lists == LISTS


def test_the_first_start_with_the_demo_data(qtbot, db_path: Path,  # type: ignore[no-untyped-def]
                                            answers: list[str]) -> None:
    from kankei_desktop.app import _Start

    window = _starting(qtbot, db_path)
    start = _Start(window, db_path, want_demo=True, bundle=None)
    window.open_after_first_paint(start.run)
    qtbot.waitUntil(lambda: window.is_open, timeout=10_000)
    dashboard = window.dashboard
    assert window.current_page() is dashboard
    _close(qtbot, window, [])
    assert not start.failed
    assert dashboard.figures is not None
    assert dashboard.figures.total.meetings_held > 0  # the demo's sessions, counted
    assert answers == []
    window.database.close()
