"""Counting 担い手活動: attended (出席) held designated sessions of the municipality's clubs,
each once, by the figures' counting rule."""

from __future__ import annotations

import tempfile
import uuid
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kankei_desktop.core.figures import rule
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from tests.furusato.helpers import (
    HIGASHIKAWA,
    SAPPORO,
    SAPPORO_CHUO,
    TAKASU,
    attend,
    club,
    person,
    session,
)

BOTH_ENGINES = True

FY2026 = fiscal_year_range(2026)
FY2027 = fiscal_year_range(2027)


def activities(services: Services, code: str, period: tuple[date, date]) -> dict[str, int]:
    report = services.furusato.status(code, *period)
    return {row.name: row.activities for row in report.people}


def test_fiscal_year_edges_count_in_their_own_year(services: Services) -> None:
    club_id = club(services, "鷹栖の担い手クラブ")
    hanako = person(services, "山田", "花子")
    for day in (date(2026, 3, 31), date(2026, 4, 1), date(2027, 3, 31), date(2027, 4, 1)):
        attend(services, session(services, club_id, day), hanako)
    assert activities(services, TAKASU, FY2026) == {"山田 花子": 2}
    assert activities(services, TAKASU, FY2027) == {"山田 花子": 1}
    assert activities(services, TAKASU, fiscal_year_range(2025)) == {"山田 花子": 1}
    assert activities(services, TAKASU, (date(2026, 3, 31), date(2027, 4, 1))) == {
        "山田 花子": 4}


def test_absent_and_excused_do_not_count(services: Services) -> None:
    club_id = club(services, "鷹栖の担い手クラブ")
    first, second, third = (session(services, club_id, date(2026, 5, day))
                            for day in (10, 17, 24))
    taro = person(services, "佐藤", "太郎")
    attend(services, first, taro)
    attend(services, second, taro, "absent")
    attend(services, third, taro, "excused")
    assert activities(services, TAKASU, FY2026) == {"佐藤 太郎": 1}


def test_planned_and_cancelled_sessions_do_not_count(services: Services) -> None:
    club_id = club(services, "鷹栖の担い手クラブ")
    planned = session(services, club_id, date(2026, 6, 1), status="planned")
    cancelled = session(services, club_id, date(2026, 6, 8), status="cancelled")
    held = session(services, club_id, date(2026, 6, 15))
    taro = person(services, "佐藤", "太郎")
    for meeting in (planned, cancelled, held):
        attend(services, meeting, taro)
    assert activities(services, TAKASU, FY2026) == {"佐藤 太郎": 1}
    assert len(services.furusato.sessions(TAKASU, *FY2026)) == 1
    services.meetings.set_status(planned, "held")
    assert activities(services, TAKASU, FY2026) == {"佐藤 太郎": 2}


def test_a_session_designated_after_the_fact_counts_from_then_on(services: Services) -> None:
    club_id = club(services, "鷹栖の担い手クラブ")
    meeting = session(services, club_id, date(2026, 7, 4), designated=False)
    taro = person(services, "佐藤", "太郎")
    attend(services, meeting, taro)
    assert activities(services, TAKASU, FY2026) == {}
    assert services.furusato.designate([meeting]) == 1
    assert activities(services, TAKASU, FY2026) == {"佐藤 太郎": 1}
    assert services.furusato.designate([meeting]) == 0  # already designated: nothing changes
    services.furusato.designate([meeting], designated=False)
    assert activities(services, TAKASU, FY2026) == {}


def test_only_the_municipalitys_own_designated_sessions_count(services: Services) -> None:
    ours = club(services, "鷹栖の担い手クラブ")
    theirs = club(services, "東川の写真クラブ", HIGASHIKAWA)
    unhosted = club(services, "どこでもクラブ", None)
    taro = person(services, "佐藤", "太郎")
    for club_id in (ours, theirs, unhosted):
        attend(services, session(services, club_id, date(2026, 8, 1)), taro)
    attend(services, session(services, ours, date(2026, 8, 2), designated=False), taro)
    assert activities(services, TAKASU, FY2026) == {"佐藤 太郎": 1}
    assert activities(services, HIGASHIKAWA, FY2026) == {"佐藤 太郎": 1}


def test_deleted_sessions_clubs_and_people_do_not_count(services: Services) -> None:
    club_id = club(services, "鷹栖の担い手クラブ")
    other_club = club(services, "鷹栖の第二クラブ")
    taro, jiro = person(services, "佐藤", "太郎"), person(services, "佐藤", "次郎")
    kept, dropped = session(services, club_id, date(2026, 9, 1)), session(
        services, club_id, date(2026, 9, 8))
    in_other = session(services, other_club, date(2026, 9, 15))
    for meeting in (kept, dropped, in_other):
        attend(services, meeting, taro)
        attend(services, meeting, jiro)
    services.meetings.delete(dropped)
    services.clubs.delete(other_club)
    services.people.delete(jiro)
    assert activities(services, TAKASU, FY2026) == {"佐藤 太郎": 1}


def test_a_designated_city_counts_the_sessions_of_its_wards(services: Services) -> None:
    ward_club = club(services, "中央区まちづくりクラブ", SAPPORO_CHUO)
    taro = person(services, "佐藤", "太郎")
    attend(services, session(services, ward_club, date(2026, 10, 1)), taro)
    assert activities(services, SAPPORO, FY2026) == {"佐藤 太郎": 1}
    assert activities(services, SAPPORO_CHUO, FY2026) == {"佐藤 太郎": 1}


def test_the_drill_down_lists_the_sessions_behind_the_count(services: Services) -> None:
    club_id = club(services, "鷹栖の担い手クラブ")
    taro = person(services, "佐藤", "太郎")
    days = [date(2026, 11, 3), date(2026, 5, 5), date(2027, 2, 11)]
    for day in days:
        attend(services, session(services, club_id, day, place="鷹栖町公民館"), taro)
    attend(services, session(services, club_id, date(2026, 6, 6)), taro, "absent")
    rows = services.furusato.activities(taro, TAKASU, *FY2026)
    assert [row.date for row in rows] == sorted(days)
    assert {row.place for row in rows} == {"鷹栖町公民館"}
    assert {row.club_name for row in rows} == {"鷹栖の担い手クラブ"}
    report = services.furusato.status(TAKASU, *FY2026)
    assert report.people[0].activities == len(rows)


def test_new_sessions_follow_the_clubs_default_and_series_can_be_marked(
        services: Services) -> None:
    marking = club(services, "担い手クラブ", designates=True)
    plain = club(services, "ふつうのクラブ")
    default_on = session(services, marking, date(2026, 5, 1), designated=None)
    default_off = session(services, plain, date(2026, 5, 1), designated=None)
    assert services.meetings.get(default_on).designated == 1
    assert services.meetings.get(default_off).designated == 0
    assert services.furusato.designate_club(plain) == 1
    assert services.furusato.designated_count(club_id=plain) == (1, 1)


# --- the count equals the figures' own rule on random data -----------------------------------

STATUSES = st.sampled_from(["attended", "absent", "excused", None])
MEETING = st.tuples(st.sampled_from(["held", "planned", "cancelled"]), st.booleans(),
                    st.integers(0, 1), st.lists(STATUSES, min_size=3, max_size=3))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meetings=st.lists(MEETING, min_size=1, max_size=6))
def test_the_count_is_the_figures_rule_on_designated_sessions(
        meetings: list[tuple[str, bool, int, list[str | None]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "f.sqlite3")
        try:
            services = Services(db)
            clubs = [club(services, "鷹栖クラブ"), club(services, "東川クラブ", HIGASHIKAWA)]
            people = [person(services, "佐藤", name) for name in ("一郎", "二郎", "三郎")]
            expected: dict[uuid.UUID, int] = {}
            for index, (status, designated, which, rows) in enumerate(meetings):
                meeting = session(services, clubs[which], date(2026, 5, 1 + index),
                                  status=status, designated=designated)
                for person_id, row in zip(people, rows, strict=True):
                    if row is None:
                        continue
                    attend(services, meeting, person_id, row)
                    if which == 0 and designated and rule.attendance_counts(row, status):
                        expected[person_id] = expected.get(person_id, 0) + 1
            report = services.furusato.status(TAKASU, *FY2026)
            assert {row.person_id: row.activities for row in report.people} == expected
        finally:
            db.close()
