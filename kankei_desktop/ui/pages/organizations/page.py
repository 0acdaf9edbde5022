"""団体: the organisations page."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QHBoxLayout, QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import OrganizationKind, label
from kankei_desktop.ui.models.lazy_table import TableRow
from kankei_desktop.ui.pages.list_page import ListPage
from kankei_desktop.ui.pages.organizations.editor import OrganizationEditor
from kankei_desktop.ui.widgets.choices import VocabularyCombo


def _kind_label(kind: str) -> str:
    try:
        return label(OrganizationKind(kind))
    except ValueError:
        return kind


class OrganizationsPage(ListPage):
    """Organisations in 50音順 with a kind filter."""

    page_key = "organizations"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        self._services = services
        super().__init__(
            _("Organisations"),
            [_("Organisation name"), _("Reading"), _("Kind"), _("Municipality code"),
             _("Corporate number"), _("Phone")],
            OrganizationEditor(services),
            parent,
        )

    def _build_filters(self, row: QHBoxLayout) -> None:
        self.kind_filter = VocabularyCombo(OrganizationKind, _("All kinds"))
        self.kind_filter.setToolTip(_("Show only one kind of organisation"))
        self.kind_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        row.addWidget(self.kind_filter)

    def _has_filters(self) -> bool:
        return bool(self.kind_filter.code())

    def _rows(self, search: str, deleted: bool, limit: int, offset: int) -> list[TableRow]:
        rows = self._services.organizations.find(
            search, kind=self.kind_filter.code() or None, deleted=deleted, limit=limit,
            offset=offset)
        return [
            TableRow(row.id, (row.name, row.reading, _kind_label(row.kind), row.lgcode or "",
                              row.corporate_number or "", row.phone))
            for row in rows
        ]

    def _count(self, search: str, deleted: bool) -> int:
        return self._services.organizations.count(
            search, kind=self.kind_filter.code() or None, deleted=deleted)

    def _delete(self, record_id: uuid.UUID) -> None:
        self._services.organizations.delete(record_id)

    def _restore(self, record_id: uuid.UUID) -> None:
        self._services.organizations.restore(record_id)

    def empty_text(self) -> str:
        return _("No organisations yet. Add one with [New], or import them from Excel.")
