"""Calendar services: range queries, warnings, series, attendance, guests, follow-ups."""

from __future__ import annotations

from datetime import date, time

import pytest

from kankei_desktop.core.calendar.recurrence import SeriesError, SeriesRule, SeriesSpec
from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from tests.calendar.conftest import Programme, make_meeting

BOTH_ENGINES = True


def draft(programme: Programme, **values: object) -> MeetingDraft:
    fields: dict[str, object] = {"club_id": programme.takasu, "title": "第2回",
                                 "date": date(2026, 6, 18), "start_time": time(19, 30),
                                 "end_time": time(21, 0)}
    fields.update(values)
    return MeetingDraft(**fields)  # type: ignore[arg-type]


# --- range queries --------------------------------------------------------------------------


def test_range_lists_sessions_with_club_names_in_order(services: Services,
                                                       programme: Programme) -> None:
    make_meeting(services, programme.nishiawakura, date(2026, 6, 18), "朝会", time(9, 0))
    make_meeting(services, programme.takasu, date(2026, 6, 30), "月末", None, None)
    make_meeting(services, programme.takasu, date(2026, 7, 1), "翌月")
    rows = services.calendar.entries(date(2026, 6, 1), date(2026, 6, 30),
                                            with_details=True)
    assert [(row.date.day, row.title) for row in rows] == [
        (18, "朝会"), (18, "第1回 定例セッション"), (30, "月末")]
    assert rows[1].club_name == "たかす放課後企業クラブ"
    assert rows[1].url == "https://zoom.us/j/1"
    assert rows[1].tool == "Zoom"
    assert rows[0].start_time == time(9, 0)
    assert rows[2].start_time is None
    assert rows[1].club_id == programme.takasu
    light = services.calendar.entries(date(2026, 6, 1), date(2026, 6, 30))
    assert [row.id for row in light] == [row.id for row in rows]


def test_range_filters_club_municipality_format_and_hides_deleted(
        services: Services, programme: Programme) -> None:
    onsite = make_meeting(services, programme.nishiawakura, date(2026, 6, 2), "現地",
                          format="onsite")
    gone = make_meeting(services, programme.takasu, date(2026, 6, 3), "削除")
    services.meetings.delete(gone)
    closed = services.clubs.create(ClubDraft(name="解散クラブ")).id
    make_meeting(services, closed, date(2026, 6, 4), "解散済みクラブの回")
    services.clubs.delete(closed)
    june = (date(2026, 6, 1), date(2026, 6, 30))
    assert {r.title for r in services.calendar.entries(*june)} == {
        "現地", "第1回 定例セッション"}
    assert [r.id for r in services.calendar.entries(
        *june, club_id=programme.nishiawakura)] == [onsite]
    town = services.clubs.get(programme.takasu).host_municipality_id
    assert [r.title for r in services.calendar.entries(*june, municipality_id=town)] == [
        "第1回 定例セッション"]
    assert [r.id for r in services.calendar.entries(*june, format="onsite")] == [onsite]


# --- warnings -------------------------------------------------------------------------------


def test_end_before_start_is_an_error(services: Services, programme: Programme) -> None:
    with pytest.raises(ValidationError) as caught:
        services.meetings.create(draft(programme, start_time=time(20, 0), end_time=time(19, 0)))
    assert caught.value.for_field("end_time")


def test_overlapping_session_of_the_same_club_is_a_warning(services: Services,
                                                          programme: Programme) -> None:
    found = services.meetings.warnings(draft(programme))
    assert [field for field, _text in found] == ["start_time"]
    assert "第1回 定例セッション" in found[0][1]
    # later the same evening, another club, or the session itself: no warning
    assert services.meetings.warnings(draft(programme, start_time=time(20, 30))) == []
    assert services.meetings.warnings(draft(programme, club_id=programme.nishiawakura)) == []
    existing = MeetingDraft.of(services.meetings.get(programme.session))
    assert services.meetings.warnings(existing, programme.session) == []
    # and the user may accept it
    assert services.meetings.create(draft(programme)).id


def test_cancelled_sessions_do_not_overlap(services: Services, programme: Programme) -> None:
    services.meetings.set_status(programme.session, "cancelled")
    assert services.meetings.warnings(draft(programme)) == []


def test_date_outside_the_club_period_is_a_warning(services: Services,
                                                  programme: Programme) -> None:
    before = services.meetings.warnings(draft(programme, date=date(2026, 3, 31)))
    after = services.meetings.warnings(draft(programme, date=date(2027, 4, 1)))
    assert [f for f, _t in before] == ["date"]
    assert "2026-04-01" in before[0][1]
    assert [f for f, _t in after] == ["date"]
    assert "2027-03-31" in after[0][1]


# --- series ---------------------------------------------------------------------------------


def test_series_creates_ordinary_sessions_sharing_a_series_id(services: Services,
                                                              programme: Programme) -> None:
    spec = SeriesSpec(SeriesRule.MONTHLY_NTH, date(2026, 7, 1), date(2026, 12, 31),
                      weekday=1, nth=2, skip_holidays=True)
    result = services.meetings.create_series(draft(programme, title="定例会"), spec)
    assert len(result.meeting_ids) == 5
    assert [(s.day, s.holiday) for s in result.plan.skipped] == [(date(2026, 8, 11), "山の日")]
    rows = [services.meetings.get(mid) for mid in result.meeting_ids]
    assert [row.date for row in rows] == [date(2026, 7, 14), date(2026, 9, 8),
                                          date(2026, 10, 13), date(2026, 11, 10),
                                          date(2026, 12, 8)]
    assert {row.series_id for row in rows} == {result.series_id}
    assert {row.title for row in rows} == {"定例会"}
    # one occurrence moves alone
    moved = MeetingDraft.of(rows[0])
    moved.date = date(2026, 7, 15)
    services.meetings.update(rows[0].id, moved)
    assert services.meetings.get(rows[1].id).date == date(2026, 9, 8)
    services.meetings.set_status(rows[2].id, "cancelled")
    assert services.meetings.get(rows[3].id).status == "planned"


def test_invalid_series_saves_nothing(services: Services, programme: Programme) -> None:
    before = services.meetings.count()
    with pytest.raises(ValidationError):
        services.meetings.create_series(draft(programme, title=""), SeriesSpec(
            SeriesRule.WEEKLY, date(2026, 7, 1), date(2026, 8, 1)))
    with pytest.raises(SeriesError):
        services.meetings.create_series(draft(programme), SeriesSpec(
            SeriesRule.WEEKLY, date(2026, 8, 1), date(2026, 7, 1)))
    assert services.meetings.count() == before


# --- attendance -----------------------------------------------------------------------------


def test_roster_lists_members_and_guests(services: Services, programme: Programme) -> None:
    roster = services.attendance.roster(programme.session)
    assert [row.name for row in roster] == ["佐藤 花子", "鈴木 花子", "高橋 花子"]
    assert all(row.is_member and row.status == "" for row in roster)
    services.attendance.set(programme.session, programme.members[1], "excused")
    guest = services.attendance.add_guest(programme.session, PersonDraft(
        family_name="伊藤", given_name="一郎", family_reading="いとう",
        category="student"))
    roster = services.attendance.roster(programme.session)
    by_id = {row.person_id: row for row in roster}
    assert by_id[programme.members[1]].status == "excused"
    assert by_id[guest.id].status == "attended"
    assert not by_id[guest.id].is_member
    assert services.people.get(guest.id).category == "student"
    # a guest does not join the club
    assert guest.id not in {p.id for _m, p in services.clubs.members(programme.takasu)}


def test_invalid_guest_creates_nobody(services: Services, programme: Programme) -> None:
    people = services.people.count()
    with pytest.raises(ValidationError):
        services.attendance.add_guest(programme.session, PersonDraft(family_name=""))
    assert services.people.count() == people
    assert all(row.status == "" for row in services.attendance.roster(programme.session))


def test_attendance_and_held_status_reach_the_figures(services: Services,
                                                      programme: Programme) -> None:
    june = (date(2026, 6, 1), date(2026, 6, 30))
    assert services.figures.period(*june).total.person_times == 0
    for person in programme.members[:2]:
        services.attendance.set(programme.session, person, "attended")
    services.attendance.set(programme.session, programme.members[2], "absent")
    assert services.figures.period(*june).total.meetings_held == 0  # still planned
    services.meetings.set_status(programme.session, "held")
    total = services.figures.period(*june).total
    assert (total.meetings_held, total.person_times, total.unique_persons) == (1, 2, 2)
    services.attendance.set(programme.session, programme.members[2], "attended")
    assert services.figures.period(*june).total.person_times == 3
    services.attendance.remove(programme.session, programme.members[0])
    assert services.figures.period(*june).total.person_times == 2


# --- follow-ups -----------------------------------------------------------------------------


def test_follow_up_from_a_session_starts_with_its_attendees(services: Services,
                                                          programme: Programme) -> None:
    services.attendance.set(programme.session, programme.members[0], "attended")
    services.attendance.set(programme.session, programme.members[1], "absent")
    follow = services.interactions.draft_for_meeting(programme.session, date(2026, 6, 20))
    assert follow.person_ids == [programme.members[0]]
    assert follow.club_id == programme.takasu
    assert follow.meeting_id == programme.session
    follow.channel, follow.summary = "line", "資料の共有"
    row = services.interactions.create(follow)
    assert [r.id for r in services.interactions.find(meeting_id=programme.session)] == [row.id]
    assert [r.id for r in services.interactions.for_person(programme.members[0])] == [row.id]
