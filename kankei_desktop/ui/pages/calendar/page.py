"""カレンダー: arrives with its own issue; a placeholder until then."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.ui.widgets.placeholder_page import PlaceholderPage


def calendar_page(services: Services, parent: QWidget | None = None) -> PlaceholderPage:
    """The session calendar (placeholder)."""
    return PlaceholderPage(_("Calendar"), _(
        "The session calendar comes in a later version of Kankei Desktop. Until then, the "
        "dashboard lists the next planned sessions."), parent)
