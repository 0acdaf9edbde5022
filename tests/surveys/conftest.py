"""A club with one held session and ten attendees (three of them named in the exports)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from kankei_desktop.commands.cli import main
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database

Run = Callable[..., tuple[int, str, str]]


@dataclass
class Session:
    """What the tests need of the seeded file."""

    services: Services
    club_id: uuid.UUID
    meeting_id: uuid.UUID
    people: dict[str, uuid.UUID]

    @property
    def meeting(self) -> str:
        return str(self.meeting_id)


PEOPLE = [("山田", "花子", "hanako@example.jp"), ("佐藤", "太郎", "taro@example.jp"),
          ("鈴木", "一郎", ""), ("高橋", "次郎", ""), ("田中", "三郎", ""),
          ("伊藤", "四郎", ""), ("渡辺", "五郎", ""), ("山本", "六子", ""),
          ("中村", "七海", ""), ("小林", "八重", "")]


def seed(services: Services, day: date = date(2021, 12, 16), club: str = "鷹栖町放課後企業クラブ"
         ) -> Session:
    """A club, a held session on ``day`` and ten attendees."""
    club_row = services.clubs.find_by_name(club) or services.clubs.create(ClubDraft(name=club))
    meeting = services.meetings.create(MeetingDraft(
        club_id=club_row.id, title="第3回 共創セッション", date=day, status="held"))
    people = {}
    for family, given, email in PEOPLE:
        person = services.people.create(PersonDraft(family_name=family, given_name=given,
                                                    email=email))
        people[family] = person.id
        services.attendance.set(meeting.id, person.id)
    return Session(services, club_row.id, meeting.id, people)


@pytest.fixture
def seeded(services: Services) -> Session:
    return seed(services)


@pytest.fixture
def seeded_file(db_path: Path) -> Session:
    """The seeded file, closed again (for the command line, which opens it itself)."""
    database = open_database(db_path)
    try:
        return seed(Services(database))
    finally:
        database.close()


@pytest.fixture
def kankei(capsys: pytest.CaptureFixture[str], db_path: Path) -> Run:
    """Run ``kankei --db <db_path> ARGS`` in-process; (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
