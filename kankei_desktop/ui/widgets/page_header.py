"""The strip at the top of every page: title on the left, the page's actions on the right."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class PageHeader(QFrame):
    """Title plus the page's main controls (fiscal year, 新規 …)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageHeader")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(16, 10, 16, 10)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("pageTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title_label.setFont(font)
        self._layout.addWidget(self.title_label)
        self._layout.addStretch(1)

    def add_widget(self, widget: QWidget) -> None:
        """Add a control at the right end."""
        self._layout.addWidget(widget)

    def add_button(self, text: str, tooltip: str = "") -> QPushButton:
        """Add a push button at the right end and return it."""
        button = QPushButton(text)
        if tooltip:
            button.setToolTip(tooltip)
        self._layout.addWidget(button)
        return button
