"""Figures for any period and scope: several 年度, any range of days, a prefecture.

The union of two adjacent periods adds up (延べ, 開催回数, 新規, recorded rows) while 実人数 is
distinct over the union; the edges (31 March / 1 April, a leap day, one-day ranges, a range
over the whole file, years the kept spans do not hold) give what the definitions say.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.figures.compute import FigureFilter, Figures, period_figures
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.figures.span_window import SPAN_FIRST_YEAR
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from tests.core import figures_oracle as oracle_module

# --- the union of adjacent periods -----------------------------------------------------------


def _additive(figures: Figures) -> tuple[int, int, int, int, int]:
    total = figures.total
    return (total.meetings_held, total.meetings_online, total.person_times,
            total.first_time_persons, total.recorded)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenario=oracle_module.scenarios(),
       start=st.dates(oracle_module.FIRST_DAY, oracle_module.LAST_DAY),
       lengths=st.tuples(st.integers(0, 500), st.integers(0, 500)),
       years=st.tuples(st.integers(2019, 2021), st.integers(0, 1), st.integers(0, 1)))
def test_adjacent_periods_add_up_and_unique_persons_do_not(
        scenario: oracle_module.Scenario, start: date, lengths: tuple[int, int],
        years: tuple[int, int, int]) -> None:
    """延べ (and 開催回数, 新規, recorded rows) of the union = the sum of the two periods;
    実人数 of the union ≤ the sum and ≥ each part — for ranges of days (live) and for whole
    年度 (kept tables), the whole programme and every scope."""
    first_end = start + timedelta(days=lengths[0])
    second = (first_end + timedelta(days=1), first_end + timedelta(days=1 + lengths[1]))
    fy, first_years, second_years = years
    whole_years = ((fiscal_year_range(fy)[0], fiscal_year_range(fy + first_years)[1]),
                   (fiscal_year_range(fy + first_years + 1)[0],
                    fiscal_year_range(fy + first_years + 1 + second_years)[1]))
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "kankei.sqlite3")
        try:
            services = Services(database)
            built = oracle_module.build_scenario(services, scenario)
            for part_one, part_two in (((start, first_end), second), whole_years):
                for scope in oracle_module.scopes(scenario):
                    flt = scope.figure_filter(built)
                    one = services.figures.period(*part_one, flt)
                    two = services.figures.period(*part_two, flt)
                    union = services.figures.period(part_one[0], part_two[1], flt)
                    assert _additive(union) == tuple(
                        a + b for a, b in zip(_additive(one), _additive(two), strict=True))
                    unique = union.total.unique_persons
                    assert max(one.total.unique_persons, two.total.unique_persons) <= unique
                    assert unique <= one.total.unique_persons + two.total.unique_persons
                    assert union.organizations_attending <= (
                        one.organizations_attending + two.organizations_attending)
        finally:
            database.close()


# --- edges -----------------------------------------------------------------------------------


@pytest.fixture
def sessions(services: Services) -> tuple[Services, uuid.UUID, uuid.UUID]:
    """One club and one person; :func:`_session` adds held sessions attended by that person."""
    club = services.clubs.create(ClubDraft(name="境目クラブ")).id
    person = services.people.create(PersonDraft(family_name="境目", category="resident")).id
    return services, club, person


def _session(services: Services, club: uuid.UUID, person: uuid.UUID, day: date,
             status: str = "attended") -> None:
    meeting = services.meetings.create(MeetingDraft(
        club_id=club, title=f"会 {day}", date=day, status="held", format="online"))
    services.attendance.set(meeting.id, person, status)


def _totals(figures: Figures) -> tuple[int, int, int, int]:
    total = figures.total
    return (total.meetings_held, total.person_times, total.unique_persons,
            total.first_time_persons)


def test_31_march_and_1_april_belong_to_two_fiscal_years(
        sessions: tuple[Services, uuid.UUID, uuid.UUID]) -> None:
    services, club, person = sessions
    _session(services, club, person, date(2021, 3, 31))
    _session(services, club, person, date(2021, 4, 1))
    figures = services.figures
    assert _totals(figures.fiscal_year(2020)) == (1, 1, 1, 1)
    assert _totals(figures.fiscal_year(2021)) == (1, 1, 1, 0)  # came before: not new
    both_days = figures.period(date(2021, 3, 31), date(2021, 4, 1))
    assert _totals(both_days) == (2, 2, 1, 1)
    assert list(both_days.by_fiscal_year) == [2020, 2021]
    assert [cell.person_times for cell in both_days.by_fiscal_year.values()] == [1, 1]
    assert both_days.fiscal_year is None
    years = Period.fiscal_years(2020, 2021)
    two_years = figures.period(years.start, years.end)
    assert _totals(two_years) == (2, 2, 1, 1)  # one person over the union of the years
    assert [cell.unique_persons for cell in two_years.by_fiscal_year.values()] == [1, 1]
    assert _totals(figures.period(date(2021, 4, 1), date(2021, 4, 1))) == (1, 1, 1, 0)
    assert _totals(figures.period(date(2021, 3, 31), date(2021, 3, 31))) == (1, 1, 1, 1)


def test_a_leap_day(sessions: tuple[Services, uuid.UUID, uuid.UUID]) -> None:
    services, club, person = sessions
    _session(services, club, person, date(2024, 2, 28), status="absent")
    _session(services, club, person, date(2024, 2, 29))
    _session(services, club, person, date(2024, 3, 1))
    figures = services.figures
    leap_day = figures.period(date(2024, 2, 29), date(2024, 2, 29))
    assert _totals(leap_day) == (1, 1, 1, 1)
    assert list(leap_day.by_month) == [(2024, 2)]
    assert list(leap_day.by_fiscal_year) == [2023]
    assert leap_day.attendance_rate == 1.0
    february = figures.period(date(2024, 2, 1), date(2024, 2, 29))
    assert _totals(february) == (2, 1, 1, 1)
    assert february.attendance_rate == 0.5  # attended on the 29th, absent on the 28th
    assert _totals(figures.fiscal_year(2023)) == (3, 2, 1, 1)
    assert figures.fiscal_year(2023).by_month[(2024, 2)].meetings_held == 2
    assert Period(date(2024, 2, 29), date(2024, 2, 29)).previous() == Period(
        date(2024, 2, 28), date(2024, 2, 28))


def test_one_day_without_sessions(sessions: tuple[Services, uuid.UUID, uuid.UUID]) -> None:
    services, club, person = sessions
    _session(services, club, person, date(2022, 6, 1))
    figures = services.figures.period(date(2022, 6, 2), date(2022, 6, 2))
    assert _totals(figures) == (0, 0, 0, 0)
    assert figures.attendance_rate is None
    assert figures.total.online_rate is None
    assert figures.organizations_attending == 0
    assert list(figures.by_month) == [(2022, 6)]
    assert list(figures.by_fiscal_year) == [2022]
    assert sum(cell.meetings_held for cell in figures.by_kind.values()) == 0


def test_a_range_over_the_whole_file(sessions: tuple[Services, uuid.UUID, uuid.UUID]) -> None:
    """From the first session to the last, or far around them, as days or as whole 年度: the
    same figures, one person counted once however many years they came."""
    services, club, person = sessions
    other = services.people.create(PersonDraft(family_name="二人目", category="student")).id
    days = [date(2019, 4, 1), date(2020, 12, 24), date(2023, 3, 31), date(2024, 2, 29)]
    for day in days:
        _session(services, club, person, day)
    _session(services, club, other, date(2020, 12, 24))
    expected = (5, 5, 2, 2)
    for start, end in ((days[0], days[-1]), (date(1990, 1, 1), date(2060, 12, 31)),
                       fiscal_year_range(2019)[:1] + fiscal_year_range(2023)[1:],
                       (date(2000, 4, 1), date(2051, 3, 31))):
        with services.database.reading() as session:
            kept = period_figures(session, start, end)
            live = period_figures(session, start, end, use_kept=False)
        assert kept == live, (start, end)
        assert _totals(kept) == expected, (start, end)
        assert sum(cell.unique_persons for cell in kept.by_fiscal_year.values()) == 5


def test_years_outside_the_kept_spans_are_counted_live(
        sessions: tuple[Services, uuid.UUID, uuid.UUID]) -> None:
    services, club, person = sessions
    early = SPAN_FIRST_YEAR - 3
    _session(services, club, person, date(early, 10, 1))
    _session(services, club, person, date(2021, 10, 1))
    start, end = fiscal_year_range(early)[0], fiscal_year_range(2021)[1]
    with services.database.reading() as session:
        assert period_figures(session, start, end) == period_figures(
            session, start, end, use_kept=False)
        assert _totals(period_figures(session, start, end)) == (2, 2, 1, 1)


# --- a prefecture ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    services = Services(db)
    load_demo(services)
    yield services
    db.close()


def test_a_prefecture_holds_the_clubs_of_its_municipalities(demo: Services) -> None:
    """岩手県 (03): its own programme's 6 sessions and those of 一関市 and 釜石市."""
    iwate = demo.organizations.find_by_lgcode("030007")
    assert iwate is not None
    hosts = [demo.organizations.find_by_lgcode(code) for code in ("030007", "032093", "032115")]
    per_host = [demo.figures.fiscal_year(2019, FigureFilter(municipality_id=host.id)).total
                for host in hosts if host is not None]
    prefecture = demo.figures.fiscal_year(2019, FigureFilter(prefecture="03"))
    assert per_host[0].meetings_held == 6
    assert prefecture.total.meetings_held == sum(cell.meetings_held for cell in per_host) == 10
    assert prefecture.total.person_times == sum(cell.person_times for cell in per_host)
    assert prefecture.total.unique_persons <= sum(cell.unique_persons for cell in per_host)
    assert set(prefecture.by_municipality) == {host.id for host in hosts if host is not None}
    whole = demo.figures.fiscal_year(2019)
    hokkaido = demo.figures.fiscal_year(2019, FigureFilter(prefecture="01"))
    assert hokkaido.total.meetings_held == whole.total.meetings_held - 10
    held = demo.figures.held_attendance(*fiscal_year_range(2019), FigureFilter(prefecture="03"))
    assert held.person_times == prefecture.total.person_times
    assert len(held.meetings) == 10


def test_a_prefecture_without_its_own_organisation(services: Services) -> None:
    """Clubs of 一関市 count for 岩手県 even when 岩手県 itself is not in the file; a host
    without a code belongs to no prefecture."""
    city = services.organizations.create(OrganizationDraft(
        kind="municipality", name="岩手県一関市", lgcode="032093")).id
    uncoded = services.organizations.create(OrganizationDraft(
        kind="municipality", name="どこかの町")).id
    person = services.people.create(PersonDraft(family_name="一関", category="resident")).id
    for host in (city, uncoded):
        club = services.clubs.create(ClubDraft(name=f"クラブ{host}", host_municipality_id=host))
        _session(services, club.id, person, date(2021, 5, 1))
    assert services.figures.fiscal_year(2021, FigureFilter(prefecture="03")).total.person_times == 1
    assert services.figures.fiscal_year(2021).total.person_times == 2
