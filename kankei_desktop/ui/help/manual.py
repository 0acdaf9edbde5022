"""The offline 操作マニュアル: HTML chapters in resources/manual/<lang>, shown in a browser
window; F1 opens the chapter of the page shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QWidget,
)

from kankei_desktop.core.i18n import N_, _, current_language
from kankei_desktop.core.storage.paths import resources_dir

#: (file, English source of the chapter title) in reading order.
CHAPTERS: tuple[tuple[str, str], ...] = (
    ("index", N_("Contents")),
    ("setup", N_("Getting started")),
    ("sessions", N_("Sessions and attendance")),
    ("import", N_("Importing")),
    ("figures", N_("Dashboard and figures")),
    ("reports", N_("Reports")),
    ("sync", N_("Sync")),
    ("backup", N_("Backups")),
    ("furusato", N_("Furusato residents")),
    ("keyboard", N_("Keyboard, undo and history")),
    ("surveys", N_("Surveys")),
)
#: The chapter F1 opens on each page (navigation keys).
PAGE_CHAPTERS: dict[str, str] = {
    "dashboard": "figures", "organizations": "setup", "people": "setup", "clubs": "setup",
    "calendar": "sessions", "reports": "reports", "sync": "sync", "furusato": "furusato",
    "surveys": "surveys",
}


def manual_folder(language: str | None = None) -> Path:
    """resources/manual/<language> (Japanese when the language has no manual)."""
    folder = resources_dir() / "manual" / (language or current_language())
    return folder if (folder / "index.html").exists() else resources_dir() / "manual" / "ja"


def chapter_path(chapter: str, language: str | None = None) -> Path:
    """The HTML file of ``chapter`` (the contents for an unknown one)."""
    folder = manual_folder(language)
    path = folder / f"{chapter}.html"
    return path if path.exists() else folder / "index.html"


class ManualWindow(QWidget):
    """Chapters on the left, the chapter on the right (links and images work offline)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("User manual — Kankei Desktop"))
        self.setWindowFlag(Qt.WindowType.Window, True)
        row = QHBoxLayout(self)
        self.chapters = QListWidget()
        for key, title in CHAPTERS:
            item = QListWidgetItem(_(title))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.chapters.addItem(item)
        self.chapters.setFixedWidth(max(self.chapters.sizeHintForColumn(0) + 24, 160))
        row.addWidget(self.chapters)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        row.addWidget(self.browser, 1)
        self._following = False  # the list follows the browser (a link was clicked)
        self.chapters.setCurrentRow(0)
        self.chapters.currentRowChanged.connect(self._on_chapter_chosen)
        self.browser.sourceChanged.connect(self._on_source_changed)
        self.resize(980, 720)

    def show_chapter(self, chapter: str) -> None:
        """Open ``chapter`` (a file name without .html)."""
        self.browser.setSource(QUrl.fromLocalFile(str(chapter_path(chapter))))

    def chapter(self) -> str:
        """The chapter shown."""
        return Path(self.browser.source().toLocalFile()).stem

    def _on_chapter_chosen(self, row: int) -> None:
        if self._following:
            return
        if 0 <= row < len(CHAPTERS) and CHAPTERS[row][0] != self.chapter():
            self.show_chapter(CHAPTERS[row][0])

    def _on_source_changed(self, _url: QUrl) -> None:
        keys = [key for key, _title in CHAPTERS]
        chapter = self.chapter()
        if chapter in keys:
            self._following = True
            self.chapters.setCurrentRow(keys.index(chapter))
            self._following = False


def add_help_key(dialog: QWidget, chapter: str) -> QShortcut:
    """F1 in a dialog opens ``chapter`` (the window's F1 cannot reach a modal dialog)."""
    shortcut = QShortcut(QKeySequence("F1"), dialog)
    holder: list[ManualWindow] = []

    def show() -> None:
        if not holder:
            holder.append(ManualWindow(dialog))
        holder[0].show_chapter(chapter)
        holder[0].show()
        holder[0].raise_()

    shortcut.activated.connect(show)
    return shortcut
