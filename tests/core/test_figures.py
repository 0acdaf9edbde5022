"""The programme's figures: 開催回数, オンライン活用率, 延べ人数, 実人数, 新規, breakdowns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from kankei_desktop.core.figures.compute import FigureFilter, Figures, FigureSet
from kankei_desktop.core.japan.fiscal import fiscal_year_months, fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from tests.core import figures_oracle as oracle_module
from tests.engines import scratch_database

#: the figures on a shared database too: computed live there (tests/engines.py)
BOTH_ENGINES = True

CATEGORIES = ("company_staff", "municipal_staff", "resident", "student", "other")


def counts(cell: FigureSet) -> tuple[int, int, int, int, int]:
    """(開催回数, うちオンライン, 延べ人数, 実人数, 新規)."""
    return (
        cell.meetings_held,
        cell.meetings_online,
        cell.person_times,
        cell.unique_persons,
        cell.first_time_persons,
    )


def people_counts(cell: FigureSet) -> tuple[int, int, int]:
    """(延べ人数, 実人数, 新規)."""
    return (cell.person_times, cell.unique_persons, cell.first_time_persons)


ZERO = (0, 0, 0, 0, 0)


# --- a hand-built data set with known answers ------------------------------------------------


@dataclass
class Programme:
    """Ids of the hand-built data set."""

    town: uuid.UUID  # 北海道鷹栖町, host of club A
    ward: uuid.UUID  # 東京都千代田区, host of club B
    club_a: uuid.UUID
    club_b: uuid.UUID
    sato: uuid.UUID  # company_staff, in both clubs, first attended 2021-04-01
    suzuki: uuid.UUID  # resident, first attended 2021-03-31 (FY2020) in A, new to B in FY2021
    takahashi: uuid.UUID  # student, attended a cancelled FY2020 meeting only → new in FY2021
    tanaka: uuid.UUID  # municipal_staff, only absent / excused / cancelled
    ito: uuid.UUID  # deleted person who attended in FY2021
    watanabe: uuid.UUID  # company_staff, removed row + planned meeting in FY2021, FY2022 attendee
    deleted_meeting: uuid.UUID


def build_programme(services: Services) -> Programme:
    orgs, clubs, people, meetings = (
        services.organizations,
        services.clubs,
        services.people,
        services.meetings,
    )
    town = orgs.create(
        OrganizationDraft(kind="municipality", name="北海道鷹栖町", lgcode="014524")
    ).id
    ward = orgs.create(
        OrganizationDraft(kind="municipality", name="東京都千代田区", lgcode="131016")
    ).id
    club_a = clubs.create(ClubDraft(name="鷹栖 放課後企業クラブ", host_municipality_id=town)).id
    club_b = clubs.create(ClubDraft(name="千代田 共創ラボ", host_municipality_id=ward)).id

    def person(name: str, category: str) -> uuid.UUID:
        return people.create(PersonDraft(family_name=name, category=category)).id

    sato = person("佐藤", "company_staff")
    suzuki = person("鈴木", "resident")
    takahashi = person("高橋", "student")
    tanaka = person("田中", "municipal_staff")
    ito = person("伊藤", "resident")
    watanabe = person("渡辺", "company_staff")

    def meeting(club: uuid.UUID, day: date, status: str, fmt: str, **attendance: str
                ) -> uuid.UUID:
        meeting_id = meetings.create(
            MeetingDraft(club_id=club, title=f"定例会 {day}", date=day, status=status, format=fmt)
        ).id
        names = {"sato": sato, "suzuki": suzuki, "takahashi": takahashi, "tanaka": tanaka,
                 "ito": ito, "watanabe": watanabe}
        for name, attendance_status in attendance.items():
            services.attendance.set(meeting_id, names[name], attendance_status)
        return meeting_id

    # FY2020
    meeting(club_a, date(2020, 10, 1), "cancelled", "onsite", takahashi="attended")
    meeting(club_a, date(2021, 3, 31), "held", "onsite", suzuki="attended")
    # FY2021
    meeting(club_a, date(2021, 4, 1), "held", "online",
            sato="attended", suzuki="attended", takahashi="attended", tanaka="absent")
    meeting(club_a, date(2021, 7, 15), "held", "onsite",
            sato="attended", takahashi="attended", tanaka="excused", ito="attended")
    m3 = meeting(club_b, date(2021, 7, 20), "held", "hybrid",
                 sato="attended", suzuki="attended", watanabe="attended")
    services.attendance.remove(m3, watanabe)  # a deleted attendance row
    meeting(club_b, date(2022, 3, 31), "held", "online", suzuki="attended", sato="absent")
    meeting(club_a, date(2021, 9, 1), "cancelled", "onsite", sato="attended", tanaka="attended")
    meeting(club_b, date(2021, 10, 10), "planned", "online", watanabe="attended")
    deleted_meeting = meeting(club_a, date(2021, 11, 11), "held", "onsite",
                              sato="attended", takahashi="attended", tanaka="attended")
    meetings.delete(deleted_meeting)
    # FY2022
    meeting(club_b, date(2022, 4, 1), "held", "online", watanabe="attended", sato="attended")

    people.delete(ito)
    return Programme(town, ward, club_a, club_b, sato, suzuki, takahashi, tanaka, ito, watanabe,
                     deleted_meeting)


@pytest.fixture
def programme(services: Services) -> Programme:
    return build_programme(services)


def test_fiscal_year_totals(services: Services, programme: Programme) -> None:
    figures = services.figures.fiscal_year(2021)

    assert figures.fiscal_year == 2021
    assert (figures.date_from, figures.date_to) == (date(2021, 4, 1), date(2022, 3, 31))
    total = figures.total
    # held: 4/1 online, 7/15 onsite, 7/20 hybrid, 3/31 online (cancelled, planned, deleted: no)
    assert total.meetings_held == 4
    assert total.meetings_online == 3  # hybrid counts as online
    assert total.online_rate == pytest.approx(0.75)
    # 3 + 2 (伊藤 deleted, 田中 excused) + 2 (渡辺 removed) + 1 (佐藤 absent)
    assert total.person_times == 8
    assert total.unique_persons == 3  # 佐藤, 鈴木, 高橋
    assert total.first_time_persons == 2  # 佐藤, 高橋 (鈴木 came on 2021-03-31)


def test_breakdown_by_club(services: Services, programme: Programme) -> None:
    by_club = services.figures.fiscal_year(2021).by_club

    assert set(by_club) == {programme.club_a, programme.club_b}
    # A: 4/1 (佐藤 鈴木 高橋) + 7/15 (佐藤 高橋); new to A: 佐藤, 高橋
    assert counts(by_club[programme.club_a]) == (2, 1, 5, 3, 2)
    # B: 7/20 (佐藤 鈴木) + 3/31 (鈴木); both new to B, 鈴木 included
    assert counts(by_club[programme.club_b]) == (2, 2, 3, 2, 2)
    assert by_club[programme.club_b].online_rate == pytest.approx(1.0)


def test_breakdown_by_municipality(services: Services, programme: Programme) -> None:
    by_municipality = services.figures.fiscal_year(2021).by_municipality

    assert set(by_municipality) == {programme.town, programme.ward}
    assert counts(by_municipality[programme.town]) == (2, 1, 5, 3, 2)
    assert counts(by_municipality[programme.ward]) == (2, 2, 3, 2, 2)


def test_breakdown_by_category(services: Services, programme: Programme) -> None:
    by_category = services.figures.fiscal_year(2021).by_category

    assert set(by_category) == set(CATEGORIES)
    assert people_counts(by_category["company_staff"]) == (3, 1, 1)  # 佐藤
    assert people_counts(by_category["resident"]) == (3, 1, 0)  # 鈴木 (伊藤 deleted)
    assert people_counts(by_category["student"]) == (2, 1, 1)  # 高橋
    assert people_counts(by_category["municipal_staff"]) == (0, 0, 0)  # 田中 never attended
    assert people_counts(by_category["other"]) == (0, 0, 0)


def test_breakdown_by_month(services: Services, programme: Programme) -> None:
    by_month = services.figures.fiscal_year(2021).by_month

    assert list(by_month) == fiscal_year_months(2021)
    assert next(iter(by_month)) == (2021, 4)
    assert counts(by_month[(2021, 4)]) == (1, 1, 3, 3, 2)
    assert counts(by_month[(2021, 7)]) == (2, 1, 4, 3, 0)
    assert counts(by_month[(2022, 3)]) == (1, 1, 1, 1, 0)
    for month in ((2021, 5), (2021, 6), (2021, 8), (2021, 9), (2021, 10), (2021, 11),
                  (2021, 12), (2022, 1), (2022, 2)):
        assert counts(by_month[month]) == ZERO, month
    assert by_month[(2021, 9)].online_rate is None


def test_filter_by_club(services: Services, programme: Programme) -> None:
    club_b = services.figures.fiscal_year(2021, FigureFilter(club_id=programme.club_b))
    assert counts(club_b.total) == (2, 2, 3, 2, 2)  # 鈴木 is new to this club
    assert counts(club_b.by_club.get(programme.club_a, FigureSet())) == ZERO
    assert counts(club_b.by_club[programme.club_b]) == (2, 2, 3, 2, 2)

    club_a = services.figures.fiscal_year(2021, FigureFilter(club_id=programme.club_a))
    assert counts(club_a.total) == (2, 1, 5, 3, 2)
    assert sum(cell.first_time_persons for cell in club_a.by_month.values()) == 2


def test_filter_by_municipality(services: Services, programme: Programme) -> None:
    town = services.figures.fiscal_year(2021, FigureFilter(municipality_id=programme.town))
    assert counts(town.total) == (2, 1, 5, 3, 2)
    ward = services.figures.fiscal_year(2021, FigureFilter(municipality_id=programme.ward))
    assert counts(ward.total) == (2, 2, 3, 2, 2)
    assert counts(ward.by_municipality[programme.ward]) == (2, 2, 3, 2, 2)


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("company_staff", (4, 3, 3, 1, 1)),
        ("resident", (4, 3, 3, 1, 0)),
        ("student", (4, 3, 2, 1, 1)),
        ("municipal_staff", (4, 3, 0, 0, 0)),
    ],
)
def test_filter_by_category_changes_people_not_meetings(
    services: Services, programme: Programme, category: str, expected: tuple[int, ...]
) -> None:
    figures = services.figures.fiscal_year(2021, FigureFilter(category=category))
    assert counts(figures.total) == expected


def test_fiscal_year_boundaries(services: Services, programme: Programme) -> None:
    fy2020 = services.figures.fiscal_year(2020).total
    # 2021-03-31 belongs to FY2020; the cancelled 2020-10-01 meeting does not count
    assert counts(fy2020) == (1, 0, 1, 1, 1)
    assert fy2020.online_rate == 0.0

    fy2022 = services.figures.fiscal_year(2022).total
    # 2022-04-01: 渡辺 (never attended a held meeting before) and 佐藤 (not new)
    assert counts(fy2022) == (1, 1, 2, 2, 1)
    assert fy2022.online_rate == pytest.approx(1.0)


def test_nothing_held_gives_no_online_rate(services: Services, programme: Programme) -> None:
    figures = services.figures.fiscal_year(2019)
    assert counts(figures.total) == ZERO
    assert figures.total.online_rate is None
    assert len(figures.by_month) == 12
    assert all(cell.online_rate is None for cell in figures.by_month.values())


def test_empty_file_gives_zeros(services: Services) -> None:
    figures = services.figures.fiscal_year(2021)
    assert counts(figures.total) == ZERO
    assert figures.total.online_rate is None
    assert figures.by_club == {}
    assert list(figures.by_month) == fiscal_year_months(2021)


def test_period_bounds_are_inclusive(services: Services, programme: Programme) -> None:
    figures = services.figures.period(date(2021, 3, 31), date(2021, 4, 1))
    assert figures.total.meetings_held == 2
    assert figures.total.person_times == 4  # 鈴木 on 3/31, 佐藤 鈴木 高橋 on 4/1
    assert figures.total.first_time_persons == 3  # 鈴木's first is 3/31, inside this period


def test_restored_meeting_and_person_count_again(services: Services, programme: Programme
                                                 ) -> None:
    services.meetings.restore(programme.deleted_meeting)  # 11/11: 佐藤 高橋 田中 attended
    services.people.restore(programme.ito)  # 7/15
    total = services.figures.fiscal_year(2021).total
    assert counts(total) == (5, 3, 8 + 3 + 1, 5, 4)  # 田中 and 伊藤 are new too


def test_meetings_of_a_deleted_club_do_not_count(services: Services, programme: Programme
                                                 ) -> None:
    services.clubs.delete(programme.club_b)
    total = services.figures.fiscal_year(2021).total
    assert counts(total) == (2, 1, 5, 3, 2)


def test_changing_attendance_changes_the_figures(services: Services, programme: Programme
                                                 ) -> None:
    meeting = services.meetings.find(date_from=date(2022, 3, 31), date_to=date(2022, 3, 31))[0]
    services.attendance.set(meeting.id, programme.sato, "attended")  # was absent
    services.meetings.set_status(meeting.id, "held")
    assert services.figures.fiscal_year(2021).total.person_times == 9
    services.meetings.set_status(meeting.id, "cancelled")
    total = services.figures.fiscal_year(2021).total
    assert (total.meetings_held, total.person_times) == (3, 7)


# --- property test against a naive oracle (tests/core/figures_oracle.py) --------------------


def _check_invariants(figures: Figures) -> None:
    total = figures.total
    assert sum(c.person_times for c in figures.by_club.values()) == total.person_times
    assert sum(c.meetings_held for c in figures.by_club.values()) == total.meetings_held
    assert sum(c.first_time_persons for c in figures.by_month.values()) == (
        total.first_time_persons)
    assert sum(c.person_times for c in figures.by_month.values()) == total.person_times
    assert sum(c.person_times for c in figures.by_kind.values()) == total.person_times
    assert sum(c.person_times for c in figures.by_fiscal_year.values()) == total.person_times
    assert sum(c.recorded for c in figures.by_fiscal_year.values()) == total.recorded
    assert total.unique_persons <= total.person_times
    assert total.first_time_persons <= total.unique_persons
    assert total.meetings_online <= total.meetings_held
    assert total.person_times <= total.recorded
    assert figures.organizations_attending <= total.unique_persons
    if total.meetings_held == 0:
        assert total.online_rate is None
    else:
        assert total.online_rate == pytest.approx(total.meetings_online / total.meetings_held)
    if total.recorded == 0:
        assert figures.attendance_rate is None
    else:
        assert 0 <= figures.attendance_rate <= 1  # type: ignore[operator]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenario=oracle_module.scenarios(), period=oracle_module.periods())
def test_figures_match_a_naive_oracle(scenario: oracle_module.Scenario,
                                      period: tuple[date, date], engine_name: str,
                                      request: pytest.FixtureRequest) -> None:
    """Any 年度, several 年度 or range of days; the whole programme and one scope (a club, a
    municipality, a prefecture or a category): every figure and breakdown equals the
    definitions computed naively from the rows, read from the kept tables or grouped live."""
    with scratch_database(engine_name, request) as database:
        services = Services(database)
        built = oracle_module.build_scenario(services, scenario)
        for fiscal_year in (2019, 2020, 2021):
            figures = services.figures.fiscal_year(fiscal_year)
            start, end = fiscal_year_range(fiscal_year)
            oracle_module.assert_matches(
                figures, oracle_module.oracle(scenario, start, end), built)
            _check_invariants(figures)
        for start, end in (period, (oracle_module.FIRST_DAY, oracle_module.LAST_DAY)):
            for checked in oracle_module.scopes(scenario):
                figures = services.figures.period(start, end, checked.figure_filter(built))
                oracle_module.assert_matches(
                    figures, oracle_module.oracle(scenario, start, end, checked), built)
                _check_invariants(figures)
