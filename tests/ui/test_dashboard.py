"""Dashboard cards show the service's figures; a card opens its drill-down."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint

from kankei_desktop.core.japan.fiscal import current_fiscal_year, fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.pages.dashboard.page import card_text

pytestmark = pytest.mark.gui


def _some_sessions(services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="テストクラブ"))
    people = [services.people.create(PersonDraft(family_name=f"人{i}", category=category))
              for i, category in enumerate(["company_staff", "student", "resident"])]
    start, _end = fiscal_year_range(current_fiscal_year())
    for index, (fmt, status) in enumerate(
            [("online", "held"), ("onsite", "held"), ("hybrid", "held"), ("online", "planned")]):
        meeting = services.meetings.create(MeetingDraft(
            club_id=club.id, title=f"第{index + 1}回", date=start.replace(day=10 + index),
            format=fmt, status=status))
        for person in people[: index + 1]:
            services.attendance.set(meeting.id, person.id)
    services.attendance.set(meeting.id, people[0].id, "absent")


def _refreshed(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    window.show_page(0)
    page = window.dashboard
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    assert page.wait_until_idle()
    return page


def _drill(qtbot, page, start):  # type: ignore[no-untyped-def]
    """Click something that drills down; return the dialog once it opened."""
    with qtbot.waitSignal(page.drilled, timeout=10_000) as blocker:
        task = start()
    assert task is not None
    dialog = blocker.args[0]
    qtbot.addWidget(dialog)
    return dialog


def _cell(table, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    return str(table.model().index(row, column).data())


def test_cards_equal_service_figures(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    _some_sessions(services)
    page = _refreshed(qtbot, window)
    fy = page.fiscal_year.fiscal_year
    assert fy == current_fiscal_year()
    total = services.figures.fiscal_year(fy).total
    assert total.meetings_held == 3
    for key, card in page.cards.items():
        assert card.value == card_text(total, key)
    assert page.cards["person_times"].value == "6"
    assert page.cards["unique_persons"].value == "3"
    assert sum(page.month_chart.values) == total.person_times


def test_card_drilldown_lists_people(qtbot, qtmodeltester, window: MainWindow,  # type: ignore[no-untyped-def]
                                     services: Services) -> None:
    _some_sessions(services)
    page = _refreshed(qtbot, window)
    dialog = _drill(qtbot, page, lambda: page.open_card("unique_persons"))
    assert dialog.people_table.model().rowCount() == 3
    assert dialog.sessions_table.model().rowCount() == 3
    qtmodeltester.check(dialog.people_model)
    qtmodeltester.check(dialog.sessions_model)
    times = sum(int(_cell(dialog.people_table, r, 3)) for r in range(3))
    total = services.figures.fiscal_year(page.fiscal_year.fiscal_year).total
    assert times == total.person_times
    newcomers = _drill(qtbot, page, lambda: page.open_card("first_time_persons"))
    assert newcomers.people_table.model().rowCount() == total.first_time_persons
    month = _drill(qtbot, page, lambda: page.open_month(0))
    assert month.sessions_table.model().rowCount() == 3
    students = _drill(qtbot, page, lambda: page.open_category(3))
    assert [_cell(students.people_table, 0, 0)] == ["人1"]
    for opened in (dialog, newcomers, month, students):
        opened.close()


def test_empty_dashboard_explains(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _refreshed(qtbot, window)
    assert window.dashboard.empty.isVisibleTo(window)
    assert window.dashboard.cards["online_rate"].value == "—"
    assert date.today()  # the upcoming list never fails on an empty file


def test_clubs_behind_targets_furthest_first_and_capped(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                        services: Services) -> None:
    """A past year (the whole year gone by): the clubs with the least done come first, and
    a long list ends in a count instead of hundreds of lines."""
    from kankei_desktop.core.services.clubs import KpiValues
    from kankei_desktop.ui.pages.dashboard.page import BEHIND_SHOWN

    fiscal_year = current_fiscal_year() - 2
    start, _end = fiscal_year_range(fiscal_year)
    person = services.people.create(PersonDraft(family_name="参加"))
    for index in range(BEHIND_SHOWN + 3):
        club = services.clubs.create(ClubDraft(name=f"クラブ{index:02d}"))
        services.clubs.set_targets(club.id, fiscal_year, KpiValues(meetings=20))
        for day in range(index):  # club NN held NN sessions of its 20
            meeting = services.meetings.create(MeetingDraft(
                club_id=club.id, title="会", date=start.replace(day=day + 1), status="held"))
            services.attendance.set(meeting.id, person.id)
    page = window.dashboard
    page.fiscal_year.set_fiscal_year(fiscal_year)
    _refreshed(qtbot, window)
    lines = page.behind.text().splitlines()
    assert len(lines) == BEHIND_SHOWN + 1
    assert lines[0].startswith("クラブ00:")
    assert lines[1].startswith("クラブ01:")
    assert "3" in lines[-1]
    assert "クラブ12" not in page.behind.text()


def test_drilldown_sorts_by_a_clicked_column(qtbot, qtmodeltester, window: MainWindow,  # type: ignore[no-untyped-def]
                                             services: Services) -> None:
    """Clicking 「参加回数」 orders the people by how often they came; the selection follows."""
    from PySide6.QtCore import Qt

    _some_sessions(services)
    page = _refreshed(qtbot, window)
    dialog = _drill(qtbot, page, lambda: page.open_card("person_times"))
    table = dialog.people_table
    given = [_cell(table, row, 0) for row in range(3)]
    assert given == ["人0", "人1", "人2"]  # 50音順 of the readings (here the names)
    table.selectRow(2)
    header = table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + QPoint(header.sectionViewportPosition(3) + 5, 5))
    order = header.sortIndicatorOrder()
    times = [int(_cell(table, row, 3)) for row in range(3)]
    assert times == sorted(times, reverse=order == Qt.SortOrder.DescendingOrder)
    assert header.sortIndicatorSection() == 3
    table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert [_cell(table, row, 0) for row in range(3)] == ["人0", "人1", "人2"]  # 3, 2, 1 times
    table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert [_cell(table, row, 0) for row in range(3)] == ["人2", "人1", "人0"]
    assert [index.row() for index in table.selectionModel().selectedRows()] == [0]  # 人2
    dialog.people_model.sort(-1)
    assert [_cell(table, row, 0) for row in range(3)] == given
    qtmodeltester.check(dialog.people_model)
    dialog.close()
