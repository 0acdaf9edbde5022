"""A page built the first time it is needed (issue 25: the window paints first).

The main window holds one of these in the place of each page. At start-up it paints before the
file is open: the slots have nothing to build yet (``make`` is None) and the one shown reads
the page's title and 「読み込み中…」. Once the file is open the window gives every page a new
slot that can build it: the page shown is built at once, the others on the event loop after
the first figures have arrived, and the Reports, Surveys and ふるさと住民 pages — which bring
reportlab, openpyxl, pypdf and Qt's PDF modules with them — when first shown or asked for.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from typing_extensions import override

from kankei_desktop.core.i18n import _
from kankei_desktop.ui.widgets.page_header import PageHeader


class LoadingPlaceholder(QWidget):
    """The page's title over 「読み込み中…」: what a page shows until it is built."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.header = PageHeader(title)
        column.addWidget(self.header)
        self.label = QLabel(_("Loading…"))
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("color: #5f6b76;")
        column.addWidget(self.label, 1)


class DeferredPage(QWidget):
    """Holds the place of the page ``make`` builds; :meth:`build` builds it once.

    ``make`` None: nothing can be built yet (no file is open); shown, the slot shows the
    page's ``title`` and 「読み込み中…」.
    """

    def __init__(self, make: Callable[[], QWidget] | None, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make = make
        self._title = title
        self.page: QWidget | None = None
        self.placeholder: LoadingPlaceholder | None = None
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)

    @property
    def can_build(self) -> bool:
        """Whether the page can be built (a file is open)."""
        return self._make is not None

    def reset(self, make: Callable[[], QWidget]) -> None:
        """Drop the page built (another file is open): ``make`` builds the next one."""
        if self.page is not None:
            self._column.removeWidget(self.page)
            self.page.hide()
            self.page.deleteLater()
            self.page = None
        self._make = make

    def build(self) -> QWidget:
        """The page, built now if it was not yet."""
        if self.page is None:
            if self._make is None:
                raise RuntimeError("the page cannot be built before a file is open")
            self.page = self._make()
            if self.placeholder is not None:
                self.placeholder.hide()
                self.placeholder.deleteLater()
                self.placeholder = None
            self._column.addWidget(self.page)
        return self.page

    @override
    def showEvent(self, event: QShowEvent) -> None:
        if self._make is not None:
            self.build()
        elif self.placeholder is None:
            self.placeholder = LoadingPlaceholder(self._title)
            self._column.addWidget(self.placeholder)
        super().showEvent(event)
