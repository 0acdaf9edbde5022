"""Calendar fixtures: a small programme with two clubs, members and sessions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft


@dataclass
class Programme:
    """Ids of the sample records."""

    takasu: uuid.UUID
    nishiawakura: uuid.UUID
    members: list[uuid.UUID]
    session: uuid.UUID


def make_meeting(services: Services, club_id: uuid.UUID, day: date, title: str = "定例会",
                 start: time | None = time(19, 0), end: time | None = time(20, 30),
                 **values: object) -> uuid.UUID:
    draft = MeetingDraft(club_id=club_id, title=title, date=day, start_time=start,
                         end_time=end, **values)  # type: ignore[arg-type]
    return services.meetings.create(draft).id


@pytest.fixture
def programme(services: Services) -> Programme:
    """Two clubs (one with a period), three members, one session on 2026-06-18."""
    town = services.organizations.ensure_municipality("014524")
    takasu = services.clubs.create(ClubDraft(
        name="たかす放課後企業クラブ", reading="たかすほうかごきぎょうくらぶ",
        host_municipality_id=town.id, start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31))).id
    nishi = services.clubs.create(ClubDraft(name="にしあわくらクラブ")).id
    members = []
    for family, reading in (("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし")):
        person = services.people.create(PersonDraft(family_name=family, given_name="花子",
                                                    family_reading=reading,
                                                    category="company_staff"))
        services.clubs.add_member(takasu, person.id)
        members.append(person.id)
    session = make_meeting(services, takasu, date(2026, 6, 18), "第1回 定例セッション",
                           url="https://zoom.us/j/1", tool="Zoom", agenda="自己紹介")
    return Programme(takasu, nishi, members, session)
