"""Random programmes and the figure definitions computed the slow and obvious way.

Shared by the property tests of the figures (tests/core/test_figures.py,
tests/core/test_figure_periods.py): a scenario is written through the services, then the
figures of any period and scope are checked against :func:`oracle`, which reads nothing but
the scenario itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from hypothesis import strategies as st

from kankei_desktop.core.figures.compute import FigureFilter, Figures, FigureSet
from kankei_desktop.core.japan.fiscal import fiscal_year_of
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.vocabulary import MeetingKind

CATEGORIES = ("company_staff", "municipal_staff", "resident", "student", "other")
KINDS = tuple(kind.value for kind in MeetingKind)
#: Hosts: 北海道鷹栖町, 東京都千代田区 and 北海道 itself (a prefecture hosting a club).
HOSTS = (("北海道鷹栖町", "014524"), ("東京都千代田区", "131016"), ("北海道", "010006"))
#: club index → host index (two clubs share the town; one club has no host).
CLUB_HOSTS = (0, 1, 0, None, 2)
#: Prefecture number of each host.
HOST_PREFECTURE = tuple(code[:2] for _name, code in HOSTS)
BOUNDARY_DATES = (date(2020, 4, 1), date(2021, 3, 31), date(2021, 4, 1), date(2022, 3, 31),
                  date(2020, 2, 29))
FIRST_DAY, LAST_DAY = date(2019, 12, 1), date(2022, 5, 31)

Cells = tuple[int, int, int, int, int]


def counts(cell: FigureSet) -> Cells:
    """(開催回数, うちオンライン, 延べ人数, 実人数, 新規)."""
    return (cell.meetings_held, cell.meetings_online, cell.person_times, cell.unique_persons,
            cell.first_time_persons)


@dataclass(frozen=True)
class RandomMeeting:
    club: int
    day: date
    status: str
    format: str
    deleted: bool
    kind: str = "session"


@dataclass(frozen=True)
class Scenario:
    categories: tuple[str, ...]  # one per person
    organizations: tuple[int | None, ...]  # one per person: organisation index or none
    deleted_people: frozenset[int]
    deleted_organization: int | None
    meetings: tuple[RandomMeeting, ...]
    # (meeting index, person index) → (status, row removed afterwards)
    attendance: dict[tuple[int, int], tuple[str, bool]]


@dataclass(frozen=True)
class Scope:
    """A scope in scenario terms (indexes), as :class:`FigureFilter` holds ids."""

    club: int | None = None
    host: int | None = None
    prefecture: str | None = None
    category: str | None = None

    def figure_filter(self, built: Built) -> FigureFilter:
        return FigureFilter(
            club_id=None if self.club is None else built.clubs[self.club],
            municipality_id=None if self.host is None else built.hosts[self.host],
            prefecture=self.prefecture, category=self.category)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    people = draw(st.integers(min_value=1, max_value=5))
    categories = tuple(draw(st.sampled_from(CATEGORIES[:3])) for _ in range(people))
    organizations = tuple(draw(st.sampled_from((0, 1, None))) for _ in range(people))
    deleted_people = frozenset(
        draw(st.sets(st.integers(min_value=0, max_value=people - 1), max_size=1)))
    deleted_organization = draw(st.sampled_from((None, None, 0)))
    day = st.one_of(st.sampled_from(BOUNDARY_DATES), st.dates(FIRST_DAY, LAST_DAY))
    meetings = tuple(draw(st.lists(
        st.builds(
            RandomMeeting,
            club=st.integers(min_value=0, max_value=len(CLUB_HOSTS) - 1),
            day=day,
            status=st.sampled_from(("held", "held", "held", "planned", "cancelled")),
            format=st.sampled_from(("online", "onsite", "hybrid")),
            deleted=st.sampled_from((False, False, False, False, True)),
            kind=st.sampled_from(KINDS[:3]),
        ),
        min_size=1, max_size=8)))
    # each meeting gets its own attendance list, so most people meet more than once
    attendance: dict[tuple[int, int], tuple[str, bool]] = {}
    row = st.tuples(
        st.sampled_from(("attended", "attended", "attended", "absent", "excused")),
        st.sampled_from((False, False, False, False, True)),
    )
    for meeting_index in range(len(meetings)):
        for person, value in draw(
                st.dictionaries(st.integers(min_value=0, max_value=people - 1), row)).items():
            attendance[(meeting_index, person)] = value
    return Scenario(categories, organizations, deleted_people, deleted_organization, meetings,
                    attendance)


def periods() -> st.SearchStrategy[tuple[date, date]]:
    """Any range of days, or whole 年度 (one or several), inside the scenarios' dates."""
    days = st.one_of(st.sampled_from(BOUNDARY_DATES), st.dates(FIRST_DAY, LAST_DAY))
    ranges = st.tuples(days, days).map(lambda pair: (min(pair), max(pair)))
    years = st.tuples(st.integers(2019, 2022), st.integers(0, 2)).map(
        lambda pair: (date(pair[0], 4, 1), date(pair[0] + pair[1] + 1, 3, 31)))
    return st.one_of(ranges, years)


def scopes(scenario: Scenario) -> list[Scope]:
    """The whole programme and every kind of scope: a club, a municipality, two prefectures
    (北海道: 鷹栖町's clubs and 北海道's own; 東京都: 千代田区's) and a category."""
    return [Scope(), Scope(club=0), Scope(host=0), Scope(prefecture="01"),
            Scope(prefecture="13"), Scope(category=scenario.categories[0])]


@dataclass
class Built:
    clubs: list[uuid.UUID]
    hosts: list[uuid.UUID]
    organizations: list[uuid.UUID] = field(default_factory=list)


def build_scenario(services: Services, scenario: Scenario) -> Built:
    hosts = [services.organizations.create(OrganizationDraft(
        kind="prefecture" if code.endswith("0006") else "municipality", name=name,
        lgcode=code)).id for name, code in HOSTS]
    organizations = [services.organizations.create(OrganizationDraft(
        kind="company", name=f"会社{index}")).id for index in range(2)]
    clubs = [services.clubs.create(ClubDraft(
        name=f"クラブ{index}", host_municipality_id=None if host is None else hosts[host])).id
        for index, host in enumerate(CLUB_HOSTS)]
    people = [services.people.create(PersonDraft(
        family_name=f"参加者{index}", category=category,
        organization_id=None if org is None else organizations[org])).id
        for index, (category, org) in enumerate(
            zip(scenario.categories, scenario.organizations, strict=True))]
    meeting_ids = [services.meetings.create(MeetingDraft(
        club_id=clubs[meeting.club], title=f"会{index}", date=meeting.day,
        status=meeting.status, format=meeting.format, kind=meeting.kind)).id
        for index, meeting in enumerate(scenario.meetings)]
    for (meeting_index, person_index), (status, removed) in scenario.attendance.items():
        services.attendance.set(meeting_ids[meeting_index], people[person_index], status)
        if removed:
            services.attendance.remove(meeting_ids[meeting_index], people[person_index])
    for index, meeting in enumerate(scenario.meetings):
        if meeting.deleted:
            services.meetings.delete(meeting_ids[index])
    for index in scenario.deleted_people:
        services.people.delete(people[index])
    if scenario.deleted_organization is not None:
        services.organizations.delete(organizations[scenario.deleted_organization])
    return Built(clubs, hosts, organizations)


@dataclass
class Oracle:
    total: Cells
    recorded: int
    organizations: int
    by_club: dict[int, Cells]
    by_host: dict[int | None, Cells]
    by_category: dict[str, tuple[int, int, int]]
    by_month: dict[tuple[int, int], Cells]
    by_kind: dict[str, tuple[int, int, int, int]]
    by_year: dict[int, tuple[Cells, int, int]]  # cells, recorded, organisations
    by_organization: dict[int, tuple[int, int]]  # 延べ, 実


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months, (year, month) = [], (start.year, start.month)
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def oracle(scenario: Scenario, start: date, end: date, scope: Scope | None = None) -> Oracle:
    """The figure definitions (core/figures/rule.py, scope.py) computed the obvious way."""
    scope = scope or Scope()

    def in_scope(meeting: RandomMeeting) -> bool:
        host = CLUB_HOSTS[meeting.club]
        return ((scope.club is None or meeting.club == scope.club)
                and (scope.host is None or host == scope.host)
                and (scope.prefecture is None
                     or (host is not None and HOST_PREFECTURE[host] == scope.prefecture)))

    def meeting_counts(meeting: RandomMeeting) -> bool:
        return meeting.status == "held" and not meeting.deleted and in_scope(meeting)

    def in_period(day: date) -> bool:
        return start <= day <= end

    def person_counts(person: int) -> bool:
        return person not in scenario.deleted_people and (
            scope.category is None or scenario.categories[person] == scope.category)

    held = [m for m in scenario.meetings if meeting_counts(m) and in_period(m.day)]
    live_rows = [
        (person, scenario.meetings[meeting_index], status)
        for (meeting_index, person), (status, removed) in scenario.attendance.items()
        if not removed and person_counts(person)
        and meeting_counts(scenario.meetings[meeting_index])]
    # every counted attendance row ever (any period), as (person, meeting)
    rows = [(person, meeting) for person, meeting, status in live_rows if status == "attended"]
    period_rows = [(person, meeting) for person, meeting in rows if in_period(meeting.day)]
    recorded_rows = [(person, meeting) for person, meeting, _status in live_rows
                     if in_period(meeting.day)]

    def first_day(person: int, within: Callable[[RandomMeeting], bool] = lambda _m: True
                  ) -> date:
        """The person's first counted attendance ever (among meetings ``within``)."""
        return min(meeting.day for who, meeting in rows if who == person and within(meeting))

    def cell(meetings: list[RandomMeeting], cell_rows: list[tuple[int, RandomMeeting]],
             first_time: int) -> Cells:
        return (len(meetings), sum(1 for m in meetings if m.format in ("online", "hybrid")),
                len(cell_rows), len({person for person, _meeting in cell_rows}), first_time)

    def organisation(person: int) -> int | None:
        org = scenario.organizations[person]
        return None if org is None or org == scenario.deleted_organization else org

    def organisations(cell_rows: list[tuple[int, RandomMeeting]]) -> int:
        return len({organisation(p) for p, _m in cell_rows} - {None})

    people = {person for person, _meeting in period_rows}
    newcomers = {person for person in people if in_period(first_day(person))}
    total = cell(held, period_rows, len(newcomers))

    def host_of(meeting: RandomMeeting) -> int | None:
        return CLUB_HOSTS[meeting.club]

    by_club: dict[int, Cells] = {}
    for index in range(len(CLUB_HOSTS)):
        club_rows = [(p, m) for p, m in period_rows if m.club == index]
        new = {p for p, _m in club_rows
               if in_period(first_day(p, lambda m, c=index: m.club == c))}
        by_club[index] = cell([m for m in held if m.club == index], club_rows, len(new))
    by_host: dict[int | None, Cells] = {}
    for host in (*range(len(HOSTS)), None):
        host_rows = [(p, m) for p, m in period_rows if host_of(m) == host]
        new = {p for p, _m in host_rows
               if in_period(first_day(p, lambda m, h=host: host_of(m) == h))}
        by_host[host] = cell([m for m in held if host_of(m) == host], host_rows, len(new))
    by_category: dict[str, tuple[int, int, int]] = {}
    for name in CATEGORIES:
        category_rows = [(p, m) for p, m in period_rows if scenario.categories[p] == name]
        by_category[name] = cell([], category_rows, sum(
            1 for p in newcomers if scenario.categories[p] == name))[2:]
    first_month: dict[tuple[int, int], int] = {}
    for person in newcomers:
        day = first_day(person)
        first_month[(day.year, day.month)] = first_month.get((day.year, day.month), 0) + 1
    by_month = {
        month: cell([m for m in held if (m.day.year, m.day.month) == month],
                    [(p, m) for p, m in period_rows if (m.day.year, m.day.month) == month],
                    first_month.get(month, 0))
        for month in _months(start, end)}
    by_kind = {kind: cell([m for m in held if m.kind == kind],
                          [(p, m) for p, m in period_rows if m.kind == kind], 0)[:4]
               for kind in KINDS}
    by_year = {}
    for year in range(fiscal_year_of(start), fiscal_year_of(end) + 1):
        year_rows = [(p, m) for p, m in period_rows if fiscal_year_of(m.day) == year]
        new = sum(1 for p in newcomers if fiscal_year_of(first_day(p)) == year)
        by_year[year] = (
            cell([m for m in held if fiscal_year_of(m.day) == year], year_rows, new),
            sum(1 for _p, m in recorded_rows if fiscal_year_of(m.day) == year),
            organisations(year_rows))
    by_organization = {}
    for org in range(2):
        org_rows = [(p, m) for p, m in period_rows if organisation(p) == org]
        if org_rows:
            by_organization[org] = (len(org_rows), len({p for p, _m in org_rows}))
    return Oracle(total, len(recorded_rows), organisations(period_rows), by_club, by_host,
                  by_category, by_month, by_kind, by_year, by_organization)


def assert_matches(figures: Figures, expected: Oracle, built: Built) -> None:
    """Every figure and breakdown equals the oracle's."""
    assert counts(figures.total) == expected.total
    assert figures.total.recorded == expected.recorded
    assert figures.organizations_attending == expected.organizations
    for index, club_id in enumerate(built.clubs):
        assert counts(figures.by_club.get(club_id, FigureSet())) == expected.by_club[index], (
            f"club {index}")
    for host, cells in expected.by_host.items():
        key = None if host is None else built.hosts[host]
        assert counts(figures.by_municipality.get(key, FigureSet())) == cells, f"host {host}"
    for name, people_cells in expected.by_category.items():
        cell = figures.by_category[name]
        assert (cell.person_times, cell.unique_persons, cell.first_time_persons) == (
            people_cells), name
    assert list(figures.by_month) == list(expected.by_month)
    for month, cells in expected.by_month.items():
        assert counts(figures.by_month[month]) == cells, month
    assert set(figures.by_kind) == set(KINDS)
    for kind, kind_cells in expected.by_kind.items():
        assert counts(figures.by_kind[kind])[:4] == kind_cells, kind
    assert sum(cell.meetings_held for cell in figures.by_kind.values()) == (
        figures.total.meetings_held)
    assert list(figures.by_fiscal_year) == list(expected.by_year)
    for year, (cells, recorded, organizations) in expected.by_year.items():
        cell = figures.by_fiscal_year[year]
        assert (counts(cell), cell.recorded, cell.organizations) == (
            cells, recorded, organizations), year
    assert {org: (cell.person_times, cell.unique_persons)
            for org, cell in figures.by_organization.items()} == {
        built.organizations[org]: cells for org, cells in expected.by_organization.items()}
