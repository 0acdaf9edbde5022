"""First start: three ways to begin, and the folder where the data will be kept.

Start with the demo data (to try things out), start with an empty file, or open or receive a
colleague's data — a Kankei file, or a bundle (.kankei) that is imported into a new file. The
data folder is shown as a folder the user can open, not as a wrapped raw path.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.paths import default_database_path
from kankei_desktop.ui.help.about import open_folder

BUNDLE_SUFFIX = ".kankei"


def _choice(title: str, detail: str) -> QCommandLinkButton:
    """A big choice with a title and a wrapped sentence under it."""
    return QCommandLinkButton(title, detail)


class WelcomeDialog(QDialog):
    """Accepted with :attr:`path` set; :attr:`with_demo` asks for the demo data, :attr:`bundle`
    names a colleague's bundle to import into the new file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to Kankei Desktop"))
        self.path: Path | None = None
        self.create_new = False
        self.bundle: Path | None = None
        self._demo = False
        column = QVBoxLayout(self)
        column.setSpacing(10)
        heading = QLabel(_("Welcome to Kankei Desktop"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        column.addWidget(heading)
        intro = QLabel(_(
            "Kankei Desktop keeps your organisations, people, clubs, sessions and attendance in "
            "one file on this PC. No server and no internet connection are needed. How do you "
            "want to begin?"))
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.demo_button = _choice(_("Start with the demo data"), _(
            "A made-up programme to try every page; not for real records."))
        self.empty_button = _choice(_("Start with an empty file"), _(
            "For your real records: add organisations, people and clubs, or import a list."))
        self.empty_button.setDefault(True)
        self.open_button = _choice(_("Open or receive a colleague's data…"), _(
            "A Kankei file (.sqlite3) handed over to you, or a bundle (.kankei) from a "
            "colleague."))
        for button in (self.demo_button, self.empty_button, self.open_button):
            column.addWidget(button)
        column.addSpacing(6)
        column.addWidget(QLabel(_("Your data will be kept in this folder:")))
        folder = default_database_path().parent
        folder_row = QHBoxLayout()
        self.folder_button = QPushButton()
        self.folder_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_DirIcon))
        self.folder_button.setToolTip(_("Open the folder: {path}").format(path=folder))
        self.folder_button.setFlat(True)
        self.folder_button.setStyleSheet("QPushButton { text-align: left; color: #1d5c8c; "
                                         "text-decoration: underline; }")
        self._folder = folder
        folder_row.addWidget(self.folder_button, 1)
        column.addLayout(folder_row)
        note = QLabel(_("Backups are kept beside it automatically. You can open any other "
                        "file later with File ▸ Open."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        column.addWidget(note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        quit_button = QPushButton(_("Quit"))
        buttons.addWidget(quit_button)
        column.addLayout(buttons)
        self.demo_button.clicked.connect(lambda: self._create(demo=True))
        self.empty_button.clicked.connect(lambda: self._create(demo=False))
        self.open_button.clicked.connect(self._open)
        self.folder_button.clicked.connect(self.open_data_folder)
        quit_button.clicked.connect(self.reject)
        self.setMinimumWidth(560)
        self._show_folder()

    @property
    def with_demo(self) -> bool:
        """The user asked for demo data."""
        return self.create_new and self._demo

    def open_data_folder(self) -> bool:
        """Show the data folder in the file manager (created first if needed)."""
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        return open_folder(self._folder)

    def _show_folder(self) -> None:
        metrics = self.folder_button.fontMetrics()
        self.folder_button.setText(metrics.elidedText(
            str(self._folder), Qt.TextElideMode.ElideMiddle, 480))

    def _create(self, *, demo: bool) -> None:
        self.path = default_database_path()
        self.create_new = True
        self._demo = demo
        self.accept()

    def _open(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Open or receive a colleague's data"), str(Path.home()),
            _("Kankei files and bundles (*.sqlite3 *.db *.kankei);;All files (*)"))
        if not chosen:
            return
        self.choose_file(Path(chosen))

    def choose_file(self, chosen: Path) -> None:
        """A colleague's file is opened; a bundle is imported into a new file."""
        if chosen.suffix.lower() == BUNDLE_SUFFIX:
            self.bundle = chosen
            self.path = default_database_path()
            self.create_new = True
        else:
            self.path = chosen
        self.accept()
