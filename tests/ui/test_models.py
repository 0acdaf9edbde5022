"""The lazy table model passes Qt's model tester and fetches in pages."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import QModelIndex

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.models.lazy_table import PAGE_SIZE, LazyTableModel, TableRow

pytestmark = pytest.mark.gui


def test_lazy_model_fetches_pages(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    rows = [TableRow(uuid.uuid4(), (f"name {i}", str(i))) for i in range(450)]
    model = LazyTableModel(["Name", "Number"])
    model.set_source(lambda limit, offset: rows[offset: offset + limit], lambda: len(rows))
    assert model.rowCount() == PAGE_SIZE
    assert model.total == 450
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert model.row_of(rows[449].id) == 449
    qtmodeltester.check(model)


def test_page_models(qtmodeltester, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    for index in range(5):
        services.people.create(PersonDraft(family_name=f"山田{index}"))
    for page in (window.organizations, window.people, window.clubs):
        page.refresh()
        qtmodeltester.check(page.model)
    assert window.people.model.rowCount() == 5
