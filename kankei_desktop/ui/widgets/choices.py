"""Combo boxes over the closed vocabularies (codes stored, labels shown)."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import QComboBox, QWidget

from kankei_desktop.core.vocabulary import choices


class VocabularyCombo(QComboBox):
    """The labels of a vocabulary; :meth:`code` is the chosen code ("" for "all")."""

    def __init__(
        self, vocabulary: type[StrEnum], all_label: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if all_label is not None:
            self.addItem(all_label, "")
        for code, text in choices(vocabulary):
            self.addItem(text, code)

    def code(self) -> str:
        """The selected code ("" = all)."""
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        """Select ``code``."""
        index = self.findData(code)
        self.setCurrentIndex(max(index, 0))
