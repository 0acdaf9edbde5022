"""A Zoom participant report onto one session: merging, matching, remembering."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.imports.importer import analyse
from kankei_desktop.imports.zoom import (
    MatchKind,
    apply_zoom,
    match_participants,
    participants_of,
)

from .conftest import Run

BOTH_ENGINES = True

REPORT = (
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
    "812 3456 7890,定例会,12/16/2021 06:55:00 PM,12/16/2021 09:02:00 PM,host@example.jp,127,5\n"
    "\n"
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    "やまだ たろう,TARO@example.jp,12/16/2021 06:58:00 PM,12/16/2021 07:30:00 PM,32,No\n"
    "佐藤　花子（北斗商事）,,12/16/2021 07:00:00 PM,12/16/2021 09:00:00 PM,120,Yes\n"
    "Yamada T,taro@example.jp,12/16/2021 07:35:00 PM,12/16/2021 09:00:00 PM,85,No\n"
    "ゲストA,,12/16/2021 07:00:00 PM,12/16/2021 08:00:00 PM,60,Yes\n"
    "ゲストA,,12/16/2021 08:10:00 PM,12/16/2021 09:00:00 PM,50,Yes\n"
    "鈴木 一郎,,12/16/2021 07:00:00 PM,12/16/2021 09:00:00 PM,120,Yes\n"
)


@pytest.fixture
def session_id(services: Services) -> uuid.UUID:
    club = services.clubs.create(ClubDraft(name="鷹栖クラブ"))
    meeting = services.meetings.create(MeetingDraft(
        club_id=club.id, title="定例会", date=date(2021, 12, 16), status="held"))
    services.people.create(PersonDraft(family_name="山田", given_name="太郎",
                                       family_reading="やまだ", given_reading="たろう",
                                       email="taro@example.jp"))
    services.people.create(PersonDraft(family_name="佐藤", given_name="花子",
                                       family_reading="サトウ", given_reading="ハナコ"))
    for organization in ("北斗", "青空"):  # namesakes: the user has to choose
        services.people.create(PersonDraft(family_name="鈴木", given_name="一郎",
                                           notes=organization))
    return meeting.id


def report(tmp_path: Path, text: str = REPORT) -> Path:
    path = tmp_path / "participants_81234567890.csv"
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_joins_are_merged_and_minutes_summed(tmp_path: Path) -> None:
    participants = participants_of(analyse(report(tmp_path)))
    assert [p.display_name for p in participants] == [
        "やまだ たろう", "佐藤 花子(北斗商事)", "ゲストA", "鈴木 一郎"]
    taro, _hanako, guest, _ichiro = participants
    assert (taro.minutes, taro.joins) == (117, 2)  # two names, one e-mail
    assert (guest.minutes, guest.joins) == (110, 2)  # same display name twice


def test_matching_by_email_then_name_and_namesakes_left_to_the_user(
        tmp_path: Path, services: Services, session_id: uuid.UUID) -> None:
    participants = participants_of(analyse(report(tmp_path)))
    match_participants(services, participants)
    taro, hanako, guest, ichiro = participants
    assert taro.match is MatchKind.EMAIL
    assert hanako.match is MatchKind.NAME  # 「佐藤 花子」 before the parenthesis
    assert guest.match is MatchKind.NONE
    assert guest.person_id is None
    assert ichiro.match is MatchKind.NONE
    assert len(ichiro.candidates) == 2


def test_apply_marks_attended_creates_and_remembers(
        tmp_path: Path, services: Services, session_id: uuid.UUID) -> None:
    participants = participants_of(analyse(report(tmp_path)))
    match_participants(services, participants)
    _taro, _hanako, guest, ichiro = participants
    guest.match = MatchKind.CREATE
    ichiro.person_id, ichiro.match = ichiro.candidates[0], MatchKind.HAND
    summary = apply_zoom(services, session_id, participants)
    assert (summary.attended, summary.created_people, summary.left_out) == (4, 1, 0)
    names = sorted(person.family_name + person.given_name
                   for _attendance, person in services.attendance.of_meeting(session_id))
    assert names == sorted(["山田太郎", "佐藤花子", "ゲストA", "鈴木一郎"])
    assert all(attendance.status == "attended"
               for attendance, _person in services.attendance.of_meeting(session_id))

    # The next report: the hand-matched and created display names are remembered.
    again = participants_of(analyse(report(tmp_path)))
    match_participants(services, again)
    assert again[2].match is MatchKind.REMEMBERED
    assert again[3].match is MatchKind.REMEMBERED
    assert again[3].person_id == ichiro.person_id
    # Applying the same report twice changes nothing.
    before = len(services.attendance.of_meeting(session_id))
    apply_zoom(services, session_id, again)
    assert len(services.attendance.of_meeting(session_id)) == before
    assert services.people.count() == 5


def test_unmatched_are_left_out(tmp_path: Path, services: Services,
                                session_id: uuid.UUID) -> None:
    participants = participants_of(analyse(report(tmp_path)))
    match_participants(services, participants)
    summary = apply_zoom(services, session_id, participants)
    assert (summary.attended, summary.left_out) == (2, 2)


def test_only_zoom_reports(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("氏名,所属\n山田 太郎,北斗\n", encoding="utf-8")
    with pytest.raises(KankeiError):
        participants_of(analyse(path))


def test_cli_refuses_a_zoom_report_with_a_sentence(tmp_path: Path, kankei: Run) -> None:
    code, _out, err = kankei("import", str(report(tmp_path)))
    assert code == 1
    assert "Zoom" in err


def test_a_zoom_import_is_undone_in_one_step(tmp_path: Path, services: Services,
                                             session_id: uuid.UUID) -> None:
    participants = participants_of(analyse(report(tmp_path)))
    match_participants(services, participants)
    participants[2].match = MatchKind.CREATE
    apply_zoom(services, session_id, participants)
    assert services.context.journal.undo_label() == "Zoom取り込み: 定例会"
    services.context.undo()
    assert services.attendance.of_meeting(session_id) == []
    assert services.people.count() == 4  # the person it created is deleted again
