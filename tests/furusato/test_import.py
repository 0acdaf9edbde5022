"""``kankei import``: the 担い手活動 and 居住自治体 columns of the attendance layout, and a
registration list recognised by its headers — with the import's usual rules (all or
nothing, row-numbered errors, --skip-invalid, re-import changes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.furusato.conftest import Run
from tests.furusato.helpers import table, write_csv

HEADERS = ["日付", "クラブ", "自治体", "セッション", "氏名", "メール", "出欠", "担い手活動",
           "居住自治体"]
Status = Callable[..., dict[str, Any]]


def line(day: str, title: str, name: str, mark: str = "○", residence: str = "",
         attendance: str = "出席", email: str = "") -> list[str]:
    return [day, "鷹栖の担い手クラブ", "北海道鷹栖町", title, name, email, attendance, mark,
            residence]


def designated(db_path: Path) -> dict[str, int]:
    return {str(title): int(str(mark)) for title, mark in table(
        db_path, "SELECT title, designated FROM meeting")}


def people(status: Status, code: str = "014524", year: str = "2026") -> dict[str, tuple[
        int, bool, list[str]]]:
    return {row["name"]: (row["activities"], row["eligible_premium"], row["reasons"])
            for row in status(code, "--fy", year)["people"]}


@pytest.mark.parametrize("mark", ["○", "〇", "はい", "1", "true", "TRUE", "ｔｒｕｅ"])
def test_marks_that_designate(tmp_path: Path, kankei: Run, db_path: Path, mark: str) -> None:
    sheet = write_csv(tmp_path / "a.csv", HEADERS, [line("2026/05/10", "第1回", "佐藤 花子",
                                                         mark)])
    assert kankei("import", str(sheet))[0] == 0
    assert designated(db_path) == {"第1回": 1}


@pytest.mark.parametrize("mark", ["", "×", "いいえ", "0", "false", "済"])
def test_anything_else_does_not(tmp_path: Path, kankei: Run, db_path: Path, mark: str) -> None:
    sheet = write_csv(tmp_path / "a.csv", HEADERS, [line("2026/05/10", "第1回", "佐藤 花子",
                                                         mark)])
    assert kankei("import", str(sheet))[0] == 0
    assert designated(db_path) == {"第1回": 0}


def test_both_columns_feed_the_status(tmp_path: Path, kankei: Run, db_path: Path,
                                      status: Status) -> None:
    rows = [line(f"2026/0{month}/10", f"第{month}回", "佐藤 花子", residence="札幌市")
            for month in (5, 6, 7)]
    rows += [line(f"2026/0{month}/10", f"第{month}回", "鷹栖 一郎", residence="014524")
             for month in (5, 6, 7)]
    rows.append(line("2026/08/10", "交流会", "佐藤 花子", mark=""))
    rows.append(line("2026/09/10", "第9回", "佐藤 花子", attendance="欠席"))
    code, out, err = kankei("import", str(write_csv(tmp_path / "a.csv", HEADERS, rows)))
    assert code == 0, err
    assert "担い手活動" in out
    found = people(status)
    assert found["佐藤 花子"] == (3, True, [])
    assert found["鷹栖 一郎"][:2] == (3, False)
    assert "住んで" in found["鷹栖 一郎"][2][0]
    residences = dict(table(db_path, "SELECT p.family_name, o.name FROM person p JOIN "
                                     "organization o ON o.id = p.residence_id"))
    assert residences == {"佐藤": "北海道札幌市", "鷹栖": "北海道鷹栖町"}


def test_rows_of_one_session_must_agree(tmp_path: Path, kankei: Run, db_path: Path) -> None:
    sheet = write_csv(tmp_path / "a.csv", HEADERS, [
        line("2026/05/10", "第1回", "佐藤 花子"),
        line("2026/05/10", "第1回", "鈴木 一郎", mark=""),   # row 3 disagrees with row 2
        line("2026/05/17", "第2回", "鈴木 一郎", mark=""),
    ])
    code, out, err = kankei("import", str(sheet))
    assert code == 1
    assert out == ""
    assert "3行目 担い手活動: 同じセッションの2行目と" in err
    assert table(db_path, "SELECT count(*) FROM meeting") == [(0,)]
    code, out, err = kankei("import", str(sheet), "--skip-invalid")
    assert code == 0, err
    assert designated(db_path) == {"第1回": 1, "第2回": 0}
    assert (tmp_path / "a-rejected.csv").exists()


def test_an_ambiguous_residence_names_the_candidates(tmp_path: Path, kankei: Run) -> None:
    sheet = write_csv(tmp_path / "a.csv", HEADERS, [
        line("2026/05/10", "第1回", "佐藤 花子", residence="府中市")])
    code, _out, err = kankei("import", str(sheet))
    assert code == 1
    assert "2行目 居住自治体: 府中市" in err
    assert "東京都府中市" in err
    assert "広島県府中市" in err


def test_one_person_one_residence_within_a_file(tmp_path: Path, kankei: Run) -> None:
    sheet = write_csv(tmp_path / "a.csv", HEADERS, [
        line("2026/05/10", "第1回", "佐藤 花子", residence="札幌市"),
        line("2026/05/17", "第2回", "佐藤 花子", residence="旭川市")])
    code, _out, err = kankei("import", str(sheet))
    assert code == 1
    assert "3行目 居住自治体: 2行目" in err


def test_reimport_changes_nothing_and_marks_only_add(
        tmp_path: Path, kankei: Run, db_path: Path) -> None:
    plain = [line("2026/05/10", "第1回", "佐藤 花子", mark="") for _ in range(1)]
    marked = [line("2026/05/10", "第1回", "佐藤 花子", mark="○", residence="札幌市")]
    assert kankei("import", str(write_csv(tmp_path / "a.csv", HEADERS, plain)))[0] == 0
    assert designated(db_path) == {"第1回": 0}
    code, _out, err = kankei("import", str(write_csv(tmp_path / "b.csv", HEADERS, marked)))
    assert code == 0, err
    assert designated(db_path) == {"第1回": 1}  # designated after the fact
    assert table(db_path, "SELECT count(*) FROM person WHERE residence_id IS NOT NULL") == [
        (1,)]
    before = table(db_path, "SELECT id, hlc FROM meeting UNION ALL SELECT id, hlc FROM person")
    for sheet in ("a.csv", "b.csv"):  # an unmarked row never takes a mark away
        assert kankei("import", str(tmp_path / sheet))[0] == 0
    assert table(db_path, "SELECT id, hlc FROM meeting UNION ALL SELECT id, hlc FROM "
                          "person") == before
    assert designated(db_path) == {"第1回": 1}


def test_a_recorded_residence_is_kept(tmp_path: Path, kankei: Run, db_path: Path) -> None:
    first = [line("2026/05/10", "第1回", "佐藤 花子", residence="札幌市")]
    second = [line("2026/05/17", "第2回", "佐藤 花子", residence="旭川市")]
    assert kankei("import", str(write_csv(tmp_path / "a.csv", HEADERS, first)))[0] == 0
    code, out, _err = kankei("import", str(write_csv(tmp_path / "b.csv", HEADERS, second)))
    assert code == 0
    assert "別の居住自治体" in out
    assert table(db_path, "SELECT o.name FROM person p JOIN organization o ON o.id = "
                          "p.residence_id") == [("北海道札幌市",)]


# --- a registration list ----------------------------------------------------------------------

REGISTRATION_HEADERS = ["氏名", "メール", "登録自治体", "登録区分", "登録日", "更新期限",
                        "登録状況", "居住自治体"]


def registration(name: str, town: str = "鷹栖町", tier: str = "プレミアム",
                 day: str = "2027/01/10", renewal: str = "", state: str = "",
                 residence: str = "札幌市", email: str = "") -> list[str]:
    return [name, email, town, tier, day, renewal, state, residence]


def test_a_registration_list_is_recognised_and_imported(
        tmp_path: Path, kankei: Run, db_path: Path, status: Status) -> None:
    attendance = [line("2026/05/10", "第1回", "佐藤 花子", email="hanako@example.jp")]
    assert kankei("import", str(write_csv(tmp_path / "a.csv", HEADERS, attendance)))[0] == 0
    sheet = write_csv(tmp_path / "登録者.csv", REGISTRATION_HEADERS, [
        registration("佐藤 花子", email="HANAKO@example.jp"),
        registration("佐藤 花子", town="東川町", tier="ベーシック", email="hanako@example.jp"),
        registration("鈴木 一郎", tier="basic", day="2027-02-01", renewal="2028-03-31",
                     residence="014524"),
        registration("高橋 三郎", state="解除", residence=""),
    ])
    code, out, err = kankei("import", str(sheet), "--dry-run")
    assert code == 0, err
    assert table(db_path, "SELECT count(*) FROM registration") == [(0,)]
    code, out, err = kankei("import", str(sheet))
    assert code == 0, err
    assert "登録: 新規 4" in out
    assert table(db_path, "SELECT count(*) FROM person") == [(3,)]  # 佐藤 matched by e-mail
    rows = {(str(name), str(tier), str(renewal), str(state)) for name, tier, renewal, state in
            table(db_path, "SELECT o.name, r.tier, r.renewal_due, r.status FROM registration "
                           "r JOIN organization o ON o.id = r.municipality_id")}
    assert rows == {("北海道鷹栖町", "premium", "2028-01-10", "active"),
                    ("北海道東川町", "basic", "2028-01-10", "active"),
                    ("北海道鷹栖町", "basic", "2028-03-31", "active"),
                    ("北海道鷹栖町", "premium", "2028-01-10", "withdrawn")}
    listed = {row["name"]: row["registration"] for row in status("014524", "--fy", "2026")[
        "people"]}
    assert listed == {"佐藤 花子": "premium", "鈴木 一郎": "basic"}
    before = table(db_path, "SELECT id, hlc FROM registration ORDER BY id")
    code, out, _err = kankei("import", str(sheet))
    assert table(db_path, "SELECT id, hlc FROM registration ORDER BY id") == before
    assert "ふるさと住民登録" not in out  # nothing new, nothing changed


def test_a_newer_list_updates_the_registrations(tmp_path: Path, kankei: Run,
                                                db_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", REGISTRATION_HEADERS,
                      [registration("佐藤 花子", tier="ベーシック")])
    second = write_csv(tmp_path / "b.csv", REGISTRATION_HEADERS,
                       [registration("佐藤 花子", tier="プレミアム", day="2028/01/10")])
    assert kankei("import", str(first))[0] == 0
    code, out, err = kankei("import", str(second))
    assert code == 0, err
    assert "変更 1" in out
    assert table(db_path, "SELECT tier, registered_on, renewal_due FROM registration") == [
        ("premium", "2028-01-10", "2029-01-10")]


def test_registration_rows_are_checked(tmp_path: Path, kankei: Run, db_path: Path) -> None:
    sheet = write_csv(tmp_path / "a.csv", REGISTRATION_HEADERS, [
        registration("佐藤 花子"),
        registration("鈴木 一郎", residence="鷹栖町"),           # row 3: premium where he lives
        registration("高橋 三郎", town="北海道"),               # row 4: a prefecture
        registration("田中 四郎", tier="ゴールド"),              # row 5: unknown tier
        registration("伊藤 五郎", day=""),                      # row 6: no date
        registration("佐藤 花子", tier="ベーシック"),            # row 7: twice
        registration("渡辺 六郎", renewal="2026/01/01"),        # row 8: renewal before
    ])
    code, _out, err = kankei("import", str(sheet))
    assert code == 1
    rows = {line.split("行目")[0] for line in err.splitlines() if "行目" in line}
    assert rows == {"3", "4", "5", "6", "7", "8"}
    assert "すでに2行目にあります" in err
    assert table(db_path, "SELECT count(*) FROM registration") == [(0,)]
    code, _out, err = kankei("import", str(sheet), "--skip-invalid")
    assert code == 0, err
    assert table(db_path, "SELECT count(*) FROM registration") == [(1,)]


def test_a_registration_list_needs_its_columns(tmp_path: Path, kankei: Run) -> None:
    sheet = write_csv(tmp_path / "a.csv", ["氏名", "登録区分", "登録日"],
                      [["佐藤 花子", "ベーシック", "2027/01/10"]])
    code, _out, err = kankei("import", str(sheet))
    assert code == 1
    assert "自治体" in err


def test_the_template_is_recognised(tmp_path: Path, kankei: Run, db_path: Path) -> None:
    from openpyxl import load_workbook

    from kankei_desktop.imports.registrations import write_registration_template

    path = write_registration_template(tmp_path / "登録者.xlsx")
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    headers = [cell.value for cell in sheet[1]]
    assert headers[:6] == ["氏名", "ふりがな", "メール", "自治体", "登録区分", "登録日"]
    sheet.append(["佐藤 花子", "さとう はなこ", "", "鷹栖町", "ベーシック", "2027/01/10"])
    workbook.save(path)
    code, out, err = kankei("import", str(path))
    assert code == 0, err
    assert "ふるさと住民登録: 新規 1" in out
    assert table(db_path, "SELECT tier FROM registration") == [("basic",)]


def test_sessions_list_shows_the_mark(tmp_path: Path, kankei: Run) -> None:
    rows = [line("2026/05/10", "第1回", "佐藤 花子"),
            line("2026/05/17", "第2回", "佐藤 花子", mark="")]
    assert kankei("import", str(write_csv(tmp_path / "a.csv", HEADERS, rows)))[0] == 0
    _code, out, _err = kankei("list", "meetings")
    assert "◆第1回" in out
    assert "◆第2回" not in out


def test_an_excel_sheet_with_true_cells(tmp_path: Path, kankei: Run, db_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append([*line("2026/05/10", "第1回", "佐藤 花子")[:7], True, "014524"])
    sheet.append([*line("2026/05/17", "第2回", "佐藤 花子")[:7], False, "014524"])
    sheet.append([*line("2026/05/24", "第3回", "佐藤 花子")[:7], 1, "014524"])
    workbook.save(tmp_path / "a.xlsx")
    code, _out, err = kankei("import", str(tmp_path / "a.xlsx"))
    assert code == 0, err
    assert designated(db_path) == {"第1回": 1, "第2回": 0, "第3回": 1}


def test_streamed_in_small_chunks(tmp_path: Path, kankei: Run, db_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The import plans and writes a chunk of rows at a time: a disagreement with a row of an
    earlier chunk is still found, a designation and a residence given in a later chunk still
    fill in, and a re-import changes nothing."""
    from kankei_desktop.imports import importer

    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    rows = [line("2026/05/10", "第1回", "佐藤 花子", mark=""),
            line("2026/05/10", "第1回", "鈴木 一郎", mark=""),
            line("2026/05/17", "第2回", "佐藤 花子", residence="札幌市"),
            line("2026/05/10", "第1回", "高橋 三郎", mark="○"),   # row 5 disagrees with row 2
            line("2026/05/24", "第3回", "鈴木 一郎", residence="旭川市"),
            line("2026/05/31", "第4回", "佐藤 花子", residence="函館市")]  # row 7 vs row 4
    sheet = write_csv(tmp_path / "a.csv", HEADERS, rows)
    code, _out, err = kankei("import", str(sheet))
    assert code == 1
    assert "5行目 担い手活動: 同じセッションの2行目と" in err
    assert "7行目 居住自治体: 4行目" in err
    code, _out, err = kankei("import", str(sheet), "--skip-invalid")
    assert code == 0, err
    assert designated(db_path) == {"第1回": 0, "第2回": 1, "第3回": 1}
    residences = dict(table(db_path, "SELECT p.family_name, o.name FROM person p JOIN "
                                     "organization o ON o.id = p.residence_id"))
    assert residences == {"佐藤": "北海道札幌市", "鈴木": "北海道旭川市"}
    rejected = (tmp_path / "a-rejected.csv").read_text(encoding="utf-8-sig")
    assert "高橋" in rejected
    assert "函館市" in rejected
    before = table(db_path, "SELECT id, hlc FROM meeting UNION ALL SELECT id, hlc FROM person")
    assert kankei("import", str(sheet), "--skip-invalid")[0] == 0
    assert table(db_path, "SELECT id, hlc FROM meeting UNION ALL SELECT id, hlc FROM "
                          "person") == before


def test_a_registration_list_in_small_chunks(tmp_path: Path, kankei: Run, db_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Registrations planned a chunk at a time: the same registration twice is refused
    across chunks, the rest are created once and a re-import changes nothing."""
    from kankei_desktop.imports import importer

    monkeypatch.setattr(importer, "CHUNK_ROWS", 1)
    sheet = write_csv(tmp_path / "登録者.csv", REGISTRATION_HEADERS, [
        registration("佐藤 花子"), registration("鈴木 一郎", tier="ベーシック"),
        registration("佐藤 花子", tier="ベーシック")])   # row 4: the same as row 2
    code, _out, err = kankei("import", str(sheet))
    assert code == 1
    assert "4行目" in err
    code, out, err = kankei("import", str(sheet), "--skip-invalid")
    assert code == 0, err
    assert "登録: 新規 2" in out
    before = table(db_path, "SELECT id, hlc, tier FROM registration ORDER BY id")
    assert sorted(str(tier) for _id, _hlc, tier in before) == ["basic", "premium"]
    assert kankei("import", str(sheet), "--skip-invalid")[0] == 0
    assert table(db_path, "SELECT id, hlc, tier FROM registration ORDER BY id") == before
