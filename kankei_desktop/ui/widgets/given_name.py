"""The 名 field with its 「名なし」 box: a person with a single name says so explicitly."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QWidget

from kankei_desktop.core.i18n import _


class GivenNameField(QWidget):
    """名 (a line edit) and 「名なし（単名）」; ticking the box empties and locks 名 and its
    reading."""

    def __init__(self, reading: QLineEdit | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        row.addWidget(self.edit, 1)
        self.single = QCheckBox(_("No given name"))
        self.single.setToolTip(_("Tick for a person with a single name (no 名); otherwise the "
                                 "given name is required"))
        row.addWidget(self.single)
        self.setFocusProxy(self.edit)
        self._reading = reading
        self.single.toggled.connect(self._on_toggled)

    def set_reading(self, reading: QLineEdit) -> None:
        """The 名 reading field, locked together with 名."""
        self._reading = reading
        self._on_toggled(self.single.isChecked())

    def _on_toggled(self, single: bool) -> None:
        for edit in (self.edit, self._reading):
            if edit is None:
                continue
            if single:
                edit.clear()
            edit.setEnabled(not single)
