"""``kankei import FILE [--dry-run] [--skip-invalid]``: exit codes, error lists, rejects file."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from .conftest import Run, WriteSheet
from .test_import_rules import counts, row


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def bad_rows() -> list[list[object]]:
    return [
        row("2021/12/16", "山田 太郎"),
        row("2021/13/45", "佐藤 花子"),                       # row 3: date
        row("2021/12/16", "鈴木 一郎", town="府中市"),        # row 4: ambiguous
        row("2021/12/16", "", fmt="対面"),                    # row 5: empty name
        row("2021/12/16", "田中 次郎", fmt="テレパシー", start="25:00"),  # row 6: two errors
    ]


def test_invalid_rows_are_listed_and_nothing_is_imported(
        write_sheet: WriteSheet, kankei: Run, db_path: Path) -> None:
    kankei("init")
    before = counts(db_path)
    code, out, err = kankei("import", str(write_sheet("a.csv", bad_rows())))
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert "3行目 日付: 2021/13/45 は日付として読めません" in lines
    assert any(line.startswith("4行目 自治体: 府中市") and "東京都府中市" in line
               and "広島県府中市" in line for line in lines)
    assert any(line.startswith("5行目 氏名:") for line in lines)
    assert any(line.startswith("6行目 形式: テレパシー") for line in lines)
    assert any(line.startswith("6行目 開始: 25:00") for line in lines)
    assert "エラー" in lines[-1]
    assert "4" in lines[-1]
    assert counts(db_path) == before
    assert not list(db_path.parent.glob("a-rejected.csv"))


def test_skip_invalid_imports_the_rest_and_writes_the_rejects(
        write_sheet: WriteSheet, kankei: Run, db_path: Path) -> None:
    sheet = write_sheet("a.csv", bad_rows())
    code, out, err = kankei("import", str(sheet), "--skip-invalid")
    assert code == 0, err
    rejects = sheet.with_name("a-rejected.csv")
    assert str(rejects) in out
    assert counts(db_path)["attendance"] == 1
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0][:3] == ["日付", "開始", "クラブ"]
    assert [line[-2] for line in table[1:]] == ["3", "4", "5", "6"]
    assert "日付として読めません" in table[1][-1]
    assert table[1][0] == "2021/13/45"  # the original cells, ready to correct


def test_dry_run_changes_nothing(write_sheet: WriteSheet, kankei: Run,
                                 db_path: Path) -> None:
    kankei("init")
    digest = sha256(db_path)
    sheet = write_sheet("a.csv", [row("2021/12/16", "山田 太郎"), row("2021/12/16", "佐藤 花子")])
    code, out, _err = kankei("import", str(sheet), "--dry-run")
    assert code == 0
    assert "2" in out
    assert sha256(db_path) == digest
    assert not (db_path.parent / "backups").exists() or not list(
        (db_path.parent / "backups").glob("*import*"))
    assert counts(db_path)["person"] == 0


def test_a_backup_is_taken_before_the_import(write_sheet: WriteSheet, kankei: Run,
                                             db_path: Path) -> None:
    kankei("init")
    code, out, _err = kankei("import", str(write_sheet("a.csv", [row("2021/12/16", "山田 太郎")])))
    assert code == 0
    backups = list((db_path.parent / "backups").glob("*import*"))
    assert len(backups) == 1
    assert backups[0].name in out


def test_file_problems_exit_1_with_a_sentence(write_sheet: WriteSheet, kankei: Run,
                                              tmp_path: Path) -> None:
    code, _out, err = kankei("import", str(write_sheet(
        "a.csv", [["鷹栖クラブ", "山田 太郎"]], headers=["クラブ", "氏名"])))
    assert code == 1
    assert "日付" in err
    assert "セッション" in err
    assert "Traceback" not in err
    code, _out, err = kankei("import", str(tmp_path / "missing.xlsx"))
    assert code == 1
    assert "Traceback" not in err
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(128, 256)) * 4)
    code, _out, err = kankei("import", str(garbage))
    assert code == 1
    assert "Traceback" not in err


def test_summary_names_what_was_created(write_sheet: WriteSheet, kankei: Run) -> None:
    sheet = write_sheet("a.csv", [row("2021/12/16", "山田 太郎", org="北斗商事"),
                                  row("2021/12/17", "山田 太郎", org="北斗商事", title="第2回")])
    code, out, _err = kankei("import", str(sheet))
    assert code == 0
    assert "クラブ: 1" in out
    assert "セッション: 2" in out
    assert "人: 1" in out
    assert "団体: 2" in out
    assert "出欠: 2" in out
