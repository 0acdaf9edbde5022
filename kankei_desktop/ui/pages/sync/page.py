"""同期: arrives with its own issue; a placeholder until then."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.ui.widgets.placeholder_page import PlaceholderPage


def sync_page(services: Services, parent: QWidget | None = None) -> PlaceholderPage:
    """Exchanging data with other coordinators (placeholder)."""
    return PlaceholderPage(_("Sync"), _(
        "Exchanging data with other coordinators by bundle files comes in a later version of "
        "Kankei Desktop. Until then, File ▸ Save a copy keeps a safe copy of your file."), parent)
