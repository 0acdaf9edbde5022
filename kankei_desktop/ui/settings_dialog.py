"""設定: the language of the window and how dates are written."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _, current_language
from kankei_desktop.core.japan.formatting import DateStyle, set_date_style
from kankei_desktop.ui.settings import AppSettings


class SettingsDialog(QDialog):
    """Edits the preferences kept in :class:`AppSettings`."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Settings"))
        column = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox()
        for code, text in (("", _("Same as the system")), ("ja", "日本語"), ("en", "English")):
            self.language.addItem(text, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        form.addRow(_("Language"), self.language)
        self.date_style = QComboBox()
        self.date_style.addItem(_("As in the reports (set on the Reports page)"), "")
        self.date_style.addItem(_("Western calendar (2021年12月16日)"), DateStyle.WESTERN.value)
        self.date_style.addItem(_("Japanese era (令和3年12月16日)"), DateStyle.WAREKI.value)
        self.date_style.setCurrentIndex(max(0, self.date_style.findData(settings.date_style)))
        form.addRow(_("Dates in Japanese"), self.date_style)
        column.addLayout(form)
        note = QLabel(_("A new language takes effect the next time Kankei Desktop starts."))
        note.setWordWrap(True)
        column.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    def accept(self) -> None:
        """Save; the date style applies at once, the language at the next start."""
        self.settings.language = str(self.language.currentData())
        self.settings.date_style = str(self.date_style.currentData())
        self.settings.sync()
        if self.settings.date_style:
            set_date_style(self.settings.date_style)
        super().accept()

    def language_changed(self) -> bool:
        """Whether the chosen language differs from the one the window speaks now."""
        chosen = str(self.language.currentData())
        return bool(chosen) and chosen != current_language()
