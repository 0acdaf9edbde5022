"""A page whose feature arrives in a later version."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kankei_desktop.ui.widgets.empty_state import EmptyState
from kankei_desktop.ui.widgets.page_header import PageHeader


class PlaceholderPage(QWidget):
    """Header plus a sentence saying the feature comes later."""

    def __init__(self, title: str, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.header = PageHeader(title)
        column.addWidget(self.header)
        self.message = EmptyState(message)
        column.addWidget(self.message, 1)

    def refresh(self) -> None:
        """Nothing to load."""
