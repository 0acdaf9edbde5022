"""A page built the first time it is needed (issue 25: the window paints first).

The Reports and Surveys pages bring reportlab, openpyxl, pypdf and Qt's PDF modules with them —
about as long to import as the rest of the window together. The main window holds this empty
widget in their place; a page is imported and built when it is first shown or asked for.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget
from typing_extensions import override


class DeferredPage(QWidget):
    """Holds the place of the page ``make`` builds; :meth:`build` builds it once."""

    def __init__(self, make: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make = make
        self.page: QWidget | None = None
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        """The page, built now if it was not yet."""
        if self.page is None:
            self.page = self._make()
            self._column.addWidget(self.page)
        return self.page

    @override
    def showEvent(self, event: QShowEvent) -> None:
        self.build()
        super().showEvent(event)
