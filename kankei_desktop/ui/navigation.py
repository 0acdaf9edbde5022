"""The left navigation list: one entry (icon + label) per page."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from kankei_desktop.core.i18n import N_, _
from kankei_desktop.ui.icons import icon

#: (key, English source label) in display order; keys name the screenshots.
PAGES: list[tuple[str, str]] = [
    ("dashboard", N_("Dashboard")),
    ("organizations", N_("Organisations")),
    ("people", N_("People")),
    ("clubs", N_("Clubs")),
    ("matchings", N_("Matchings")),
    ("calendar", N_("Calendar")),
    ("surveys", N_("Surveys")),  # surveys (issue 19)
    ("reports", N_("Reports")),
    ("sync", N_("Sync")),
    ("furusato", N_("Furusato residents")),  # ふるさと住民登録 (issue 20)
]


def page_shortcut(index: int) -> str | None:
    """Ctrl+1 … Ctrl+9 for the first nine pages, Ctrl+0 for the tenth, none after."""
    if index < 9:
        return f"Ctrl+{index + 1}"
    return "Ctrl+0" if index == 9 else None


class Navigation(QListWidget):
    """Icon + label per page; the current row is the current page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setIconSize(QSize(24, 24))
        self.setSpacing(2)
        for index, (key, source) in enumerate(PAGES):
            item = QListWidgetItem(icon(key, selected_ink="#ffffff"), _(source))
            keys = page_shortcut(index)
            item.setToolTip(_("{page} ({keys})").format(page=_(source), keys=keys)
                            if keys else _(source))
            self.addItem(item)
        width = max(self.sizeHintForColumn(0), 120) + 32
        self.setFixedWidth(width)
        self.setStyleSheet(
            "#navigation { background: #f3f6f9; border: none; border-right: 1px solid #d5dde5;"
            " outline: 0; }"
            "#navigation::item { padding: 8px 6px; }"
            "#navigation::item:selected { background: #2e6f9e; color: white; }")
