"""Reading sheets: encodings, header rows, layouts, cell formats."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from kankei_desktop.imports.importer import analyse
from kankei_desktop.imports.layout import Field, Layout
from kankei_desktop.imports.reading import ImportFileError, detect_encoding
from kankei_desktop.imports.values import CellError, parse_date, parse_municipality, parse_time

from .conftest import HEADERS, WriteSheet, write_xlsx

BOTH_ENGINES = True

ROW = ["2021/12/16", "19:00", "鷹栖クラブ", "北海道鷹栖町", "第1回", "オンライン", "山田　太郎",
       "やまだ たろう", "北斗商事", "企業人材", "出席", ""]


@pytest.mark.parametrize("encoding", ["cp932", "utf-8", "utf-8-sig"])
def test_csv_in_every_usual_encoding(write_sheet: WriteSheet, encoding: str) -> None:
    analysis = analyse(write_sheet("a.csv", [ROW], encoding=encoding))
    assert analysis.layout is Layout.ATTENDANCE
    assert not analysis.validation.issues
    (row,) = analysis.validation.rows
    assert (row.family_name, row.given_name) == ("山田", "太郎")
    assert row.club == "鷹栖クラブ"
    assert row.municipality is not None
    assert row.municipality.code == "014524"


def test_encoding_detection() -> None:
    assert detect_encoding("氏名".encode("cp932")) == "cp932"
    assert detect_encoding("氏名".encode()) == "utf-8"
    assert detect_encoding("氏名".encode("utf-8-sig")) == "utf-8-sig"


def test_columns_in_any_order_english_headers_and_separate_names(
        write_sheet: WriteSheet) -> None:
    headers = ["E-mail", "Given name", "Family name", "Title", "Club", "Date", "Format"]
    rows = [["a@example.jp", "太郎", "山田", "Kickoff", "Club A", "2021-12-16", "online"]]
    analysis = analyse(write_sheet("a.csv", rows, headers=headers))
    assert analysis.layout is Layout.ATTENDANCE
    (row,) = analysis.validation.rows
    assert (row.family_name, row.given_name, row.email) == ("山田", "太郎", "a@example.jp")
    assert row.date == date(2021, 12, 16)
    assert row.format == "online"


def test_xlsx_date_cells_and_a_title_line_above_the_header(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "a.xlsx", HEADERS,
        [[datetime(2021, 12, 16), time(19, 0), *ROW[2:]]],
        preamble=[["令和3年度 出席簿"]])
    analysis = analyse(path)
    (row,) = analysis.validation.rows
    assert row.row == 3  # the row number the user sees in Excel
    assert row.date == date(2021, 12, 16)
    assert row.start == time(19, 0)


def test_people_list_layout_is_detected(write_sheet: WriteSheet) -> None:
    headers = ["氏名", "ふりがな", "所属", "区分", "メール", "電話", "備考"]
    rows = [["山田 太郎", "やまだ たろう", "北斗商事", "企業人材", "", "090-1234-5678", "メモ"]]
    analysis = analyse(write_sheet("people.csv", rows, headers=headers))
    assert analysis.layout is Layout.PEOPLE
    assert analysis.validation.rows[0].phone == "090-1234-5678"


def test_zoom_report_with_meeting_block_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "zoom.csv"
    path.write_text(
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        "812 3456 7890,定例会,12/16/2021 06:55:00 PM,12/16/2021 09:02:00 PM,host@example.jp,"
        "127,3\n\n"
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        "山田 太郎,taro@example.jp,12/16/2021 06:58:00 PM,12/16/2021 09:00:00 PM,122,No\n",
        encoding="utf-8-sig")
    analysis = analyse(path)
    assert analysis.layout is Layout.ZOOM
    assert analysis.mapping.column_of(Field.DURATION) == 4


def test_missing_required_columns_are_named(write_sheet: WriteSheet) -> None:
    with pytest.raises(ImportFileError) as caught:
        analyse(write_sheet("a.csv", [["鷹栖クラブ", "山田 太郎"]], headers=["クラブ", "氏名"]))
    assert "日付" in caught.value.message
    assert "セッション" in caught.value.message


def test_no_header_is_an_error(write_sheet: WriteSheet) -> None:
    with pytest.raises(ImportFileError):
        analyse(write_sheet("a.csv", [["1", "2"]], headers=["x", "y"]))


def test_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ImportFileError):
        analyse(bad)
    with pytest.raises(ImportFileError):
        analyse(tmp_path / "missing.csv")
    with pytest.raises(ImportFileError):
        analyse(tmp_path / "a.pdf")


@pytest.mark.parametrize(("text", "expected"), [
    ("2021/12/16", date(2021, 12, 16)), ("2021-12-16", date(2021, 12, 16)),
    ("２０２１／１２／１６", date(2021, 12, 16)), ("2021年12月16日", date(2021, 12, 16)),
    ("R3.12.16", date(2021, 12, 16)), ("令和3年12月16日", date(2021, 12, 16)),
    ("H31.4.30", date(2019, 4, 30)), ("令和元年5月1日", date(2019, 5, 1)),
    ("2021/12/16 0:00:00", date(2021, 12, 16)), (datetime(2021, 12, 16), date(2021, 12, 16)),
    (44546, date(2021, 12, 16)),
])
def test_dates(text: object, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2021/13/45", "H31.5.1", "昨日", ""])
def test_bad_dates(text: str) -> None:
    with pytest.raises(CellError):
        parse_date(text)


def test_times() -> None:
    assert parse_time("19:00") == time(19, 0)
    assert parse_time("１９：３０") == time(19, 30)
    assert parse_time("19時") == time(19, 0)
    assert parse_time(time(9, 5, 30)) == time(9, 5)
    assert parse_time("") is None
    with pytest.raises(CellError):
        parse_time("25:00")


def test_municipalities() -> None:
    assert (found := parse_municipality("鷹栖町")) is not None
    assert found.code == "014524"
    assert (found := parse_municipality("014524")) is not None
    assert found.name == "鷹栖町"
    assert (found := parse_municipality(14524)) is not None
    assert found.code == "014524"
    assert (found := parse_municipality("東京都府中市")) is not None
    with pytest.raises(CellError) as caught:
        parse_municipality("府中市")
    assert "東京都府中市" in str(caught.value)
    assert "広島県府中市" in str(caught.value)
    with pytest.raises(CellError):
        parse_municipality("架空村")


def test_the_template_round_trips(tmp_path: Path) -> None:
    from kankei_desktop.imports.template import template_headers, write_template

    path = write_template(tmp_path / "template.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(path).worksheets[0]
    assert [cell.value for cell in sheet[1]] == template_headers()
    assert template_headers()[:3] == ["日付", "開始", "終了"]
    # Filled in, it imports as the attendance layout.
    sheet.append(["2021/12/16", "19:00", "21:00", "鷹栖クラブ", "鷹栖町", "第1回", "セッション",
                  "オンライン", "山田 太郎", "やまだ たろう", "北斗商事", "企業人材", "出席", ""])
    sheet.parent.save(path)
    analysis = analyse(path)
    assert analysis.layout is Layout.ATTENDANCE
    assert not analysis.validation.issues


def test_the_lean_xlsx_reader_agrees_with_openpyxl(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from kankei_desktop.imports.reading import _read_xlsx, _read_xlsx_openpyxl

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["令和3年度 出席簿"])
    sheet.append(HEADERS)
    sheet.append([datetime(2021, 12, 16), time(19, 0), "鷹栖クラブ", 14524, "第1回", None,
                  "山田　太郎", "やまだ たろう", 3.5, True, "出席", ""])
    sheet.append([])
    sheet.append([None, None, "飛び地"])
    cell = sheet.cell(row=6, column=1, value=44546)
    cell.number_format = "yyyy/m/d"
    workbook.save(tmp_path / "a.xlsx")
    lean = _read_xlsx(tmp_path / "a.xlsx").rows
    thorough = _read_xlsx_openpyxl(tmp_path / "a.xlsx").rows

    def trimmed(rows: list[tuple[int, list[object]]]) -> list[tuple[int, list[object]]]:
        result = []
        for number, cells in rows:
            cells = [None if cell == "" else cell for cell in cells]
            while cells and cells[-1] is None:
                cells = cells[:-1]
            result.append((number, cells))
        return result

    assert trimmed(lean) == trimmed(thorough)
    assert lean[2][1][0] == datetime(2021, 12, 16)
    assert lean[-1] == (6, [datetime(2021, 12, 16)])


def test_write_only_workbooks_with_inline_strings(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("出席")
    sheet.append(HEADERS)
    sheet.append([date(2021, 12, 16), "19:00", *ROW[2:]])
    workbook.save(tmp_path / "w.xlsx")
    (row,) = analyse(tmp_path / "w.xlsx").validation.rows
    assert row.date == date(2021, 12, 16)
    assert row.family_name == "山田"
