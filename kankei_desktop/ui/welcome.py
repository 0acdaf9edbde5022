"""First start: create the file in the user data folder, or open an existing one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.paths import default_database_path
from kankei_desktop.ui.file_actions import file_filter


class WelcomeDialog(QDialog):
    """Accepted with :attr:`path` set (and :attr:`with_demo` for a new file)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to Kankei Desktop"))
        self.path: Path | None = None
        self.create_new = False
        column = QVBoxLayout(self)
        intro = QLabel(_(
            "Kankei Desktop keeps your organisations, people, clubs and sessions in one file "
            "on this PC. No server and no internet connection are needed.\n\n"
            "Where should your data live?"))
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.create_button = QPushButton(_("Create a new file in my data folder"))
        self.create_button.setDefault(True)
        self.create_button.setToolTip(str(default_database_path()))
        column.addWidget(self.create_button)
        self.demo = QCheckBox(_("Add demo data so that I can try things out first"))
        column.addWidget(self.demo)
        self.open_button = QPushButton(_("Open an existing file…"))
        column.addWidget(self.open_button)
        location = QLabel(_("The new file will be: {path}").format(path=default_database_path()))
        location.setWordWrap(True)
        location.setStyleSheet("color: #555;")
        column.addWidget(location)
        quit_button = QPushButton(_("Quit"))
        column.addWidget(quit_button)
        self.create_button.clicked.connect(self._create)
        self.open_button.clicked.connect(self._open)
        quit_button.clicked.connect(self.reject)
        self.setMinimumWidth(520)

    @property
    def with_demo(self) -> bool:
        """The user asked for demo data."""
        return self.create_new and self.demo.isChecked()

    def _create(self) -> None:
        self.path = default_database_path()
        self.create_new = True
        self.accept()

    def _open(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Open a Kankei file"), str(Path.home()), file_filter())
        if chosen:
            self.path = Path(chosen)
            self.accept()
