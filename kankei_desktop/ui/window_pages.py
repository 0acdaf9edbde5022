"""The pages of the main window, each imported and built only when needed (issue 25).

The main window imports this module when a file is open; nothing here is needed for its first
paint. :func:`make_page` imports a page's module and builds it over the open file's services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kankei_desktop.core.services import Services

#: Built with a window made over an open file, and after the first figures when the window
#: started before its file was open. The others (Surveys, Reports, ふるさと住民) bring
#: reportlab, openpyxl, pypdf and Qt's PDF modules: built when first shown.
EAGER = ("dashboard", "organizations", "people", "clubs", "matchings", "calendar", "sync")
#: The pages that are a ``ListPage`` (search, table, editor; their state kept in the settings).
LISTS = frozenset({"organizations", "people", "clubs", "matchings"})


def make_page(key: str, services: Services) -> QWidget:
    """The page ``key`` (a key of ``navigation.PAGES``) over ``services``."""
    if key == "dashboard":
        from kankei_desktop.ui.pages.dashboard.page import DashboardPage

        return DashboardPage(services)
    if key == "organizations":
        from kankei_desktop.ui.pages.organizations.page import OrganizationsPage

        return OrganizationsPage(services)
    if key == "people":
        from kankei_desktop.ui.pages.people.page import PeoplePage

        return PeoplePage(services)
    if key == "clubs":
        from kankei_desktop.ui.pages.clubs.page import ClubsPage

        return ClubsPage(services)
    if key == "matchings":
        from kankei_desktop.ui.pages.matchings.page import MatchingsPage

        return MatchingsPage(services)
    if key == "calendar":
        from kankei_desktop.ui.pages.calendar.page import calendar_page

        return calendar_page(services)
    if key == "surveys":
        from kankei_desktop.ui.pages.surveys.page import surveys_page

        return surveys_page(services)
    if key == "reports":
        from kankei_desktop.ui.pages.reports.page import reports_page

        return reports_page(services)
    if key == "sync":
        from kankei_desktop.ui.pages.sync.page import sync_page

        return sync_page(services)
    if key == "furusato":
        from kankei_desktop.ui.pages.furusato.page import furusato_page

        return furusato_page(services)
    raise KeyError(key)
