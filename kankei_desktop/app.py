"""``kankei-desktop``: start the window (or render screenshots of it)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kankei_desktop.core.argparse_text import argparse_in_language
from kankei_desktop.core.i18n import _, set_language
from kankei_desktop.core.storage.locations import location_of
from kankei_desktop.core.storage.paths import apply_portable_mode

if TYPE_CHECKING:
    from types import TracebackType

    from kankei_desktop.ui.main_window import MainWindow
    from kankei_desktop.ui.settings import AppSettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kankei-desktop", description=_("Kankei Desktop: 関係人口 programme records"))
    parser.add_argument("--db", type=location_of,
                        help=_("the database file to open, or a shared database's address "
                               "postgresql://user@server/database"))
    parser.add_argument("--lang", choices=("ja", "en"), help=_("language of the window"))
    parser.add_argument("--screenshots", type=Path, metavar="DIR",
                        help=_("render every page to DIR/<page>.png and exit"))
    parser.add_argument("--screenshot-size", type=_window_size, default=(1280, 800),
                        metavar="WxH",
                        help=_("window size for --screenshots, e.g. 1366x768 (default "
                               "1280x800); QT_SCALE_FACTOR=1.25 renders at 125 %%"))
    parser.add_argument("file", nargs="?", type=Path,
                        help=_("a database file to open, or a .kankei bundle to import "
                               "(how Windows opens a double-clicked file)"))
    parser.add_argument("--self-test", action="store_true",
                        help=_("check this installation on a temporary file, print one line "
                               "and exit (0 = passed)"))
    return parser


def _window_size(text: str) -> tuple[int, int]:
    """``1366x768`` → (1366, 768)."""
    try:
        width, height = (int(part) for part in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a window size; write it like 1366x768.").format(text=text)
        ) from None
    if not (320 <= width <= 10000 and 240 <= height <= 10000):
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a window size; write it like 1366x768.").format(text=text))
    return width, height


def _language_argument(words: list[str]) -> str | None:
    """``--lang`` read before argparse, so that its help and errors speak that language."""
    for index, word in enumerate(words):
        if word == "--lang" and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
    return None


def _stored_language() -> str | None:
    """The language chosen in 設定, unless KANKEI_LANG (tests, support) overrides it."""
    if os.environ.get("KANKEI_LANG"):
        return None
    from kankei_desktop.ui.settings import AppSettings

    return AppSettings().language or None


def main(argv: Sequence[str] | None = None) -> int:
    """Start the application; return the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_argument(words) or _stored_language())
    with argparse_in_language():
        args = _parser().parse_args(words)
    if args.screenshots is not None and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    apply_portable_mode()  # a `portable` file beside the program: data and settings stay there
    language = set_language(args.lang or _stored_language())
    if args.self_test:
        from kankei_desktop.selftest import run_self_test

        return run_self_test()

    from PySide6.QtCore import QLibraryInfo, QLocale, QThreadPool, QTranslator
    from PySide6.QtWidgets import QApplication

    from kankei_desktop.core.storage.paths import default_database_path
    from kankei_desktop.ui.fonts import choose_ui_font
    from kankei_desktop.ui.settings import APPLICATION, ORGANIZATION, AppSettings

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "kankei"])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Kankei Desktop")
    translator = QTranslator(app)
    if language == "ja":
        QLocale.setDefault(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load("qtbase_ja", folder):
            app.installTranslator(translator)
    choose_ui_font(app)
    settings = AppSettings()

    want_demo = False
    bundle = args.file if args.file is not None and args.file.suffix == ".kankei" else None
    path: Path | str | None = args.db or (args.file if bundle is None else None)
    if path is None:
        last = settings.last_file
        if last and location_of(last) == last:  # a shared database: connect again
            path = last
        elif last and Path(last).exists():
            path = Path(last)
        elif default_database_path().exists() or args.screenshots is not None:
            path = default_database_path()
    if path is None:
        from kankei_desktop.ui.welcome import WelcomeDialog

        welcome = WelcomeDialog()
        if not welcome.exec() or welcome.path is None:
            return 0
        path, want_demo = welcome.path, welcome.with_demo
        bundle = welcome.bundle or bundle

    if args.screenshots is not None:
        return _screenshots(path, settings, args.screenshots, args.screenshot_size,
                            want_demo=want_demo)

    from kankei_desktop.ui.main_window import MainWindow

    # The window paints first (its navigation, the page reading 「読み込み中…」); the file is
    # opened and the pages built after that, on the event loop (issue 25).
    window = MainWindow(None, settings, path=path)
    _install_error_dialog(window)
    start = _Start(window, path, want_demo, bundle)
    window.open_after_first_paint(start.run)  # watching for the paint before it can happen
    window.show()
    try:
        code = app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone()  # background reads end before the file closes
        if window.is_open:
            window.database.close()
    return 1 if start.failed else code


class _Start:
    """Start-up after the first paint: open the file (the in-use question, errors as
    sentences, the upgrade), show it, then the demo data or the double-clicked bundle."""

    def __init__(self, window: MainWindow, path: Path | str, want_demo: bool,
                 bundle: Path | None) -> None:
        self.window, self.path, self.want_demo, self.bundle = window, path, want_demo, bundle
        self.failed = False

    def run(self) -> None:
        from PySide6.QtCore import QCoreApplication

        from kankei_desktop.ui.file_actions import load_demo_data, open_or_explain

        window = self.window
        database = open_or_explain(self.path, window, quitting=True)
        if database is None:  # said why (or the user chose to quit): the application ends
            self.failed = True
            window.hide()
            QCoreApplication.exit(1)
            return
        window.settings.add_recent_file(getattr(database, "url", "") or database.path)
        window.attach(database, eager=False)
        if self.want_demo:
            load_demo_data(database, window)
            window.show_page(0)
            window.dashboard.refresh()
        if self.bundle is not None:
            _offer_bundle(window, self.bundle)


def _screenshots(path: Path | str, settings: AppSettings, folder: Path, size: tuple[int, int], *,
                 want_demo: bool) -> int:
    """``--screenshots``: every page built over the open file, rendered, then closed."""
    from PySide6.QtCore import QThreadPool

    from kankei_desktop.core.errors import DatabaseOpenError
    from kankei_desktop.core.storage.database import open_database
    from kankei_desktop.ui.file_actions import load_demo_data
    from kankei_desktop.ui.main_window import MainWindow
    from kankei_desktop.ui.screenshots import render_screenshots

    try:
        database = open_database(path)
    except DatabaseOpenError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    settings.add_recent_file(getattr(database, "url", "") or database.path)
    window = MainWindow(database, settings)
    if want_demo:
        load_demo_data(database, window)
        window.show_page(0)
        window.dashboard.refresh()
    try:
        render_screenshots(window, folder, size)
    finally:
        window.hide()
        window.deleteLater()
        QThreadPool.globalInstance().waitForDone()
        database.close()
    return 0


def _offer_bundle(window: MainWindow, bundle: Path) -> None:
    """A double-clicked ``.kankei`` file: show the Sync page, ready to import it.

    The Sync page imports it when it offers ``import_bundle(path)``; otherwise the user is
    told where to do it.
    """
    from PySide6.QtWidgets import QMessageBox

    from kankei_desktop.ui.navigation import PAGES

    keys = [key for key, _label in PAGES]
    if "sync" in keys:
        window.show_page(keys.index("sync"))
    import_bundle = getattr(window.current_page(), "import_bundle", None)
    if callable(import_bundle):
        import_bundle(bundle)
        return
    QMessageBox.information(window, _("Import a bundle"),
                            _("To import {path}, use Import on the Sync page.").format(path=bundle))


def _install_error_dialog(parent: object) -> None:
    """Unexpected errors: written to the log, shown as a sentence (never a traceback)."""
    from PySide6.QtWidgets import QMessageBox, QWidget

    from kankei_desktop.core.storage.crashlog import write_crash_log

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log = write_crash_log(exc)
        QMessageBox.critical(
            parent if isinstance(parent, QWidget) else None,
            _("Unexpected error"),
            _("Something went wrong and the last action may not have finished. Your saved "
              "data is safe. Details were written to {path}; please send that file to "
              "whoever supports Kankei Desktop for you.").format(path=log))

    sys.excepthook = hook


if __name__ == "__main__":
    raise SystemExit(main())
