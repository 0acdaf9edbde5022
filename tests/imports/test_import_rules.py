"""The matching rules of issue 8, through the CLI as a coordinator runs it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.rows import storage_rows
from kankei_desktop.core.writes.journal import UndoRefusedError
from kankei_desktop.imports.importer import analyse, run_import

from .conftest import HEADERS, Run, WriteSheet, write_xlsx

BOTH_ENGINES = True


def _read(location: Path | str, sql: str) -> list[tuple[Any, ...]]:
    database = open_database(location)
    try:
        with database.reading() as session:
            return [tuple(row) for row in storage_rows(session).execute(sql)]
    finally:
        database.close()


def counts(location: Path | str) -> dict[str, int]:
    return {table: _read(location, f"SELECT count(*) FROM {table}")[0][0]
            for table in ("organization", "club", "person", "meeting", "attendance")}


def people(location: Path | str) -> list[tuple[str, str, str]]:
    return sorted(_read(location,  # type: ignore[arg-type]
                        "SELECT p.family_name, p.given_name, coalesce(o.name, '') FROM person p "
                        "LEFT JOIN organization o ON o.id = p.organization_id"))


def row(day: object, name: str, reading: str = "", org: str = "", *, title: str = "第1回",
        start: str = "19:00", club: str = "鷹栖クラブ", town: str = "北海道鷹栖町",
        fmt: str = "オンライン", category: str = "企業人材", attendance: str = "出席",
        email: str = "") -> list[object]:
    return [day, start, club, town, title, fmt, name, reading, org, category, attendance, email]


def test_width_kana_and_space_variants_are_one_person_and_one_org(
        write_sheet: WriteSheet, kankei: Run, db_location: Path | str) -> None:
    sheet = write_sheet("a.csv", [
        row("2021/12/16", "山田　太郎", "ヤマダ タロウ", "ＡＢＣ商事"),
        row("2021/12/17", " 山田 太郎 ", "やまだ　たろう", "ABC商事", title="第2回"),
        row("2021/12/18", "山田太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "ＡＢＣ商事　", title="第3回"),
    ])
    code, out, err = kankei("import", str(sheet))
    assert code == 0, err
    assert counts(db_location)["person"] == 1
    assert people(db_location) == [("山田", "太郎", "ABC商事")]
    # ABC商事 and 鷹栖町 (the host municipality)
    assert counts(db_location)["organization"] == 2
    assert counts(db_location)["attendance"] == 3
    assert "3" in out


def test_namesakes_in_different_organisations_are_two_people(
        write_sheet: WriteSheet, kankei: Run, db_location: Path | str) -> None:
    sheet = write_sheet("a.csv", [
        row("2021/12/16", "山田 太郎", "やまだ たろう", "北斗商事"),
        row("2021/12/16", "山田 太郎", "やまだ たろう", "青空銀行"),
    ])
    assert kankei("import", str(sheet))[0] == 0
    assert people(db_location) == [("山田", "太郎", "北斗商事"), ("山田", "太郎", "青空銀行")]
    assert counts(db_location)["attendance"] == 2


def test_email_identifies_a_person_across_spellings(
        write_sheet: WriteSheet, kankei: Run, db_location: Path | str) -> None:
    sheet = write_sheet("a.csv", [
        row("2021/12/16", "山田 太郎", "", "北斗商事", email="Taro@Example.jp"),
        row("2021/12/17", "山田 太朗", "", "北斗", email="taro@example.jp", title="第2回"),
    ])
    assert kankei("import", str(sheet))[0] == 0
    assert counts(db_location)["person"] == 1


def test_reimport_changes_nothing_and_matches_existing_records(
        tmp_path: Path, kankei: Run, db_location: Path | str) -> None:
    # Existing records typed in by hand, before any import.
    database = open_database(db_location)
    services = Services(database)
    company = services.organizations.create(OrganizationDraft(kind="company", name="北斗商事"))
    services.people.create(PersonDraft(family_name="佐藤", given_name="花子",
                                       family_reading="サトウ", given_reading="ハナコ",
                                       organization_id=company.id))
    database.close()
    sheet = write_xlsx(tmp_path / "a.xlsx", HEADERS, [
        row(datetime(2021, 12, 16), "佐藤 花子", "さとう はなこ", "北斗商事"),
        row(datetime(2021, 12, 16), "鈴木 一郎", "すずき いちろう", ""),
    ])
    assert kankei("import", str(sheet))[0] == 0
    first = counts(db_location)
    assert first["person"] == 2  # 佐藤 matched, 鈴木 new
    before = _read(db_location, "SELECT hlc FROM person ORDER BY id")
    code, out, _err = kankei("import", str(sheet))
    assert code == 0
    assert counts(db_location) == first
    after = _read(db_location, "SELECT hlc FROM person ORDER BY id")
    assert before == after  # nothing updated either
    assert "0" in out


def test_past_sessions_are_held_future_ones_planned(
        write_sheet: WriteSheet, db_location: Path | str, services: Services) -> None:
    sheet = write_sheet("a.csv", [
        row("2021/12/16", "山田 太郎"),
        row("2099/12/16", "山田 太郎", title="未来の回"),
    ])
    run_import(services, analyse(sheet), today=date(2026, 11, 23))
    statuses = {meeting.title: meeting.status for meeting in services.meetings.find()}
    assert statuses == {"第1回": "held", "未来の回": "planned"}


def test_session_identity_is_club_date_start_title(
        write_sheet: WriteSheet, services: Services) -> None:
    sheet = write_sheet("a.csv", [
        row("2021/12/16", "A 一"), row("2021/12/16", "B 二"),           # same session
        row("2021/12/16", "A 一", start="10:00"),                       # other start
        row("2021/12/16", "A 一", club="別クラブ"),                     # other club
        row("R3.12.16", "C 三", title="第１回"),                        # same, other spelling
    ])
    summary = run_import(services, analyse(sheet))
    assert summary.meetings == 3
    assert summary.clubs == 2
    assert summary.attendance == 5


def test_clubs_get_their_host_and_municipal_affiliations_are_municipalities(
        write_sheet: WriteSheet, services: Services) -> None:
    sheet = write_sheet("a.csv", [
        row("2021/12/16", "佐藤 花子", "", "鷹栖町", town="014524", category="自治体職員"),
    ])
    run_import(services, analyse(sheet))
    (club,) = services.clubs.find()
    town = services.organizations.find_by_lgcode("014524")
    assert town is not None
    assert town.kind == "municipality"
    assert club.host_municipality_id == town.id
    (person,) = services.people.find()
    assert person.organization_id == town.id
    assert person.category == "municipal_staff"


def test_stamps_are_set_for_sync(write_sheet: WriteSheet, services: Services) -> None:
    run_import(services, analyse(write_sheet("a.csv", [row("2021/12/16", "山田 太郎")])))
    with services.context.reading() as session:
        connection = storage_rows(session)
        for table in ("organization", "club", "person", "meeting", "attendance"):
            missing = connection.execute(
                f"SELECT count(*) FROM {table} WHERE hlc = '' OR replica_id IS NULL "
                "OR created_at IS NULL OR causal_length != 1").fetchone()[0]
            assert missing == 0, table


def test_attendance_id_is_the_natural_one(write_sheet: WriteSheet,
                                          services: Services) -> None:
    from kankei_desktop.core.writes.natural_ids import attendance_uuid

    run_import(services, analyse(write_sheet("a.csv", [row("2021/12/16", "山田 太郎")])))
    (meeting,) = services.meetings.find()
    ((attendance, person),) = services.attendance.of_meeting(meeting.id)
    assert attendance.id == attendance_uuid(meeting.id, person.id)


def test_people_list_layout(write_sheet: WriteSheet, services: Services) -> None:
    headers = ["氏名", "ふりがな", "所属", "区分", "メール", "電話", "備考"]
    sheet = write_sheet("people.csv", [
        ["山田 太郎", "やまだ たろう", "北斗商事", "企業人材", "", "090-1234-5678", "幹事"],
        ["山田　太郎", "ヤマダ タロウ", "北斗商事", "企業人材", "", "", ""],
        ["田中 花", "", "東京都府中市", "自治体職員", "hana@example.jp", "", ""],
    ], headers=headers)
    summary = run_import(services, analyse(sheet))
    assert (summary.people, summary.organizations, summary.meetings) == (2, 2, 0)
    taro = services.people.find("やまだ")[0]
    assert taro.phone == "090-1234-5678"
    assert taro.notes == "幹事"


def test_an_import_is_one_undoable_action(write_sheet: WriteSheet, services: Services) -> None:
    sheet = write_sheet("a.csv", [
        row("2021/12/16", "山田　太郎", "ヤマダ タロウ", "ＡＢＣ商事"),
        row("2021/12/17", "佐藤 花子", "さとう はなこ", "ABC商事", title="第2回"),
    ])
    run_import(services, analyse(sheet), today=date(2022, 1, 1))
    assert services.figures.fiscal_year(2021).total.person_times == 2
    assert services.context.journal.labels() == ["a.csv の取り込み"]
    services.context.undo()
    assert services.figures.fiscal_year(2021).total.person_times == 0
    assert services.people.count() == services.clubs.count() == 0
    assert services.organizations.count() == 0
    services.context.redo()
    assert services.figures.fiscal_year(2021).total.person_times == 2
    assert services.people.count() == 2


def test_an_import_changed_afterwards_by_a_colleague_is_not_undone(
        write_sheet: WriteSheet, services: Services) -> None:
    """Imported rows are remembered compactly (ids and a clock range): a row a bundle
    changed since carries another replica's clock, and the undo is refused, not forced."""
    sheet = write_sheet("b.csv", [row("2021/12/16", "山田　太郎", "ヤマダ タロウ", "ＡＢＣ商事")])
    run_import(services, analyse(sheet), today=date(2022, 1, 1))
    person = services.people.find()[0]
    foreign = f"{person.hlc[:19]}{'f' * 32}"  # the same moment, stamped by a colleague
    with services.database.transaction() as session:
        session.execute(text("UPDATE person SET hlc = :h WHERE id = :i"),
                        {"h": foreign, "i": person.id.hex})
    with pytest.raises(UndoRefusedError):
        services.context.undo()
    assert services.people.count() == 1  # nothing was undone
