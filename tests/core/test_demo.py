"""The demo data set loads through the services, and its figures match the file itself."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kankei_desktop.core.demo import DemoSummary, demo_path, load_demo, read_demo
from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.japan.fiscal import fiscal_year_of, fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.vocabulary import AttendanceStatus, MeetingStatus

TODAY = date(2026, 11, 23)
HIRAGANA = re.compile(r"[ぁ-ゖー]+")
STATUSES = [status.value for status in AttendanceStatus]


@dataclass
class Loaded:
    services: Services
    summary: DemoSummary
    calls: list[tuple[int, int]]
    seconds: float


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return read_demo()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    """The demo loaded once into a fresh file (loading takes a few seconds)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KANKEI_DATA_DIR", str(tmp_path_factory.mktemp("demo-userdata")))
        database = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
        services = Services(database)
        calls: list[tuple[int, int]] = []
        started = time.perf_counter()
        summary = load_demo(services, progress=lambda done, total: calls.append((done, total)))
        seconds = time.perf_counter() - started
        yield Loaded(services, summary, calls, seconds)
        database.close()


def expected_figures(data: dict[str, Any], fiscal_year: int) -> tuple[int, int, int, int]:
    """開催回数, うちオンライン, 延べ人数, 実人数 counted straight from the JSON."""
    start, end = fiscal_year_range(fiscal_year)
    held = [
        meeting for meeting in data["meetings"]
        if meeting["status"] == "held" and start <= date.fromisoformat(meeting["date"]) <= end
    ]
    online = sum(meeting["format"] in ("online", "hybrid") for meeting in held)
    attended = [key for meeting in held for key in meeting.get("attended", [])]
    return len(held), online, len(attended), len(set(attended))


def counts(services: Services) -> tuple[int, ...]:
    return (
        services.organizations.count(),
        services.people.count(),
        services.clubs.count(),
        services.meetings.count(),
        len(services.interactions.find()),
        sum(len(services.attendance.of_meeting(m.id)) for m in services.meetings.find()),
    )


# -- the file ---------------------------------------------------------------------------------


def test_demo_file_is_shipped_with_the_resources() -> None:
    assert demo_path().is_file()
    assert demo_path().parent.name == "demo"


def test_keys_are_unique_and_prefixed(data: dict[str, Any]) -> None:
    for section, prefix in (("organizations", "org:"), ("people", "person:"),
                            ("clubs", "club:"), ("meetings", "meeting:")):
        keys = [record["key"] for record in data[section]]
        assert len(keys) == len(set(keys)), section
        assert all(key.startswith(prefix) for key in keys), section


def test_attendance_only_on_held_meetings_by_club_members(data: dict[str, Any]) -> None:
    members = {
        club["key"]: {member["person"] for member in club["members"]} for club in data["clubs"]
    }
    for meeting in data["meetings"]:
        rows = [key for status in STATUSES for key in meeting.get(status, [])]
        assert len(rows) == len(set(rows)), meeting["key"]
        if meeting["status"] != MeetingStatus.HELD.value:
            assert rows == [], meeting["key"]
        assert set(rows) <= members[meeting["club"]], meeting["key"]


def test_held_sessions_are_past_and_planned_ones_future(data: dict[str, Any]) -> None:
    for meeting in data["meetings"]:
        day = date.fromisoformat(meeting["date"])
        if meeting["status"] == MeetingStatus.PLANNED.value:
            assert day > TODAY, meeting["key"]
        else:
            assert day <= TODAY, meeting["key"]


def test_people_count_is_in_the_intended_range(data: dict[str, Any]) -> None:
    assert 60 <= len(data["people"]) <= 90


# -- loading ----------------------------------------------------------------------------------


def test_loading_creates_every_record(loaded: Loaded, data: dict[str, Any]) -> None:
    attendance = sum(len(m.get(status, [])) for m in data["meetings"] for status in STATUSES)
    expected = DemoSummary(
        organizations=len(data["organizations"]),
        people=len(data["people"]),
        clubs=len(data["clubs"]),
        meetings=len(data["meetings"]),
        attendance=attendance,
        interactions=len(data["interactions"]),
    )
    assert loaded.summary == expected
    assert counts(loaded.services) == (
        expected.organizations, expected.people, expected.clubs, expected.meetings,
        expected.interactions, expected.attendance,
    )


def test_loading_reports_progress_up_to_the_total(loaded: Loaded) -> None:
    done = [step for step, _total in loaded.calls]
    assert done == list(range(1, len(done) + 1))
    assert {total for _step, total in loaded.calls} == {done[-1]}


def test_loading_twice_is_refused_and_changes_nothing(loaded: Loaded) -> None:
    before = counts(loaded.services)
    with pytest.raises(KankeiError, match=r"空|empty"):
        load_demo(loaded.services)
    assert counts(loaded.services) == before


def test_a_file_with_one_organisation_is_refused(services: Services) -> None:
    services.organizations.create(OrganizationDraft(kind="npo", name="NPO法人テスト"))
    with pytest.raises(KankeiError):
        load_demo(services)
    assert services.organizations.count() == 1
    assert services.people.count() == 0
    assert services.meetings.count() == 0


def test_a_damaged_file_is_refused_before_anything_is_written(
    services: Services, tmp_path: Path
) -> None:
    broken = tmp_path / "demo.json"
    broken.write_text('{"format": "kankei-demo", "organizations": [', encoding="utf-8")
    with pytest.raises(KankeiError):
        load_demo(services, path=broken)
    assert services.organizations.count() == 0


# -- what the dashboard shows -----------------------------------------------------------------


def test_fy2019_figures_match_the_file(loaded: Loaded, data: dict[str, Any]) -> None:
    total = loaded.services.figures.fiscal_year(2019).total
    held, online, person_times, unique = expected_figures(data, 2019)
    assert held > 0
    assert (total.meetings_held, total.meetings_online, total.person_times,
            total.unique_persons) == (held, online, person_times, unique)
    assert total.first_time_persons == unique  # nobody attended anything before FY2019


def test_every_fiscal_year_matches_the_file(loaded: Loaded, data: dict[str, Any]) -> None:
    years = {fiscal_year_of(date.fromisoformat(m["date"])) for m in data["meetings"]}
    assert {2019, 2021, 2022, 2025, 2026} <= years
    for year in sorted(years):
        total = loaded.services.figures.fiscal_year(year).total
        assert (total.meetings_held, total.meetings_online, total.person_times,
                total.unique_persons) == expected_figures(data, year), year


def test_fy2021_is_all_online_like_the_seed(loaded: Loaded) -> None:
    total = loaded.services.figures.fiscal_year(2021).total
    assert total.meetings_held > 0
    assert total.online_rate == 1.0


def test_fy2026_has_held_and_planned_sessions(loaded: Loaded) -> None:
    services = loaded.services
    assert services.figures.fiscal_year(2026).total.meetings_held > 0
    _start, end = fiscal_year_range(2026)
    upcoming = services.meetings.find(date_from=TODAY, date_to=end,
                                      status=MeetingStatus.PLANNED.value)
    assert len(upcoming) >= 3
    assert {meeting.date.month for meeting in upcoming} >= {12, 1}
    assert services.meetings.count(status=MeetingStatus.CANCELLED.value) >= 1
    assert services.clubs.targets(fiscal_year=2026)


def test_every_person_has_a_hiragana_reading(loaded: Loaded) -> None:
    people = loaded.services.people.find()
    assert people
    for person in people:
        assert HIRAGANA.fullmatch(person.family_reading), person.family_name
        assert HIRAGANA.fullmatch(person.given_reading), person.given_name
        assert person.consent_date is not None


def test_public_bodies_come_from_the_master(loaded: Loaded) -> None:
    organizations = loaded.services.organizations
    takasu = organizations.find_by_lgcode("014524")
    iwate = organizations.find_by_lgcode("030007")
    assert takasu is not None
    assert takasu.name == "北海道鷹栖町"
    assert takasu.postal_code == "071-1292"
    assert iwate is not None
    assert iwate.kind == "prefecture"
    for code in ("032093", "032115", "336432"):
        assert organizations.find_by_lgcode(code) is not None


def test_matchings_are_recorded_as_follow_ups(loaded: Loaded) -> None:
    matchings = [
        row for row in loaded.services.interactions.find()
        if row.summary.startswith("複業マッチング成立")
    ]
    assert len(matchings) == 5
    assert {row.channel for row in matchings} <= {"visit", "online_meeting"}
