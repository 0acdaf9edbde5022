"""人: the people page."""

from __future__ import annotations

import uuid

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget
from typing_extensions import override

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import person_name, person_reading
from kankei_desktop.core.vocabulary import PersonCategory, label
from kankei_desktop.ui.models.lazy_table import TableRow
from kankei_desktop.ui.pages.list_page import ListPage
from kankei_desktop.ui.pages.people.editor import PersonEditor
from kankei_desktop.ui.widgets.choices import VocabularyCombo


def _category_label(category: str) -> str:
    try:
        return label(PersonCategory(category))
    except ValueError:
        return category


class PeoplePage(ListPage):
    """People in 50音順 with category and club filters."""

    page_key = "people"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        self._services = services
        self._clubs_loaded = False
        super().__init__(
            _("People"),
            [_("Name"), _("Reading"), _("Category"), _("Affiliation"), _("E-mail")],
            PersonEditor(services),
            parent,
        )

    def _build_filters(self, row: QHBoxLayout) -> None:
        self.category_filter = VocabularyCombo(PersonCategory, _("All categories"))
        self.category_filter.setToolTip(_("Show only one category of people"))
        self.category_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        row.addWidget(self.category_filter)
        self.club_filter = QComboBox()
        self.club_filter.setToolTip(_("Show only the members of one club"))
        self.club_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.club_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        row.addWidget(self.club_filter)
        self.add_tag_filter(row, lambda: [(tag.id, tag.name)
                                          for tag in self._services.tags.find()])

    def refresh(self) -> None:
        """Run the query (the club choices are loaded once, and again when the page shows)."""
        if not self._clubs_loaded:
            self._fill_club_filter()
        super().refresh()

    @override
    def showEvent(self, event: QShowEvent) -> None:
        # Clubs may have been added on the clubs page: reload the choices, not per keystroke.
        self._fill_club_filter()
        super().showEvent(event)

    def _fill_club_filter(self) -> None:
        self._clubs_loaded = True
        current = self.club_filter.currentData()
        self.club_filter.blockSignals(True)
        self.club_filter.clear()
        self.club_filter.addItem(_("All clubs"), None)
        for club in self._services.clubs.find(limit=500):
            self.club_filter.addItem(club.name, club.id)
        index = self.club_filter.findData(current) if current is not None else 0
        self.club_filter.setCurrentIndex(max(index, 0))
        self.club_filter.blockSignals(False)

    def _club_id(self) -> uuid.UUID | None:
        value = self.club_filter.currentData()
        return value if isinstance(value, uuid.UUID) else None

    def _has_filters(self) -> bool:
        return bool(self.category_filter.code()) or self._club_id() is not None

    def _rows(self, search: str, deleted: bool, limit: int, offset: int) -> list[TableRow]:
        people = self._services.people.find(
            search, category=self.category_filter.code() or None, club_id=self._club_id(),
            tag_id=self.tag_id(), deleted=deleted, limit=limit, offset=offset)
        organizations = self._services.organizations.names(
            {row.organization_id for row in people if row.organization_id is not None})
        return [
            TableRow(row.id, (
                person_name(row), person_reading(row), _category_label(row.category),
                organizations.get(row.organization_id, "") if row.organization_id else "",
                row.email,
            ))
            for row in people
        ]

    def _count(self, search: str, deleted: bool) -> int:
        return self._services.people.count(
            search, category=self.category_filter.code() or None, club_id=self._club_id(),
            tag_id=self.tag_id(), deleted=deleted)

    def _delete(self, record_id: uuid.UUID) -> None:
        self._services.people.delete(record_id)

    def _restore(self, record_id: uuid.UUID) -> None:
        self._services.people.restore(record_id)

    def empty_text(self) -> str:
        return _("No people yet. Add one with [New], or import a participant list from Excel.")
