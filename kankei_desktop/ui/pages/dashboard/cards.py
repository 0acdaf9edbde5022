"""Figure cards: a caption that says what is counted, a big number, the comparison with the
period before (前年度比), a tooltip definition."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget
from typing_extensions import override

from kankei_desktop.core.i18n import _


class FigureCard(QFrame):
    """Clickable: opens the drill-down of this figure."""

    clicked = Signal(str)
    """The card was clicked (its key)."""

    def __init__(self, key: str, caption: str, definition: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("figureCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(definition + "\n" + _("Click to see the sessions and people behind it."))
        self.setStyleSheet(
            "#figureCard { background: white; border: 1px solid #c8d3dc; border-radius: 6px; }"
            "#figureCard:hover { border-color: #2e6f9e; }")
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 10)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #445;")
        self.value_label = QLabel("—")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.value_label.setFont(font)
        self.value_label.setStyleSheet("color: #1f4e79;")
        self.comparison = QLabel()
        self.comparison.setWordWrap(True)
        self.comparison.setStyleSheet("color: #556;")
        column.addWidget(self.caption)
        column.addWidget(self.value_label)
        column.addWidget(self.comparison)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._definition = definition

    def set_value(self, text: str) -> None:
        """Show the number."""
        self.value_label.setText(text)

    def set_comparison(self, text: str, detail: str) -> None:
        """Show the change on the period before (``detail``: what it is compared with)."""
        self.comparison.setText(text)
        self.comparison.setToolTip(detail)
        self.setToolTip("\n".join(part for part in (
            self._definition, detail, _("Click to see the sessions and people behind it."))
            if part))

    @property
    def value(self) -> str:
        """The number shown."""
        return self.value_label.text()

    @override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.key)
        super().mouseReleaseEvent(event)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.key)
            return
        super().keyPressEvent(event)
