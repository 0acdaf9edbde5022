"""マッチング: the matchings page (issue 17) — newest first, filtered by kind, status, tag."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QHBoxLayout, QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.formatting import format_day
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.matchings import MatchingView
from kankei_desktop.core.vocabulary import MatchingKind, MatchingStatus, label
from kankei_desktop.ui.models.lazy_table import TableRow
from kankei_desktop.ui.pages.list_page import ListPage
from kankei_desktop.ui.pages.matchings.editor import MatchingEditor
from kankei_desktop.ui.widgets.choices import VocabularyCombo


def kind_text(code: str) -> str:
    """The label of a matching kind (the code when unknown)."""
    return label(MatchingKind(code)) if code in MatchingKind._value2member_map_ else code


def status_text(code: str) -> str:
    """The label of a matching status (the code when unknown)."""
    return label(MatchingStatus(code)) if code in MatchingStatus._value2member_map_ else code


def matching_cells(view: MatchingView) -> tuple[str, ...]:
    """成立日, 種類, 相手, 受入先, 状態, クラブ, テーマ as the lists show them."""
    return (format_day(view.made_on, weekday=False) if view.made_on else "—",
            kind_text(view.kind),
            view.party, view.host, status_text(view.status), view.club, view.theme)


class MatchingsPage(ListPage):
    """Matchings, the latest 成立日 first (proposals without a date last)."""

    page_key = "matchings"
    sortable_columns = frozenset()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        self._services = services
        super().__init__(
            _("Matchings"),
            [_("Date made"), _("Matching kind"), _("Matched"), _("Host"), _("Status"),
             _("Club"), _("Theme")],
            MatchingEditor(services),
            parent,
        )
        self.search_box.setPlaceholderText(_("Search by person, organisation, host or theme "
                                             "(Ctrl+F)"))
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self.table.horizontalHeader().setToolTip(_("The latest matchings first"))
        for column, width in enumerate((120, 130, 200, 170, 80, 160)):
            self.table.setColumnWidth(column, width)
        self.splitter.setSizes([700, 420])

    def _build_filters(self, row: QHBoxLayout) -> None:
        self.kind_filter = VocabularyCombo(MatchingKind, _("All kinds"))
        self.kind_filter.setToolTip(_("Show only one kind of matching"))
        self.kind_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        row.addWidget(self.kind_filter)
        self.status_filter = VocabularyCombo(MatchingStatus, _("All statuses"))
        self.status_filter.setToolTip(_("Show only the matchings in one status"))
        self.status_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        row.addWidget(self.status_filter)
        self.add_tag_filter(row, lambda: [(tag.id, tag.name)
                                          for tag in self._services.tags.find()])

    def _has_filters(self) -> bool:
        return bool(self.kind_filter.code() or self.status_filter.code())

    def _filters(self) -> dict[str, object]:
        return {"kind": self.kind_filter.code() or None,
                "status": self.status_filter.code() or None, "tag_id": self.tag_id()}

    def _rows(self, search: str, deleted: bool, limit: int, offset: int) -> list[TableRow]:
        service = self._services.matchings
        rows = service.find(search, deleted=deleted, limit=limit, offset=offset,
                            **self._filters())  # type: ignore[arg-type]
        return [TableRow(view.id, matching_cells(view), view.note)
                for view in service.views(rows)]

    def _count(self, search: str, deleted: bool) -> int:
        return self._services.matchings.count(search, deleted=deleted,
                                              **self._filters())  # type: ignore[arg-type]

    def _delete(self, record_id: uuid.UUID) -> None:
        self._services.matchings.delete(record_id)

    def _restore(self, record_id: uuid.UUID) -> None:
        self._services.matchings.restore(record_id)

    def _label_of(self, record_id: uuid.UUID) -> str:
        row = self.model.row_of(record_id)
        if row < 0:
            return ""
        return " — ".join(str(self.model.index(row, column).data()) for column in (2, 3))

    def empty_text(self) -> str:
        return _("No matchings yet. Record one with [New] — a person or a company matched "
                 "with a host — or import your Excel list with File ▸ Import….")
