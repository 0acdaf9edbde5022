"""iCalendar export: the round trip through icalendar's parser, and the ``kankei ics`` CLI."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from kankei_desktop.commands.cli import main
from kankei_desktop.core.calendar.ical import to_ics
from kankei_desktop.core.services import Services
from tests.calendar.conftest import Programme, make_meeting

TOKYO = ZoneInfo("Asia/Tokyo")


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_round_trip_keeps_every_field(services: Services, programme: Programme) -> None:
    all_day = make_meeting(services, programme.nishiawakura, date(2026, 7, 4), "現地訪問",
                           None, None, format="onsite", place="鷹栖町役場 2階")
    cancelled = make_meeting(services, programme.takasu, date(2026, 7, 16), "中止回")
    services.meetings.set_status(cancelled, "cancelled")
    gone = make_meeting(services, programme.takasu, date(2026, 7, 17), "削除")
    services.meetings.delete(gone)
    calendar = parse(to_ics(services.calendar.export_rows()))
    found = events(calendar)
    assert set(found) == {f"{mid}@kankei-desktop" for mid in
                          (programme.session, all_day, cancelled)}
    session = found[f"{programme.session}@kankei-desktop"]
    assert str(session["SUMMARY"]) == "たかす放課後企業クラブ 第1回 定例セッション"
    start = session.decoded("DTSTART")
    assert start == datetime(2026, 6, 18, 19, 0, tzinfo=TOKYO)
    assert start.utcoffset() == timedelta(hours=9)
    assert session.decoded("DTEND") == datetime(2026, 6, 18, 20, 30, tzinfo=TOKYO)
    assert session["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert str(session["URL"]) == "https://zoom.us/j/1"
    description = str(session["DESCRIPTION"])
    assert "自己紹介" in description
    assert "Zoom" in description
    assert "https://zoom.us/j/1" in description
    assert str(session["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in session
    assert "LAST-MODIFIED" in session
    visit = found[f"{all_day}@kankei-desktop"]
    assert visit.decoded("DTSTART") == date(2026, 7, 4)
    assert visit.decoded("DTEND") == date(2026, 7, 5)
    assert str(visit["LOCATION"]) == "鷹栖町役場 2階"
    assert str(found[f"{cancelled}@kankei-desktop"]["STATUS"]) == "CANCELLED"
    timezones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert timezones == ["Asia/Tokyo"]


def test_uid_is_stable_across_exports_and_edits(services: Services,
                                               programme: Programme) -> None:
    first = set(events(parse(to_ics(services.calendar.export_rows()))))
    make_meeting(services, programme.takasu, date(2026, 8, 1), "追加")
    second = set(events(parse(to_ics(services.calendar.export_rows()))))
    assert first < second


def test_session_without_end_time_has_no_invented_end(services: Services,
                                                     programme: Programme) -> None:
    open_end = make_meeting(services, programme.takasu, date(2026, 8, 2), "開始のみ",
                            time(10, 0), None)
    event = events(parse(to_ics(services.calendar.export_rows())))[f"{open_end}@kankei-desktop"]
    assert "DTEND" not in event
    assert event.decoded("DTSTART") == datetime(2026, 8, 2, 10, 0, tzinfo=TOKYO)


# --- CLI ------------------------------------------------------------------------------------


@pytest.fixture
def filled(services: Services, programme: Programme, db_path: Path) -> Path:
    make_meeting(services, programme.nishiawakura, date(2026, 9, 1), "九月")
    services.database.close()
    return db_path


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), "ics", *args])


def test_cli_writes_all_or_one_club_in_a_range(filled: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.ics"
    assert run(filled, "-o", str(out)) == 0
    assert len(events(parse(out.read_bytes()))) == 2
    assert "2" in capsys.readouterr().out
    assert run(filled, "-o", str(out), "--club", "たかす放課後企業クラブ") == 0
    summaries = [str(e["SUMMARY"]) for e in parse(out.read_bytes()).walk("VEVENT")]
    assert summaries == ["たかす放課後企業クラブ 第1回 定例セッション"]
    assert run(filled, "-o", str(out), "--from", "2026-08-01", "--to", "2026-09-30") == 0
    summaries = [str(e["SUMMARY"]) for e in parse(out.read_bytes()).walk("VEVENT")]
    assert summaries == ["にしあわくらクラブ 九月"]


@pytest.mark.parametrize(("args", "words"), [
    (["--club", "存在しないクラブ"], "存在しないクラブ"),
    (["--from", "2026/08/01"], "2026/08/01"),
    (["--to", "2026-02-30"], "2026-02-30"),
    (["--from", "2026-09-01", "--to", "2026-08-01"], "2026-09-01"),
])
def test_cli_user_errors_are_one_sentence(filled: Path, tmp_path: Path, args: list[str],
                                          words: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.ics"
    assert run(filled, "-o", str(out), *args) == 1
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_cli_unwritable_output(filled: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert run(filled, "-o", str(tmp_path / "missing" / "x.ics")) == 1
    assert run(filled, "-o", str(tmp_path)) == 1
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code = run(filled, "-o", str(locked / "x.ics"))
    finally:
        locked.chmod(0o700)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == 1 or os.geteuid() == 0  # root may write anyway
