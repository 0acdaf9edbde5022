"""Search-as-you-type: a line edit that reports its text after a short pause."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

DEBOUNCE_MS = 150


class SearchBox(QLineEdit):
    """Emits :attr:`search_changed` ~150 ms after the last keystroke."""

    search_changed = Signal(str)
    """The user paused typing; the argument is the text to search for."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(220)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self.textChanged.connect(lambda _text: self._timer.start())

    def flush(self) -> None:
        """Emit now if a search is pending."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit()

    def _emit(self) -> None:
        self.search_changed.emit(self.text())
