"""クラブ: the clubs page."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QHBoxLayout, QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import ClubStage, label
from kankei_desktop.ui.models.lazy_table import TableRow
from kankei_desktop.ui.pages.clubs.editor import ClubEditor
from kankei_desktop.ui.pages.list_page import ListPage
from kankei_desktop.ui.widgets.choices import VocabularyCombo


def _stage_label(stage: str) -> str:
    try:
        return f"{list(ClubStage).index(ClubStage(stage)) + 1}. {label(ClubStage(stage))}"
    except ValueError:
        return stage


class ClubsPage(ListPage):
    """Clubs in 50音順 with a stage filter."""

    page_key = "clubs"
    sortable_columns = frozenset({0})

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        self._services = services
        super().__init__(
            _("Clubs"),
            [_("Club"), _("Host municipality"), _("Stage"), _("Theme")],
            ClubEditor(services),
            parent,
        )
        self.splitter.setSizes([520, 580])

    def _build_filters(self, row: QHBoxLayout) -> None:
        self.stage_filter = VocabularyCombo(ClubStage, _("All stages"))
        self.stage_filter.setToolTip(_("Show only the clubs at one stage"))
        self.stage_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        row.addWidget(self.stage_filter)
        self.add_tag_filter(row, lambda: [(tag.id, tag.name)
                                          for tag in self._services.tags.find()])

    def _has_filters(self) -> bool:
        return bool(self.stage_filter.code())

    def _rows(self, search: str, deleted: bool, limit: int, offset: int) -> list[TableRow]:
        clubs = self._services.clubs.find(
            search, stage=self.stage_filter.code() or None, tag_id=self.tag_id(),
            deleted=deleted, limit=limit, offset=offset)
        hosts = self._services.organizations.names(
            {row.host_municipality_id for row in clubs if row.host_municipality_id is not None})
        stages = self._services.clubs.current_stages({row.id for row in clubs})
        return [
            TableRow(row.id, (
                row.name,
                hosts.get(row.host_municipality_id, "") if row.host_municipality_id else "",
                _stage_label(stages.get(row.id, row.stage)), row.theme,
            ))
            for row in clubs
        ]

    def _count(self, search: str, deleted: bool) -> int:
        return self._services.clubs.count(
            search, stage=self.stage_filter.code() or None, tag_id=self.tag_id(),
            deleted=deleted)

    def _delete(self, record_id: uuid.UUID) -> None:
        self._services.clubs.delete(record_id)

    def _restore(self, record_id: uuid.UUID) -> None:
        self._services.clubs.restore(record_id)

    def empty_text(self) -> str:
        return _("No clubs yet. Create one with [New]: give it a name and a host municipality, "
                 "then add its members.")
