"""Render every page of the window to ``DIR/<page>.png`` (used by ``--screenshots``), at a
chosen window size (small screens: 1280×720, 1366×768; 125 % with ``QT_SCALE_FACTOR=1.25``),
plus the first-start welcome window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.navigation import PAGES

SIZE = (1280, 800)


def render_screenshots(window: MainWindow, folder: Path,
                       size: tuple[int, int] = SIZE) -> list[Path]:
    """Show each page on a screen of ``size`` pixels and save it; return the files written.

    ``size`` is the screen's size in pixels: at 125 % (``QT_SCALE_FACTOR=1.25``) a 1366×768
    screen gives the window 1093×614 logical pixels, which is what it has to fit into.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ratio = window.devicePixelRatioF() or 1.0
    window.resize(round(size[0] / ratio), round(size[1] / ratio))
    window.show()
    written = []
    for index, (key, _label) in enumerate(PAGES):
        window.show_page(index)
        page = window.current_page()
        prepare = getattr(page, "prepare_screenshot", None)
        if prepare is not None:
            prepare()
        window.wait_until_idle()
        settle = getattr(page, "wait_until_idle", None)
        if settle is not None:
            settle()  # e.g. the report preview's first page is painted
        for _round in range(3):
            QApplication.processEvents()
        path = folder / f"{key}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
        # A page may offer more views (e.g. the calendar's week view and its editor).
        variants = getattr(window.current_page(), "screenshot_variants", None)
        for suffix, widget in variants() if variants is not None else []:
            for _round in range(3):
                QApplication.processEvents()
            target = window if widget is window.current_page() else widget
            path = folder / f"{key}-{suffix}.png"
            if not target.grab().save(str(path)):
                raise OSError(f"could not write {path}")
            written.append(path)
            if target is not window:
                target.close()
    written.append(_render_welcome(folder))
    return written


def _render_welcome(folder: Path) -> Path:
    """The first-start window (for the manual)."""
    from kankei_desktop.ui.welcome import WelcomeDialog

    dialog = WelcomeDialog()
    dialog.show()
    for _round in range(3):
        QApplication.processEvents()
    path = folder / "welcome.png"
    if not dialog.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    dialog.close()
    dialog.deleteLater()
    return path
