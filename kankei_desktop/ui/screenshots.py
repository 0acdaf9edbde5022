"""Render every page of the window to ``DIR/<page>.png`` (used by ``--screenshots``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.navigation import PAGES

SIZE = (1280, 800)


def render_screenshots(window: MainWindow, folder: Path,
                       size: tuple[int, int] | None = None) -> list[Path]:
    """Show each page at 1280×800 (or ``size``) and save it; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(*(size or SIZE))
    window.show()
    written = []
    for index, (key, _label) in enumerate(PAGES):
        window.show_page(index)
        prepare = getattr(window.current_page(), "prepare_screenshot", None)
        if prepare is not None:
            prepare()
        window.wait_until_idle()
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
    return written
