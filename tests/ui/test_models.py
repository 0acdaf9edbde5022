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


def _counting_source(size: int) -> tuple[list[TableRow], list[int]]:
    return [TableRow(uuid.uuid4(), (f"name {i}",)) for i in range(size)], []


@pytest.mark.parametrize("size", [0, 57, PAGE_SIZE, 2 * PAGE_SIZE, 2 * PAGE_SIZE + 1])
def test_lazy_model_counts_only_when_asked(size: int) -> None:
    """A new search costs one page query: the count runs only when the total is read."""
    rows, counted = _counting_source(size)

    def count() -> int:
        counted.append(1)
        return len(rows)

    model = LazyTableModel(["Name"])
    model.set_source(lambda limit, offset: rows[offset: offset + limit], count)
    assert counted == []
    assert model.rowCount() == min(size, PAGE_SIZE)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == size
    assert not model.canFetchMore(QModelIndex())
    assert model.total == size
    assert len(counted) <= (1 if size >= PAGE_SIZE else 0)


def test_lazy_model_counts_first_when_the_source_needs_it() -> None:
    rows, counted = _counting_source(300)

    def count() -> int:
        counted.append(1)
        return len(rows)

    model = LazyTableModel(["Name"])
    model.set_source(lambda limit, offset: rows[offset: offset + limit], count,
                     count_first=True)
    assert counted == [1]
    assert model.total == 300
    model.reload()
    assert counted == [1, 1]
