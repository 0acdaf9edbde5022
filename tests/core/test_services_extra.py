"""Service methods added for the window: the drill-down's one-query reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.models import Club, Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft

BOTH_ENGINES = True


def _data(services: Services) -> dict[str, Any]:
    town = services.organizations.ensure_municipality("014524")
    club_a = services.clubs.create(ClubDraft(name="A", host_municipality_id=town.id))
    club_b = services.clubs.create(ClubDraft(name="B"))
    gone_club = services.clubs.create(ClubDraft(name="消えたクラブ"))
    services.organizations.create(OrganizationDraft(kind="company", name="会社"))
    sato = services.people.create(PersonDraft(family_name="佐藤", family_reading="さとう"))
    abe = services.people.create(PersonDraft(family_name="阿部", family_reading="あべ",
                                             category="student"))
    gone = services.people.create(PersonDraft(family_name="削除", family_reading="さくじょ"))

    def meeting(club: Club, day: date, status: str = "held") -> Meeting:
        return services.meetings.create(MeetingDraft(
            club_id=club.id, title=f"{day}", date=day, status=status))

    early = meeting(club_a, date(2021, 3, 31))  # FY2020
    first = meeting(club_a, date(2021, 5, 1))
    second = meeting(club_b, date(2021, 6, 1))
    planned = meeting(club_a, date(2021, 7, 1), "planned")
    deleted_meeting = meeting(club_a, date(2021, 8, 1))
    of_gone_club = meeting(gone_club, date(2021, 9, 1))
    att = services.attendance.set
    att(early.id, sato.id)
    att(first.id, sato.id)
    att(first.id, abe.id)
    att(first.id, gone.id)
    att(second.id, sato.id)
    att(second.id, abe.id, "absent")
    att(planned.id, abe.id)
    att(deleted_meeting.id, abe.id)
    att(of_gone_club.id, abe.id)
    services.meetings.delete(deleted_meeting.id)
    services.clubs.delete(gone_club.id)
    services.people.delete(gone.id)
    return {"town": town, "a": club_a, "b": club_b, "sato": sato, "abe": abe}


def test_held_attendance_matches_figures(services: Services) -> None:
    ids = _data(services)
    start, end = fiscal_year_range(2021)
    held = services.figures.held_attendance(start, end)
    dates = {m.id: m.date for m in services.meetings.find()}
    assert sorted((dates[meeting], count) for meeting, count in held.per_meeting.items()) == [
        (date(2021, 5, 1), 2), (date(2021, 6, 1), 1)]
    names = {person.family_name: held.per_person[key] for key, person in held.people.items()}
    assert names == {"阿部": 1, "佐藤": 2}
    total = services.figures.fiscal_year(2021).total
    assert held.person_times == total.person_times
    assert len(held.per_person) == total.unique_persons
    town = ids["town"].id
    in_town = FigureFilter(municipality_id=town)
    assert services.figures.held_attendance(start, end, in_town).person_times == 2
    club_b = ids["b"].id
    in_b = FigureFilter(club_id=club_b)
    assert services.figures.held_attendance(start, end, in_b).person_times == 1
    students = services.figures.held_attendance(start, end, FigureFilter(category="student"))
    assert [(row.family_name, row.category) for row in students.people.values()] == [
        ("阿部", "student")]
    assert students.person_times == 1


def test_first_time_people_are_the_newcomers(services: Services) -> None:
    ids = _data(services)
    start, end = fiscal_year_range(2021)
    sato, abe = ids["sato"].id, ids["abe"].id
    newcomers = services.figures.first_time_people(start, end)
    assert newcomers == {abe}  # 佐藤 first attended on 2021-03-31, in FY2020
    assert len(newcomers) == services.figures.fiscal_year(2021).total.first_time_persons
    club_b = ids["b"].id
    assert services.figures.first_time_people(start, end, FigureFilter(club_id=club_b)) == {sato}
    by_club = services.figures.fiscal_year(2021).by_club[club_b]
    assert by_club.first_time_persons == 1
    town = ids["town"].id
    in_town = FigureFilter(municipality_id=town)
    assert services.figures.first_time_people(start, end, in_town) == {abe}


def test_member_page_and_count(services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="クラブ"))
    readings = ["え", "あ", "お", "い", "う"]
    for reading in readings:
        person = services.people.create(PersonDraft(family_name=reading, family_reading=reading))
        services.clubs.add_member(club.id, person.id)
    services.people.delete(services.people.find("お")[0].id)
    assert services.clubs.member_count(club.id) == 4
    pages = [services.clubs.member_page(club.id, limit=3, offset=offset) for offset in (0, 3)]
    assert [p.family_name for page in pages for _m, p in page] == ["あ", "い", "う", "え"]
    assert [p.id for _m, p in services.clubs.members(club.id)] == [
        p.id for page in pages for _m, p in page]


def test_session_choices_for_pickers(services: Services) -> None:
    _data(services)
    start, end = fiscal_year_range(2021)
    choices = services.calendar.choices(start, end)
    days = [day for _id, day, _club, _title in choices]
    assert days == sorted(days, reverse=True)  # newest first
    assert date(2021, 3, 31) not in days  # FY2020
    assert date(2021, 8, 1) not in days  # deleted
    assert (date(2021, 6, 1), "B", "2021-06-01") in [row[1:] for row in choices]
    listed = {row.id for row in services.meetings.find(date_from=start, date_to=end)}
    assert {row[0] for row in choices} == listed


def test_municipality_codes_only_for_organisations_with_a_code(services: Services) -> None:
    town = services.organizations.ensure_municipality("014524")
    company = services.organizations.create(OrganizationDraft(kind="company", name="会社"))
    codes = services.organizations.municipality_codes({town.id, company.id})
    assert codes == {town.id: (town.name, "014524")}
