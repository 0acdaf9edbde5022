"""The programme's figures: 開催回数, オンライン活用率, 延べ人数, 実人数, 新規, breakdowns."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kankei_desktop.core.figures.compute import FigureFilter, Figures, FigureSet
from kankei_desktop.core.japan.fiscal import fiscal_year_months, fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from tests.engines import scratch_database

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


# --- property test against a naive oracle ----------------------------------------------------

BOUNDARY_DATES = (date(2020, 4, 1), date(2021, 3, 31), date(2021, 4, 1), date(2022, 3, 31))
CLUB_HOSTS = (0, 1, 0, None)  # club index → municipality index (two clubs share the town)


@dataclass(frozen=True)
class RandomMeeting:
    club: int
    day: date
    status: str
    format: str
    deleted: bool


@dataclass(frozen=True)
class Scenario:
    categories: tuple[str, ...]  # one per person
    deleted_people: frozenset[int]
    meetings: tuple[RandomMeeting, ...]
    # (meeting index, person index) → (status, row removed afterwards)
    attendance: dict[tuple[int, int], tuple[str, bool]]
    filter_kind: str


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    people = draw(st.integers(min_value=1, max_value=5))
    categories = tuple(draw(st.sampled_from(CATEGORIES[:3])) for _ in range(people))
    deleted_people = frozenset(
        draw(st.sets(st.integers(min_value=0, max_value=people - 1), max_size=1))
    )
    day = st.one_of(
        st.sampled_from(BOUNDARY_DATES), st.dates(date(2020, 4, 1), date(2022, 3, 31))
    )
    meetings = tuple(
        draw(
            st.lists(
                st.builds(
                    RandomMeeting,
                    club=st.integers(min_value=0, max_value=len(CLUB_HOSTS) - 1),
                    day=day,
                    status=st.sampled_from(("held", "held", "held", "planned", "cancelled")),
                    format=st.sampled_from(("online", "onsite", "hybrid")),
                    deleted=st.sampled_from((False, False, False, False, True)),
                ),
                min_size=1,
                max_size=8,
            )
        )
    )
    # each meeting gets its own attendance list, so most people meet more than once
    attendance: dict[tuple[int, int], tuple[str, bool]] = {}
    row = st.tuples(
        st.sampled_from(("attended", "attended", "attended", "absent", "excused")),
        st.sampled_from((False, False, False, False, True)),
    )
    for meeting_index in range(len(meetings)):
        for person, value in draw(
            st.dictionaries(st.integers(min_value=0, max_value=people - 1), row)
        ).items():
            attendance[(meeting_index, person)] = value
    filter_kind = draw(st.sampled_from(("club", "municipality", "category")))
    return Scenario(categories, deleted_people, meetings, attendance, filter_kind)


@dataclass
class Built:
    clubs: list[uuid.UUID]
    municipalities: list[uuid.UUID]


def build_scenario(services: Services, scenario: Scenario) -> Built:
    municipalities = [
        services.organizations.create(
            OrganizationDraft(kind="municipality", name=name, lgcode=code)
        ).id
        for name, code in (("北海道鷹栖町", "014524"), ("東京都千代田区", "131016"))
    ]
    clubs = [
        services.clubs.create(
            ClubDraft(
                name=f"クラブ{index}",
                host_municipality_id=None if host is None else municipalities[host],
            )
        ).id
        for index, host in enumerate(CLUB_HOSTS)
    ]
    people = [
        services.people.create(PersonDraft(family_name=f"参加者{index}", category=category)).id
        for index, category in enumerate(scenario.categories)
    ]
    meeting_ids = [
        services.meetings.create(
            MeetingDraft(
                club_id=clubs[meeting.club],
                title=f"会{index}",
                date=meeting.day,
                status=meeting.status,
                format=meeting.format,
            )
        ).id
        for index, meeting in enumerate(scenario.meetings)
    ]
    for (meeting_index, person_index), (status, removed) in scenario.attendance.items():
        services.attendance.set(meeting_ids[meeting_index], people[person_index], status)
        if removed:
            services.attendance.remove(meeting_ids[meeting_index], people[person_index])
    for index, meeting in enumerate(scenario.meetings):
        if meeting.deleted:
            services.meetings.delete(meeting_ids[index])
    for index in scenario.deleted_people:
        services.people.delete(people[index])
    return Built(clubs, municipalities)


@dataclass
class Oracle:
    total: tuple[int, int, int, int, int]
    by_club: dict[int, tuple[int, int, int, int, int]]
    by_municipality: dict[int | None, tuple[int, int, int, int, int]]
    by_category: dict[str, tuple[int, int, int]]
    by_month: dict[tuple[int, int], tuple[int, int, int, int, int]]


def oracle(
    scenario: Scenario,
    fiscal_year: int,
    *,
    club: int | None = None,
    municipality: int | None = None,
    category: str | None = None,
) -> Oracle:
    """The figure definitions (core/figures/rule.py), computed the slow and obvious way."""
    start, end = fiscal_year_range(fiscal_year)

    def meeting_counts(meeting: RandomMeeting) -> bool:
        return (
            meeting.status == "held"
            and not meeting.deleted
            and (club is None or meeting.club == club)
            and (municipality is None or CLUB_HOSTS[meeting.club] == municipality)
        )

    def in_period(day: date) -> bool:
        return start <= day <= end

    held = [m for m in scenario.meetings if meeting_counts(m) and in_period(m.day)]
    # every counted attendance row ever (any period), as (person, meeting)
    rows = [
        (person, scenario.meetings[meeting_index])
        for (meeting_index, person), (status, removed) in scenario.attendance.items()
        if status == "attended"
        and not removed
        and person not in scenario.deleted_people
        and (category is None or scenario.categories[person] == category)
        and meeting_counts(scenario.meetings[meeting_index])
    ]
    period_rows = [(person, meeting) for person, meeting in rows if in_period(meeting.day)]

    def first_day(person: int, within: Callable[[RandomMeeting], bool] = lambda _m: True
                  ) -> date:
        """The person's first counted attendance ever (among meetings ``within``)."""
        return min(meeting.day for who, meeting in rows if who == person and within(meeting))

    def cell(meetings: list[RandomMeeting], cell_rows: list[tuple[int, RandomMeeting]],
             first_time: int) -> tuple[int, int, int, int, int]:
        return (
            len(meetings),
            sum(1 for m in meetings if m.format in ("online", "hybrid")),
            len(cell_rows),
            len({person for person, _meeting in cell_rows}),
            first_time,
        )

    people = {person for person, _meeting in period_rows}
    newcomers = {person for person in people if in_period(first_day(person))}
    total = cell(held, period_rows, len(newcomers))

    def host_of(meeting: RandomMeeting) -> int | None:
        return CLUB_HOSTS[meeting.club]

    by_club: dict[int, tuple[int, int, int, int, int]] = {}
    for index in range(len(CLUB_HOSTS)):
        club_rows = [(p, m) for p, m in period_rows if m.club == index]
        new = {
            p for p, _m in club_rows
            if in_period(first_day(p, lambda m, c=index: m.club == c))
        }
        by_club[index] = cell([m for m in held if m.club == index], club_rows, len(new))
    by_municipality: dict[int | None, tuple[int, int, int, int, int]] = {}
    for host in (0, 1, None):
        host_rows = [(p, m) for p, m in period_rows if host_of(m) == host]
        new = {
            p for p, _m in host_rows
            if in_period(first_day(p, lambda m, h=host: host_of(m) == h))
        }
        by_municipality[host] = cell([m for m in held if host_of(m) == host], host_rows,
                                     len(new))
    by_category: dict[str, tuple[int, int, int]] = {}
    for name in CATEGORIES:
        category_rows = [(p, m) for p, m in period_rows if scenario.categories[p] == name]
        by_category[name] = cell([], category_rows,
                                 sum(1 for p in newcomers if scenario.categories[p] == name))[2:]
    by_month: dict[tuple[int, int], tuple[int, int, int, int, int]] = {}
    first_month: dict[tuple[int, int], int] = defaultdict(int)
    for person in newcomers:
        day = first_day(person)
        first_month[(day.year, day.month)] += 1
    for month in fiscal_year_months(fiscal_year):
        month_rows = [(p, m) for p, m in period_rows if (m.day.year, m.day.month) == month]
        month_held = [m for m in held if (m.day.year, m.day.month) == month]
        by_month[month] = cell(month_held, month_rows, first_month[month])
    return Oracle(total, by_club, by_municipality, by_category, by_month)


def assert_matches(figures: Figures, expected: Oracle, built: Built) -> None:
    assert counts(figures.total) == expected.total
    for index, club_id in enumerate(built.clubs):
        assert counts(figures.by_club.get(club_id, FigureSet())) == expected.by_club[index], (
            f"club {index}"
        )
    for host, cells in expected.by_municipality.items():
        key = None if host is None else built.municipalities[host]
        assert counts(figures.by_municipality.get(key, FigureSet())) == cells, f"host {host}"
    for name, cells3 in expected.by_category.items():
        assert people_counts(figures.by_category[name]) == cells3, name
    assert list(figures.by_month) == list(expected.by_month)
    for month, cells in expected.by_month.items():
        assert counts(figures.by_month[month]) == cells, month


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenario=scenarios())
def test_figures_match_a_naive_oracle(scenario: Scenario, engine_name: str,
                                      request: pytest.FixtureRequest) -> None:
    with scratch_database(engine_name, request) as database:
        if True:
            services = Services(database)
            built = build_scenario(services, scenario)
            for fiscal_year in (2020, 2021):
                figures = services.figures.fiscal_year(fiscal_year)
                assert_matches(figures, oracle(scenario, fiscal_year), built)

                total = figures.total
                assert sum(c.person_times for c in figures.by_club.values()) == total.person_times
                assert sum(c.meetings_held for c in figures.by_club.values()) == (
                    total.meetings_held
                )
                assert sum(c.first_time_persons for c in figures.by_month.values()) == (
                    total.first_time_persons
                )
                assert sum(c.person_times for c in figures.by_month.values()) == (
                    total.person_times
                )
                assert total.unique_persons <= total.person_times
                assert total.first_time_persons <= total.unique_persons
                assert total.meetings_online <= total.meetings_held
                if total.meetings_held == 0:
                    assert total.online_rate is None
                else:
                    assert total.online_rate == pytest.approx(
                        total.meetings_online / total.meetings_held
                    )

            if scenario.filter_kind == "club":
                flt, expected = FigureFilter(club_id=built.clubs[0]), oracle(scenario, 2021,
                                                                               club=0)
            elif scenario.filter_kind == "municipality":
                flt = FigureFilter(municipality_id=built.municipalities[0])
                expected = oracle(scenario, 2021, municipality=0)
            else:
                flt = FigureFilter(category=scenario.categories[0])
                expected = oracle(scenario, 2021, category=scenario.categories[0])
            filtered = services.figures.fiscal_year(2021, flt)
            assert counts(filtered.total) == expected.total
