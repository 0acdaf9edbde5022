"""ヘルプ ▸ バージョン情報: version, the open data file, and the licences of the bundled fonts
and libraries."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.about import application_version, font_licence_files, libraries
from kankei_desktop.core.i18n import _


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the file manager (Explorer on Windows)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class AboutDialog(QDialog):
    """What is installed, where the data is, and under which licences."""

    def __init__(self, data_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About Kankei Desktop"))
        column = QVBoxLayout(self)
        title = QLabel(_("Kankei Desktop {version}").format(version=application_version()))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        column.addWidget(title)
        intro = QLabel(_("Records of 関係人口 programmes: organisations, people, clubs, sessions "
                         "and attendance, the programme's figures and the reports for "
                         "municipalities. Licence: MIT."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        file_row = QHBoxLayout()
        self.data_file = QLabel(_("Data file: {path}").format(path=data_file))
        self.data_file.setWordWrap(True)
        self.data_file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        file_row.addWidget(self.data_file, 1)
        open_button = QPushButton(_("Open folder"))
        open_button.setToolTip(_("Show the folder of the data file (and its backups)"))
        open_button.clicked.connect(lambda: open_folder(data_file.parent))
        file_row.addWidget(open_button)
        column.addLayout(file_row)
        column.addWidget(QLabel(_("Libraries")))
        found = libraries()
        self.libraries = QTableWidget(len(found), 3)
        self.libraries.setHorizontalHeaderLabels([_("Library"), _("Version"), _("Licence")])
        self.libraries.verticalHeader().setVisible(False)
        self.libraries.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, library in enumerate(found):
            for position, text in enumerate((library.name, library.version or "—",
                                             library.licence)):
                self.libraries.setItem(row, position, QTableWidgetItem(text))
        self.libraries.resizeColumnsToContents()
        self.libraries.horizontalHeader().setStretchLastSection(True)
        column.addWidget(self.libraries, 1)
        column.addWidget(QLabel(_("Fonts")))
        self.fonts = QPlainTextEdit()
        self.fonts.setReadOnly(True)
        texts = []
        for fonts, path in font_licence_files():
            texts.append(_("{fonts} — IPA Font License Agreement v1.0:").format(fonts=fonts))
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        self.fonts.setPlainText("\n".join(texts) or _("No fonts are bundled."))
        column.addWidget(self.fonts, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.resize(720, 640)
