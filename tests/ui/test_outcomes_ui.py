"""The window's outcomes (issue 17): the matching page, matchings on a person's, an
organisation's and a club's page, the stage timeline, KPIs with 達成率, tags and their
filters, the dashboard's tag filter and shortfall panel."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from kankei_desktop.core.japan.fiscal import current_fiscal_year, fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft, KpiValues
from kankei_desktop.core.services.kpis import KpiDraft
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.navigation import PAGES
from kankei_desktop.ui.pages.clubs.stages import StageMoveDialog
from kankei_desktop.ui.pages.kpis.dialog import KpiDialog
from kankei_desktop.ui.pages.matchings.panel import MatchingDialog
from tests.ui.helpers import pick, type_into

pytestmark = pytest.mark.gui


def _show(window: MainWindow, key: str) -> None:
    window.show_page([page for page, _label in PAGES].index(key))


def test_a_matching_is_recorded_on_the_matching_page(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                     services: Services) -> None:
    services.people.create(PersonDraft(family_name="中村", given_name="彩",
                                       family_reading="なかむら"))
    _show(window, "matchings")
    page = window.matchings
    assert page.stack.currentWidget() is page.empty
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    editor.kind.set_code("internship")
    editor.status.set_code("ongoing")
    pick(qtbot, editor.person, "なかむら")
    pick(qtbot, editor.host, "一関")  # from the master list: added to the file
    type_into(qtbot, editor.theme, "ECサイトの改善")
    editor.made_on.set_value(date(2021, 8, 1))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    [row] = services.matchings.find()
    assert (row.kind, row.status, row.made_on, row.theme) == (
        "internship", "ongoing", date(2021, 8, 1), "ECサイトの改善")
    assert services.organizations.names({row.host_id}) == {row.host_id: "岩手県一関市"}
    assert page.model.rowCount() == 1
    assert page.model.index(0, 2).data() == "中村 彩"
    page.kind_filter.set_code("side_job")
    assert page.stack.currentWidget() is page.empty
    page.kind_filter.set_code("")
    page.table.selectRow(0)
    page.delete_selected()
    assert services.matchings.count() == 0


def test_the_matching_form_refuses_what_the_service_refuses(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                            services: Services) -> None:
    _show(window, "matchings")
    page = window.matchings
    page.new_record()
    page.editor.kind.set_code("agreement")
    assert not page.editor.save()
    assert page.editor.form.error_text("person_id")
    assert page.editor.form.error_text("host_id")
    assert services.matchings.count() == 0


def test_matchings_on_the_person_organisation_and_club_pages(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                             services: Services) -> None:
    company = services.organizations.create(OrganizationDraft(kind="company", name="A社"))
    person = services.people.create(PersonDraft(family_name="中村", organization_id=company.id))
    club = services.clubs.create(ClubDraft(name="クラブ"))
    town = services.organizations.ensure_municipality("032093")
    services.matchings.create(MatchingDraft(kind="side_job", person_id=person.id,
                                            host_id=town.id, made_on=date(2021, 6, 1),
                                            club_id=club.id))
    _show(window, "people")
    window.people.select_record(person.id)
    window.people.editor.load(person.id)
    assert window.people.editor.matchings.table.rowCount() == 1
    window.organizations.editor.load(company.id)  # its person's matching
    assert window.organizations.editor.matchings.table.rowCount() == 1
    window.clubs.editor.load(club.id)
    panel = window.clubs.editor.matchings
    assert panel.table.rowCount() == 1
    dialog = MatchingDialog(window.services, preset=MatchingDraft(club_id=club.id),
                            parent=window)
    editor = dialog.editor
    assert editor.club.currentData() == club.id
    editor.is_organization.setChecked(True)
    pick(qtbot, editor.organization, "A社")
    pick(qtbot, editor.host, "一関")
    editor.kind.set_code("collaboration")
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    panel.load(club.id)
    assert panel.table.rowCount() == 2
    dialog.deleteLater()


def test_the_club_timeline_records_moves_forwards_and_back(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                           services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="鉾田共創", stage="theme"))
    _show(window, "clubs")
    editor = window.clubs.editor
    editor.load(club.id)
    history = editor.stage_history
    assert history.table.rowCount() == 0
    for stage, day, output in (("planning", date(2021, 6, 1), "施策案"),
                               ("theme", date(2021, 9, 1), "テーマを見直し")):
        dialog = StageMoveDialog(window.services, club.id, parent=window)
        dialog.stage.set_code(stage)
        dialog.day.set_value(day)
        dialog.output.setPlainText(output)
        dialog.save()
        assert dialog.result() == StageMoveDialog.DialogCode.Accepted
        history._changed()
    assert history.table.rowCount() == 2
    assert history.table.item(1, 2).text() == "テーマを見直し"
    assert editor.stage.stage == "theme"
    assert not editor.is_dirty()  # the move is saved already
    assert services.clubs.current_stages({club.id}) == {club.id: "theme"}


def test_kpis_of_any_kind_with_achievement_on_the_club_page(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                           services: Services) -> None:
    fy = current_fiscal_year()
    start, _end = fiscal_year_range(fy)
    club = services.clubs.create(ClubDraft(name="クラブ"))
    services.clubs.set_targets(club.id, fy, KpiValues(meetings=4))
    services.meetings.create(MeetingDraft(club_id=club.id, title="会", date=start,
                                          status="held"))
    _show(window, "clubs")
    editor = window.clubs.editor
    editor.load(club.id)
    panel = editor.targets
    assert panel.actuals[0].text() == "1"
    assert panel.rates[0].text() == "25.0%"
    dialog = KpiDialog(window.services, fy, club.id, parent=window)
    dialog.measure.set_code("manual")
    type_into(qtbot, dialog.label, "視察受入数")
    type_into(qtbot, dialog.target, "10")
    type_into(qtbot, dialog.actual, "4")
    dialog.save()
    assert dialog.result() == KpiDialog.DialogCode.Accepted
    panel.others.load(fy, club.id)
    cells = [panel.others.table.item(0, column).text() for column in range(4)]
    assert cells == ["視察受入数", "10", "4", "40.0%"]
    bad = KpiDialog(window.services, fy, club.id, parent=window)
    bad.show()
    bad.measure.set_code("manual")
    type_into(qtbot, bad.target, "abc")
    bad.save()
    assert bad.form.error_text("target")
    assert bad.form.error_text("label")
    bad.close()


def test_tags_in_the_editor_and_the_list_filter(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                services: Services) -> None:
    first = services.people.create(PersonDraft(family_name="佐藤"))
    services.people.create(PersonDraft(family_name="鈴木"))
    _show(window, "people")
    page = window.people
    page.select_record(first.id)
    page.editor.load(first.id)
    assert page.editor.tags is not None
    type_into(qtbot, page.editor.tags, "高校生、UIターン希望")
    assert page.editor.is_dirty()
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    assert [tag.name for tag in services.tags.tags_of(first.id)] == ["UIターン希望", "高校生"]
    assert not page.editor.is_dirty()
    tag = services.tags.find_by_name("高校生")
    assert tag is not None
    assert page.tag_filter is not None
    page.tag_filter.select_tag(tag.id)
    assert page.model.rowCount() == 1
    assert page.model.index(0, 0).data() == "佐藤"


def test_the_dashboard_filters_by_tag_and_lists_kpis_behind(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                            services: Services) -> None:
    fy = current_fiscal_year() - 1  # a past year: the whole year counts
    start, _end = fiscal_year_range(fy)
    club = services.clubs.create(ClubDraft(name="クラブ"))
    people = [services.people.create(PersonDraft(family_name=f"人{i}")) for i in range(3)]
    meeting = services.meetings.create(MeetingDraft(club_id=club.id, title="会", date=start,
                                                    status="held"))
    for person in people:
        services.attendance.set(meeting.id, person.id)
    services.tags.set_tags("person", people[0].id, ["高校生"])
    services.kpis.create(KpiDraft("matchings_made", fy, target="2"))
    page = window.dashboard
    window.show_page(0)
    page.fiscal_year.set_fiscal_year(fy)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    assert page.cards["person_times"].value == "3"
    assert "事業全体: マッチング成立件数 0/2（0.0%）" in page.behind.text()
    tag = services.tags.find_by_name("高校生")
    assert tag is not None
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.tag_filter.select_tag(tag.id)
    assert page.cards["person_times"].value == "1"


def test_the_calendar_filters_by_tag(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                     services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="クラブ"))
    today = date.today()
    tagged = services.meetings.create(MeetingDraft(club_id=club.id, title="公開回", date=today))
    services.meetings.create(MeetingDraft(club_id=club.id, title="定例", date=today))
    services.tags.set_tags("meeting", tagged.id, ["公開"])
    tag = services.tags.find_by_name("公開")
    assert tag is not None
    entries = services.calendar.entries(today, today, tag_id=tag.id)
    assert [entry.title for entry in entries] == ["公開回"]
    _show(window, "calendar")
    calendar = window.current_page()
    calendar.tag_filter.select_tag(tag.id)  # type: ignore[attr-defined]
    start, end = calendar.visible_range()  # type: ignore[attr-defined]
    key = calendar._range_key(start, end)  # type: ignore[attr-defined]
    assert [entry.title for entry in calendar._query(key)] == ["公開回"]  # type: ignore[attr-defined]
