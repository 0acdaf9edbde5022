"""報告書: arrives with its own issue; a placeholder until then."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.ui.widgets.placeholder_page import PlaceholderPage


def reports_page(services: Services, parent: QWidget | None = None) -> PlaceholderPage:
    """Printable reports (placeholder)."""
    return PlaceholderPage(_("Reports"), _(
        "Printed reports (annual results report, attendance sheets, monthly schedules) come "
        "in a later version of Kankei Desktop. Until then, the command 'kankei stats' prints "
        "the figures of a fiscal year."), parent)
