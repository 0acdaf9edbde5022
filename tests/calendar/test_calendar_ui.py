"""The カレンダー page as a user works it: create by double-click, open chips, attendance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.interactions import InteractionDraft
from kankei_desktop.ui.pages.calendar.editor import SessionEditor
from kankei_desktop.ui.pages.calendar.followup import FollowUpDialog
from kankei_desktop.ui.pages.calendar.guest import GuestDialog
from kankei_desktop.ui.pages.calendar.page import LIST, WEEK, CalendarPage
from kankei_desktop.ui.pages.calendar.widgets import select_data
from tests.calendar.conftest import Programme, make_meeting

JUNE_18 = date(2026, 6, 18)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def record(_parent: object, _title: str, text: str, *args: object,
               **kwargs: object) -> QMessageBox.StandardButton:
        seen.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", record)
    monkeypatch.setattr(QMessageBox, "warning", record)
    return seen


@pytest.fixture
def page(qtbot, services: Services, programme: Programme,  # type: ignore[no-untyped-def]
         messages: list[str]) -> Iterator[CalendarPage]:
    widget = CalendarPage(services)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    widget.go_to(JUNE_18)
    yield widget
    assert widget.wait_until_idle()  # the read-ahead ends before the file closes


def double_click(qtbot, widget, point: QPoint) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=point)


def open_editor(page: CalendarPage) -> SessionEditor:
    editor = page.editor
    assert editor is not None
    assert editor.isVisible()
    return editor


def test_month_shows_sessions_holidays_and_filters(page: CalendarPage,
                                                    services: Services,
                                                    programme: Programme) -> None:
    other = make_meeting(services, programme.nishiawakura, JUNE_18, "別クラブ", time(9, 0))
    page.refresh()  # what the window calls when the page is shown
    view = page.month_view
    assert [e.title for e in view.entries_on(JUNE_18)] == ["別クラブ", "第1回 定例セッション"]
    assert not view.chip_rect(programme.session).isEmpty()
    page.go_to(date(2026, 7, 1))
    assert view.holiday(date(2026, 7, 20)) == "海の日"
    page.go_to(JUNE_18)
    select_data(page.club_filter, programme.nishiawakura)
    assert [e.id for e in view.entries_on(JUNE_18)] == [other]
    assert view.chip_rect(programme.session).isEmpty()


def test_double_click_a_day_creates_a_session_that_appears_as_a_chip(
        qtbot, page: CalendarPage, services: Services,  # type: ignore[no-untyped-def]
        programme: Programme) -> None:
    day = date(2026, 6, 25)
    cell = page.month_view.cell_rect(day)
    double_click(qtbot, page.month_view, cell.center())
    editor = open_editor(page)
    assert editor.date.date().toPython() == day
    select_data(editor.club, programme.takasu)
    editor.title.setText("第2回 定例セッション")
    editor.save_button.click()
    assert not editor.isVisible()
    assert editor.meeting_id is not None
    assert [e.title for e in page.month_view.entries_on(day)] == ["第2回 定例セッション"]
    assert not page.month_view.chip_rect(editor.meeting_id).isEmpty()
    assert services.meetings.get(editor.meeting_id).date == day


def test_missing_title_and_end_before_start_stay_in_the_editor(
        page: CalendarPage, services: Services, programme: Programme) -> None:
    editor = page.new_session(date(2026, 6, 26))
    select_data(editor.club, programme.takasu)
    editor.start.setTime(time(20, 0))
    editor.end.setTime(time(19, 0))
    count = services.meetings.count()
    editor.save_button.click()
    assert editor.isVisible()
    assert editor.form.error_text("title")
    assert editor.form.error_text("end_time")
    assert services.meetings.count() == count
    editor.reject()


def test_warnings_are_shown_in_words_and_can_be_accepted(
        page: CalendarPage, services: Services, programme: Programme) -> None:
    editor = page.new_session(JUNE_18)
    select_data(editor.club, programme.takasu)
    editor.title.setText("重なる回")
    assert editor.time_warning.isVisible()
    assert "第1回 定例セッション" in editor.time_warning.text()
    editor.date.setDate(date(2027, 5, 1))
    assert not editor.time_warning.isVisible()
    assert "2027-03-31" in editor.date_warning.text()
    editor.date.setDate(JUNE_18)
    editor.save_button.click()  # warnings do not block saving
    assert not editor.isVisible()
    assert len(page.month_view.entries_on(JUNE_18)) == 2


def test_take_attendance_counts_live_and_figures_follow(
        qtbot, page: CalendarPage, services: Services,  # type: ignore[no-untyped-def]
        programme: Programme) -> None:
    double_click(qtbot, page.month_view, page.month_view.chip_rect(programme.session).center())
    editor = open_editor(page)
    panel = editor.attendance
    assert panel is not None
    assert panel.counts_by_status()[""] == 3
    panel.set_status(programme.members[0], "attended")
    panel.set_status(programme.members[1], "attended")
    panel.set_status(programme.members[2], "excused")
    assert "2" in panel.counts.text()
    assert panel.counts_by_status()["attended"] == 2
    editor.mark_held.click()
    editor.save_button.click()
    figures = services.figures.period(date(2026, 6, 1), date(2026, 6, 30)).total
    assert (figures.meetings_held, figures.person_times) == (1, 2)
    assert services.meetings.get(programme.session).status == "held"


def test_a_new_guest_is_saved_as_a_person_and_attends_when_the_session_is_saved(
        qtbot, page: CalendarPage, services: Services,  # type: ignore[no-untyped-def]
        programme: Programme) -> None:
    editor = page.open_session(programme.session)
    dialog = GuestDialog(services, editor)
    qtbot.addWidget(dialog)
    dialog.family_name.setText("伊藤")
    dialog.given_name.setText("学")
    dialog.family_reading.setText("いとう")
    dialog.category.set_code("student")
    dialog.save()
    assert dialog.person is not None
    editor.attendance.add_guest(dialog.person.id)
    assert editor.attendance.status_of(dialog.person.id) == "attended"
    assert services.attendance.roster(programme.session)[0].status == ""  # not saved yet
    editor.save_button.click()
    roster = {row.person_id: row for row in services.attendance.roster(programme.session)}
    assert roster[dialog.person.id].status == "attended"
    assert not roster[dialog.person.id].is_member


def test_cancel_drops_the_attendance_chosen_in_the_dialog(
        qtbot, page: CalendarPage, services: Services,  # type: ignore[no-untyped-def]
        programme: Programme) -> None:
    services.meetings.set_status(programme.session, "held")
    editor = page.open_session(programme.session)
    editor.attendance.set_status(programme.members[0], "attended")
    editor.attendance.add_guest(programme.members[1])
    assert editor.is_dirty()
    editor.reject()
    assert {row.status for row in services.attendance.roster(programme.session)} == {""}
    figures = services.figures.period(date(2026, 6, 1), date(2026, 6, 30)).total
    assert figures.person_times == 0


def test_a_past_session_is_recorded_with_its_attendance_in_one_dialog(
        qtbot, page: CalendarPage, services: Services,  # type: ignore[no-untyped-def]
        programme: Programme) -> None:
    day = date(2026, 6, 4)
    editor = page.new_session(day)
    select_data(editor.club, programme.takasu)
    assert editor.status.code() == "held"  # a session in the past is mostly one that took place
    assert editor.tabs.indexOf(editor.attendance) == 1
    editor.title.setText("第0回 キックオフ")
    editor.tabs.setCurrentWidget(editor.attendance)
    assert editor.attendance.counts_by_status()[""] == 3  # the club's members, before saving
    editor.attendance.set_status(programme.members[0], "attended")
    editor.attendance.set_status(programme.members[1], "absent")
    editor.save_button.click()
    assert not editor.isVisible()
    figures = services.figures.period(date(2026, 6, 1), date(2026, 6, 30)).total
    assert (figures.meetings_held, figures.person_times) == (1, 1)
    assert services.context.journal.undo_label() == "新しいセッション: 第0回 キックオフ"
    services.context.undo()  # the session and its attendance are one action
    figures = services.figures.period(date(2026, 6, 1), date(2026, 6, 30)).total
    assert (figures.meetings_held, figures.person_times) == (0, 0)


def test_the_only_club_is_chosen_for_a_new_session(qtbot, services: Services,  # type: ignore[no-untyped-def]
                                                   messages: list[str]) -> None:
    from kankei_desktop.core.services.clubs import ClubDraft

    services.clubs.create(ClubDraft(name="ただ一つのクラブ"))
    editor = SessionEditor(services, day=date(2026, 6, 4))
    qtbot.addWidget(editor)
    assert editor.club.currentText() == "ただ一つのクラブ"
    editor.title.setText("報告会")
    editor.save()
    assert editor.result() == SessionEditor.DialogCode.Accepted
    assert services.meetings.count() == 1


def test_series_from_the_editor(page: CalendarPage, services: Services,
                                programme: Programme, messages: list[str]) -> None:
    editor = page.new_session(date(2026, 7, 14))
    select_data(editor.club, programme.takasu)
    editor.title.setText("定例会")
    series = editor.series
    assert series is not None
    series.enabled.setChecked(True)
    series.rule.setCurrentIndex(1)  # every month on the N-th weekday: 2nd Tuesday
    series.end.setDate(date(2026, 9, 30))
    assert "山の日" in series.preview.text()
    editor.save_button.click()
    assert not editor.isVisible()
    assert editor.created_count == 2
    assert messages
    dates = [e.date for e in services.calendar.entries(date(2026, 7, 1),
                                                              date(2026, 9, 30))]
    assert dates == [date(2026, 7, 14), date(2026, 9, 8)]


def test_week_view_and_list(qtbot, page: CalendarPage,  # type: ignore[no-untyped-def]
                            programme: Programme) -> None:
    page.set_view(WEEK)
    rect = page.week_view.block_rect(programme.session)
    assert not rect.isEmpty()
    double_click(qtbot, page.week_view, rect.center())
    editor = open_editor(page)
    assert editor.meeting_id == programme.session
    editor.reject()
    page.shift(1)
    assert page.week_view.block_rect(programme.session).isEmpty()
    page.set_view(LIST)
    page.go_to(JUNE_18)
    assert page.agenda.topLevelItemCount() == 1
    assert page.agenda.topLevelItem(0).text(3) == "第1回 定例セッション"


def test_follow_up_dialog_saves_with_people(qtbot, services: Services,  # type: ignore[no-untyped-def]
                                            programme: Programme) -> None:
    draft = InteractionDraft(date=date(2026, 6, 20), person_ids=[programme.members[0]],
                             club_id=programme.takasu, meeting_id=programme.session)
    dialog = FollowUpDialog(services, draft)
    qtbot.addWidget(dialog)
    dialog.channel.set_code("slack")
    dialog.summary.setText("次回の準備")
    dialog.save()
    assert dialog.interaction is not None
    (row,) = services.interactions.find(meeting_id=programme.session)
    assert (row.channel, row.summary) == ("slack", "次回の準備")
    assert services.interactions.people_of(row.id) == [programme.members[0]]


def test_export_from_the_page(page: CalendarPage, tmp_path: Path,
                              messages: list[str]) -> None:
    target = tmp_path / "sessions.ics"
    assert page.write_ics(target) == 1
    assert b"BEGIN:VEVENT" in target.read_bytes()
    assert page.write_ics(tmp_path / "missing" / "x.ics") == 0
    assert len(messages) == 2


def test_person_editor_offers_a_follow_up(qtbot, services: Services,  # type: ignore[no-untyped-def]
                                          programme: Programme,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from kankei_desktop.ui.pages.people.editor import PersonEditor

    seen: list[InteractionDraft] = []

    def fake_exec(dialog: FollowUpDialog) -> int:
        seen.append(dialog.draft())
        dialog.summary.setText("電話で近況")
        dialog.save()
        return 1

    monkeypatch.setattr(FollowUpDialog, "exec", fake_exec)
    editor = PersonEditor(services)
    qtbot.addWidget(editor)
    editor.load(programme.members[0])
    assert editor.add_followup_button.isEnabled()
    editor.add_followup_button.click()
    assert seen[0].person_ids == [programme.members[0]]
    assert "電話で近況" in editor.followups.text()


def test_club_sessions_open_in_the_session_editor(qtbot, services: Services,  # type: ignore[no-untyped-def]
                                                  programme: Programme) -> None:
    from kankei_desktop.ui.pages.clubs.sessions import ClubSessionsPanel

    panel = ClubSessionsPanel(services)
    qtbot.addWidget(panel)
    panel.show()
    panel.load(programme.takasu)
    panel.table.cellDoubleClicked.emit(0, 1)
    editors = [w for w in panel.findChildren(SessionEditor)]
    assert [e.meeting_id for e in editors] == [programme.session]
    editors[0].reject()


def test_read_ahead_never_hides_a_session_saved_in_the_editor(
        page: CalendarPage, services: Services, programme: Programme) -> None:
    page.wait_until_idle()  # July has been read ahead while June is shown
    editor = page.new_session(JUNE_18)
    select_data(editor.club, programme.takasu)
    editor.title.setText("七月の回")
    editor.date.setDate(date(2026, 7, 9))
    editor.save_button.click()
    page.wait_until_idle()
    page.shift(1)
    assert [e.title for e in page.month_view.entries_on(date(2026, 7, 9))] == ["七月の回"]
    page.shift(-1)
    assert [e.title for e in page.month_view.entries_on(JUNE_18)] == ["第1回 定例セッション"]
