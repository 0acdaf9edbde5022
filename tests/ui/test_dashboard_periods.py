"""The dashboard for several 年度, any dates and a prefecture: cards, charts, 前年度比 and the
drill-down follow the chosen period and scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.figures.scope import FigureFilter
from kankei_desktop.core.services import Services
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.pages.dashboard.figures_text import card_text
from kankei_desktop.ui.widgets.period_chooser import DAYS, YEARS

pytestmark = pytest.mark.gui


@pytest.fixture
def demo_window(qtbot: Any, window: MainWindow, services: Services) -> MainWindow:
    load_demo(services)
    window.show_page(0)
    page = window.dashboard
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.refresh()
    assert page.wait_until_idle()
    return window


def _show(qtbot: Any, window: MainWindow, period: Period,
          figure_filter: FigureFilter | None = None) -> None:
    page = window.dashboard
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.show_period(period, figure_filter)
    assert page.wait_until_idle()


def _drill(qtbot: Any, page: Any, start: Any) -> Any:
    with qtbot.waitSignal(page.drilled, timeout=20_000) as blocker:
        assert start() is not None
    dialog = blocker.args[0]
    qtbot.addWidget(dialog)
    return dialog


def test_several_fiscal_years(qtbot: Any, demo_window: MainWindow, services: Services) -> None:
    page = demo_window.dashboard
    period = Period.fiscal_years(2021, 2023)
    _show(qtbot, demo_window, period)
    assert page.period_chooser.current_mode == YEARS
    figures = services.figures.period(period.start, period.end)
    for key, card in page.cards.items():
        assert card.value == card_text(figures.total, key), key
    earlier = Period.fiscal_years(2018, 2020)
    before = services.figures.period(earlier.start, earlier.end)
    change = (figures.total.person_times - before.total.person_times) / (
        before.total.person_times) * 100
    assert page.cards["person_times"].comparison.text() == f"前3年度比 {change:+.1f}%"
    assert "平成30年度〜令和2年度" in page.cards["person_times"].comparison.toolTip()
    # three years: one bar per 年度, unique persons counted once over them
    assert page.month_chart.labels == ["令和3年度", "令和4年度", "令和5年度"]
    assert page.month_chart.values == [
        cell.person_times for cell in figures.by_fiscal_year.values()]
    dialog = _drill(qtbot, page, lambda: page.open_card("unique_persons"))
    assert dialog.people_model.rowCount() == figures.total.unique_persons
    year = _drill(qtbot, page, lambda: page.open_month(1))  # 令和4年度
    assert year.sessions_model.rowCount() == figures.by_fiscal_year[2022].meetings_held
    assert "年度を1つ選んで" in page.behind.text()
    for opened in (dialog, year):
        opened.close()


def test_any_dates(qtbot: Any, demo_window: MainWindow, services: Services) -> None:
    page = demo_window.dashboard
    period = Period(date(2021, 6, 1), date(2021, 9, 30))
    _show(qtbot, demo_window, period)
    assert page.period_chooser.current_mode == DAYS
    assert page.period == period
    figures = services.figures.period(period.start, period.end)
    assert page.cards["meetings_held"].value == card_text(figures.total, "meetings_held")
    assert len(page.month_chart.values) == 4
    assert page.cards["meetings_held"].comparison.text().startswith("前期間比")
    month = _drill(qtbot, page, lambda: page.open_month(0))
    assert month.sessions_model.rowCount() == figures.by_month[(2021, 6)].meetings_held
    month.close()


def test_a_prefecture_and_its_organisations(qtbot: Any, demo_window: MainWindow,
                                            services: Services) -> None:
    page = demo_window.dashboard
    offered = [page.scope.itemText(index) for index in range(page.scope.count())]
    assert "岩手県（全域）" in offered
    assert any("一関市" in text for text in offered)
    iwate = FigureFilter(prefecture="03")
    _show(qtbot, demo_window, Period.fiscal_year(2019), iwate)
    assert page.scope.figure_filter() == iwate
    figures = services.figures.fiscal_year(2019, iwate)
    assert figures.total.meetings_held == 10  # 岩手県's own 6 and 一関市's and 釜石市's
    assert page.cards["meetings_held"].value == "10"
    assert page.cards["organizations"].value == str(figures.organizations_attending)
    people = _drill(qtbot, page, lambda: page.open_card("person_times"))
    assert people.sessions_model.rowCount() == 10
    assert sum(int(people.people_model.index(row, 3).data())
               for row in range(people.people_model.rowCount())) == figures.total.person_times
    organisations = _drill(qtbot, page, lambda: page.open_card("organizations"))
    assert organisations.organisations_model is not None
    assert organisations.organisations_model.rowCount() == figures.organizations_attending
    for opened in (people, organisations):
        opened.close()
