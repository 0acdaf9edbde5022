"""``kankei import`` of a matching list (issue 17): both sides of a matching, namesakes,
re-import, dates as the attendance import reads them, row-numbered errors."""

from __future__ import annotations

import csv
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import select

from kankei_desktop.core.models import Matching, Organization, Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.sync.dump import dump_text

from .conftest import Run, WriteSheet

HEADERS = ["成立日", "氏名", "ふりがな", "所属", "団体", "受入自治体", "受入先", "種類", "状態",
           "テーマ", "クラブ", "終了日", "メール"]


def line(made: object = "2021/12/16", name: str = "", reading: str = "", affiliation: str = "",
         organisation: str = "", town: object = "", host: str = "", kind: str = "副業",
         status: str = "成立", theme: str = "", club: str = "", ended: object = "",
         mail: str = "") -> list[object]:
    return [made, name, reading, affiliation, organisation, town, host, kind, status, theme,
            club, ended, mail]


def matchings(db_path: Path) -> list[dict[str, object]]:
    """Every matching with its party's and host's names."""
    db = open_database(db_path)
    try:
        with db.read() as session:
            rows = []
            for row in session.scalars(select(Matching).order_by(
                    Matching.made_on.is_(None), Matching.made_on)):
                person = session.get(Person, row.person_id) if row.person_id else None
                party = session.get(Organization, row.organization_id) \
                    if row.organization_id else None
                host = session.get(Organization, row.host_id) if row.host_id else None
                rows.append({
                    "person": f"{person.family_name} {person.given_name}" if person else None,
                    "person_org": (session.get(Organization, person.organization_id).name
                                   if person and person.organization_id else None),
                    "party": party.name if party else None,
                    "host": host.name if host else None,
                    "host_place": (session.get(Organization, host.municipality_id).name
                                   if host and host.municipality_id else None),
                    "kind": row.kind, "status": row.status, "made_on": row.made_on,
                    "ended_on": row.ended_on, "theme": row.theme, "id": row.id,
                    "person_id": row.person_id})
            return rows
    finally:
        db.close()


def test_both_sides_of_a_matching_are_imported(write_sheet: WriteSheet, kankei: Run,
                                                db_path: Path) -> None:
    sheet = write_sheet("m.csv", [
        line("2019/12/20", "中村 彩", "なかむら あや", "株式会社パソナ", town="一関市",
             host="有限会社げんび山荘", kind="複業・副業・兼業", status="継続中",
             theme="ECサイトの改善"),
        line("R1.12.25", "佐藤 花子", "さとう はなこ", town="032093", kind="side_job",
             status="made", mail="hanako@example.jp"),
        line("令和4年10月11日", organisation="カゴメ株式会社", town="茨城県鉾田市",
             kind="連携協定", theme="自然をおいしく楽しめるまちづくり"),
        line("", "鈴木 一郎", "すずき いちろう", town="030007", kind="インターン",
             status="提案中"),
    ], headers=HEADERS)
    code, out, err = kankei("import", str(sheet))
    assert code == 0, err
    assert "4" in out
    rows = matchings(db_path)
    assert [(row["made_on"], row["kind"], row["status"]) for row in rows] == [
        (date(2019, 12, 20), "side_job", "ongoing"),
        (date(2019, 12, 25), "side_job", "made"),
        (date(2022, 10, 11), "agreement", "made"),
        (None, "internship", "proposed")]
    nakamura, sato, kagome, suzuki = rows
    assert (nakamura["person"], nakamura["person_org"]) == ("中村 彩", "株式会社パソナ")
    assert (nakamura["host"], nakamura["host_place"]) == ("有限会社げんび山荘", "岩手県一関市")
    assert (sato["person"], sato["host"]) == ("佐藤 花子", "岩手県一関市")
    assert (kagome["person"], kagome["party"], kagome["host"]) == (
        None, "カゴメ株式会社", "茨城県鉾田市")
    assert kagome["theme"] == "自然をおいしく楽しめるまちづくり"
    assert (suzuki["person"], suzuki["host"]) == ("鈴木 一郎", "岩手県")


def test_people_and_organisations_are_matched_as_the_attendance_import_does(
        write_sheet: WriteSheet, kankei: Run, db_path: Path) -> None:
    kankei("init")
    db = open_database(db_path)
    services = Services(db)
    pasona = services.organizations.create(OrganizationDraft(kind="company",
                                                             name="株式会社パソナ"))
    yamada = services.people.create(PersonDraft(
        family_name="山田", given_name="太郎", family_reading="やまだ", given_reading="たろう",
        organization_id=pasona.id))
    mail = services.people.create(PersonDraft(family_name="高橋", given_name="光",
                                              email="hikari@example.jp"))
    kagome = services.organizations.create(OrganizationDraft(kind="company",
                                                             name="カゴメ株式会社"))
    db.close()
    sheet = write_sheet("m.csv", [
        # the same 山田 太郎: reading in katakana, organisation in half-width kana spacing
        line("2021/5/1", "山田　太郎", "ヤマダ タロウ", "株式会社パソナ", town="一関市"),
        # a namesake of another organisation is another person
        line("2021/5/2", "山田 太郎", "やまだ たろう", "東稲酒造合資会社", town="一関市"),
        # e-mail first: the same person whatever the organisation written
        line("2021/5/3", "高橋 光", "", "別の会社", town="釜石市", mail="HIKARI@example.jp"),
        line("2021/5/4", organisation="カゴメ株式会社", town="鉾田市", kind="協業"),
    ], headers=HEADERS)
    code, _out, err = kankei("import", str(sheet))
    assert code == 0, err
    rows = matchings(db_path)
    assert rows[0]["person_id"] == yamada.id
    assert rows[1]["person_id"] not in (yamada.id, None)
    assert rows[1]["person_org"] == "東稲酒造合資会社"
    assert rows[2]["person_id"] == mail.id
    assert rows[3]["party"] == "カゴメ株式会社"
    db = open_database(db_path)
    try:
        with db.read() as session:
            assert len(session.scalars(select(Organization).where(
                Organization.name == "カゴメ株式会社")).all()) == 1
            assert session.get(Organization, kagome.id) is not None
            assert len(session.scalars(select(Person).where(
                Person.family_name == "山田")).all()) == 2
    finally:
        db.close()


def test_importing_the_same_list_twice_changes_nothing(write_sheet: WriteSheet, kankei: Run,
                                                       db_path: Path) -> None:
    rows = [line("2021/6/1", "中村 彩", "なかむら あや", "株式会社パソナ", town="一関市"),
            line("2021/6/1", organisation="カゴメ株式会社", town="鉾田市", kind="連携協定"),
            line("2021/6/1", "中村 彩", "なかむら あや", "株式会社パソナ", town="一関市")]
    sheet = write_sheet("m.xlsx", rows, headers=HEADERS)
    assert kankei("import", str(sheet))[0] == 0
    db = open_database(db_path)
    first = dump_text(Services(db))
    db.close()
    code, out, _err = kankei("import", str(sheet))
    assert code == 0
    assert any(("マッチング" in text or "matchings" in text) and text.rstrip().endswith(": 0")
               for text in out.splitlines())
    db = open_database(db_path)
    assert dump_text(Services(db)) == first
    db.close()
    assert len(matchings(db_path)) == 2  # the repeated row is the same matching


def test_reimport_takes_the_new_status_and_end_date(write_sheet: WriteSheet, kankei: Run,
                                                    db_path: Path) -> None:
    first = write_sheet("a.csv", [line("2021/6/1", "中村 彩", "なかむら あや", town="一関市",
                                       status="継続中")], headers=HEADERS)
    assert kankei("import", str(first))[0] == 0
    [before] = matchings(db_path)
    later = write_sheet("b.csv", [line("2021/6/1", "中村 彩", "なかむら あや", town="一関市",
                                       status="終了", ended="2022/3/31")], headers=HEADERS)
    code, out, _err = kankei("import", str(later))
    assert code == 0
    [after] = matchings(db_path)
    assert after["id"] == before["id"]
    assert (after["status"], after["ended_on"]) == ("ended", date(2022, 3, 31))
    assert any(("更新" in text or "updated" in text) and text.rstrip().endswith("1")
               for text in out.splitlines())


def test_bad_rows_are_numbered_and_nothing_is_imported(write_sheet: WriteSheet, kankei: Run,
                                                       db_path: Path) -> None:
    kankei("init")
    sheet = write_sheet("m.csv", [
        line("2021/6/1", "中村 彩", town="一関市"),                       # row 2: fine
        line("2021/13/40", "佐藤 花子", town="一関市"),                   # row 3: date
        line("2021/6/1", "", town="一関市"),                              # row 4: nobody
        line("2021/6/1", "高橋 光", kind="テレワーク"),                   # row 5: kind, host
        line("", "鈴木 一郎", town="一関市", status="成立"),              # row 6: no 成立日
        line("2021/6/1", "田中 次郎", "", "", "カゴメ株式会社", town="一関市"),  # row 7: both
        line("2021/6/1", "伊藤 三郎", town="一関市", kind="連携協定"),    # row 8: person
        line("2021/6/1", "木村 四郎", town="府中市"),                     # row 9: ambiguous
        line("2022/4/1", "林 五郎", town="一関市", ended="2022/3/31"),    # row 10: order
    ], headers=HEADERS)
    code, out, err = kankei("import", str(sheet))
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert any(text.startswith("3行目 成立日: 2021/13/40") for text in lines)
    assert any(text.startswith("4行目 氏名:") for text in lines)
    assert any(text.startswith("5行目 種類: テレワーク") for text in lines)
    assert any(text.startswith("5行目 受入自治体:") for text in lines)
    assert any(text.startswith("6行目 成立日:") for text in lines)
    assert any(text.startswith("7行目 団体:") for text in lines)
    assert any(text.startswith("8行目 種類:") for text in lines)
    assert any(text.startswith("9行目 受入自治体: 府中市") for text in lines)
    assert any(text.startswith("10行目 終了日:") for text in lines)
    assert not any(text.startswith("2行目") for text in lines)
    assert matchings(db_path) == []

    code, out, _err = kankei("import", str(sheet), "--skip-invalid")
    assert code == 0
    assert len(matchings(db_path)) == 1
    rejects = sheet.with_name("m-rejected.csv")
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert [row[-2] for row in table[1:]] == [str(number) for number in range(3, 11)]


def test_dry_run_changes_nothing(write_sheet: WriteSheet, kankei: Run, db_path: Path) -> None:
    sheet = write_sheet("m.csv", [line("2021/6/1", "中村 彩", town="一関市")], headers=HEADERS)
    kankei("init")
    code, out, _err = kankei("import", str(sheet), "--dry-run")
    assert code == 0
    assert "1" in out
    assert matchings(db_path) == []


def test_english_headers_in_any_order(write_sheet: WriteSheet, kankei: Run,
                                      db_path: Path) -> None:
    sheet = write_sheet("m.csv", [
        ["side_job", "ongoing", "Iwate Ichinoseki", "2021-07-01", "Nakamura Aya", "",
         "一関市"],
        ["agreement", "made", "", "2021-07-02", "", "Kagome Co., Ltd.", "鉾田市"],
    ], headers=["Kind", "Status", "Theme", "Date made", "Name", "Organisation",
                "Host municipality"], encoding="utf-8")
    code, _out, err = kankei("import", str(sheet))
    assert code == 0, err
    rows = matchings(db_path)
    assert [(row["kind"], row["status"], row["person"], row["party"], row["host"])
            for row in rows] == [
        ("side_job", "ongoing", "Nakamura Aya", None, "岩手県一関市"),
        ("agreement", "made", None, "Kagome Co., Ltd.", "茨城県鉾田市")]
    assert rows[0]["theme"] == "Iwate Ichinoseki"


def test_a_list_without_a_kind_column_is_refused_with_a_sentence(
        write_sheet: WriteSheet, kankei: Run) -> None:
    sheet = write_sheet("m.csv", [["2021/6/1", "中村 彩", "一関市"]],
                        headers=["成立日", "氏名", "受入自治体"])
    code, _out, err = kankei("import", str(sheet))
    assert code == 1
    assert "種類" in err
    assert "Traceback" not in err


def test_ids_are_the_natural_key(write_sheet: WriteSheet, kankei: Run, db_path: Path) -> None:
    from kankei_desktop.core.writes.natural_ids import matching_uuid

    sheet = write_sheet("m.csv", [line("2021/6/1", organisation="カゴメ株式会社", town="鉾田市",
                                       kind="連携協定")], headers=HEADERS)
    assert kankei("import", str(sheet))[0] == 0
    db = open_database(db_path)
    try:
        with db.read() as session:
            row = session.scalars(select(Matching)).one()
            assert row.organization_id is not None
            assert row.host_id is not None
            assert row.id == matching_uuid(row.organization_id, row.host_id, "agreement",
                                           date(2021, 6, 1))
            assert isinstance(row.id, uuid.UUID)
    finally:
        db.close()


def test_the_import_dialog_takes_a_matching_list(qtbot, write_sheet: WriteSheet,  # type: ignore[no-untyped-def]
                                                 services: Services) -> None:
    from kankei_desktop.ui.imports.dialog import ImportDialog

    sheet = write_sheet("m.csv", [line("2021/6/1", "中村 彩", "なかむら あや", town="一関市"),
                                  line("2021/6/2", organisation="カゴメ株式会社",
                                       town="鉾田市", kind="連携協定")], headers=HEADERS)
    dialog = ImportDialog(services, path=sheet)
    qtbot.addWidget(dialog)
    assert "マッチング一覧" in dialog.layout_label.text()
    assert dialog.errors.count() == 0
    assert dialog.import_button.isEnabled()
    dialog.start_import(dry_run=False)
    assert services.matchings.count() == 2
    assert "マッチング: 2" in dialog.summary_label.text()
