"""The tag filter of the figures (issue 17) equals a naive count by the documented rule: a tag
on clubs or sessions selects the sessions, a tag on people or organisations selects the
people, whatever the tags, the attendance and the period."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft

DATES = [date(2021, 3, 20), date(2021, 5, 1), date(2021, 9, 1), date(2022, 1, 10),
         date(2022, 4, 2)]


class Small:
    """Two clubs, five held sessions (one of them in each club's last), four people of two
    organisations, one tag."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.orgs = [services.organizations.create(OrganizationDraft(
            kind="company", name=f"会社{i}")).id for i in range(2)]
        self.clubs = [services.clubs.create(ClubDraft(name=f"クラブ{i}")).id for i in range(2)]
        self.meetings = [services.meetings.create(MeetingDraft(
            club_id=self.clubs[i % 2], title=f"会{i}", date=day, status="held")).id
            for i, day in enumerate(DATES)]
        self.people = [services.people.create(PersonDraft(
            family_name=f"山田{i}", organization_id=self.orgs[i % 2] if i < 3 else None)).id
            for i in range(4)]
        self.tag = services.tags.create("高校生").id
        self.org_of = {person: (self.orgs[i % 2] if i < 3 else None)
                       for i, person in enumerate(self.people)}
        self.club_of = {meeting: self.clubs[i % 2] for i, meeting in enumerate(self.meetings)}
        self.date_of = dict(zip(self.meetings, DATES, strict=True))


@pytest.fixture
def small(services: Services) -> Small:
    return Small(services)


def _naive(small: Small, attended: set[tuple[uuid.UUID, uuid.UUID]], tagged: set[uuid.UUID],
           start: date, end: date) -> tuple[int, int, int, int]:
    session_kinds = tagged & (set(small.clubs) | set(small.meetings))
    people_kinds = tagged & (set(small.people) | set(small.orgs))
    by_sessions = bool(session_kinds) or not people_kinds

    def session_in(meeting: uuid.UUID) -> bool:
        return not by_sessions or meeting in tagged or small.club_of[meeting] in tagged

    def person_in(person: uuid.UUID) -> bool:
        return not people_kinds or person in tagged or small.org_of[person] in tagged

    held = [m for m in small.meetings if start <= small.date_of[m] <= end and session_in(m)]
    rows = [(m, p) for m, p in attended if m in held and person_in(p)]
    firsts: dict[uuid.UUID, date] = {}
    for m, p in attended:
        if session_in(m) and person_in(p):
            firsts[p] = min(firsts.get(p, small.date_of[m]), small.date_of[m])
    new = sum(1 for day in firsts.values() if start <= day <= end)
    return len(held), len(rows), len({p for _m, p in rows}), new


choice = st.sampled_from
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(attendance=st.sets(st.tuples(st.integers(0, 4), st.integers(0, 3)), max_size=12),
       marks=st.sets(st.tuples(choice(["club", "meeting", "person", "organization"]),
                               st.integers(0, 4)), max_size=4),
       period=st.sampled_from([(date(2021, 4, 1), date(2022, 3, 31)),
                               (date(2021, 1, 1), date(2022, 12, 31)),
                               (date(2022, 1, 10), date(2022, 1, 10))]))
def test_tag_filter_equals_the_naive_count(small: Small, attendance: set[tuple[int, int]],
                                          marks: set[tuple[str, int]],
                                          period: tuple[date, date]) -> None:
    services = small.services
    wanted = {(small.meetings[m], small.people[p]) for m, p in attendance}
    for meeting in small.meetings:
        for person in small.people:
            if (meeting, person) in wanted:
                services.attendance.set(meeting, person, "attended")
            else:
                services.attendance.remove(meeting, person)
    pools = {"club": small.clubs, "meeting": small.meetings, "person": small.people,
             "organization": small.orgs}
    tagged: set[uuid.UUID] = set()
    for kind, pool in pools.items():
        for target in pool:
            on = any(kind == k and pool[i % len(pool)] == target for k, i in marks)
            services.tags.set_tags(kind, target, ["高校生"] if on else [])
            if on:
                tagged.add(target)
    figures = services.figures.period(*period, FigureFilter(tag_id=small.tag))
    total = figures.total
    assert (total.meetings_held, total.person_times, total.unique_persons,
            total.first_time_persons) == _naive(small, wanted, tagged, *period)
    drill = services.figures.held_attendance(*period, FigureFilter(tag_id=small.tag))
    assert drill.person_times == total.person_times
    assert len(drill.per_person) == total.unique_persons
    assert len(services.figures.first_time_people(
        *period, FigureFilter(tag_id=small.tag))) == total.first_time_persons


def test_a_deleted_tag_selects_nothing(small: Small) -> None:
    services = small.services
    services.attendance.set(small.meetings[1], small.people[0], "attended")
    services.tags.set_tags("person", small.people[0], ["高校生"])
    period = (date(2021, 4, 1), date(2022, 3, 31))
    assert services.figures.period(*period, FigureFilter(tag_id=small.tag)).total \
        .person_times == 1
    services.tags.delete(small.tag)
    assert services.figures.period(*period, FigureFilter(tag_id=small.tag)).total \
        .person_times == 0
    whole = services.figures.fiscal_year(2021, FigureFilter(tag_id=None)).total
    assert whole.person_times == 1
