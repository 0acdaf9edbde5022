"""Damaged and hostile workbooks and CSVs through the real import (issue 23, "done means").

More than 200 variants of two good sheets (an .xlsx and a CSV): truncated, bytes flipped,
members missing, added, oversized or hostile (an entity bomb, references off the grid, shared
strings that do not exist), and cells a text table never holds (NUL, control characters, open
quotation marks, bytes of no encoding, cells longer than any field). Each goes through
``kankei import`` in this process: it is refused with one sentence, never a traceback, and the
database dumps exactly as before. A workbook is checksummed member by member, so a flipped
byte either breaks it or falls where nothing is read (a date in a zip header): such a variant
may import, and then it holds exactly the rows of the good one, which changes nothing.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from kankei_desktop.commands.cli import main
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.sync.dump import dump_text

HEADERS = ["日付", "開始", "クラブ", "自治体", "セッション", "形式", "氏名", "ふりがな", "所属",
           "区分", "出欠", "メール", "備考"]
ROWS = [["2021/12/16", "19:00", "鷹栖クラブ", "鷹栖町", f"第{session}回", "オンライン",
         f"山田 太郎{person}", "やまだ たろう", "北斗株式会社", "企業人材", "出席",
         f"p{person}@example.jp", "メモ"] for session in range(1, 4) for person in range(6)]


def good_csv() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(ROWS)
    return buffer.getvalue().encode("utf-8")


def good_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                  for i in range(1, 10))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>")


def xlsx_variants(rng: random.Random) -> list[tuple[str, bytes]]:
    good = good_xlsx()
    members = _members(good)
    sheet = members[SHEET].decode()
    variants = [(f"truncated {index}", good[:rng.randrange(1, len(good))])
                for index in range(50)]
    for index in range(70):
        data = bytearray(good)
        for _flip in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        variants.append((f"bytes flipped {index}", bytes(data)))

    def with_sheet(xml: str) -> bytes:
        return _zipped({**members, SHEET: xml.encode()})

    for name in (SHEET, "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        variants.append((f"without {name}", _zipped(
            {key: value for key, value in members.items() if key != name})))
    variants += [
        ("entity bomb", with_sheet(BOMB)),
        ("not xml", with_sheet("<worksheet><sheetData><row>")),
        ("binary sheet", _zipped({**members, SHEET: bytes(range(256)) * 40})),
        ("empty archive", _zipped({})),
        ("zip inside", _zipped({SHEET: good})),
        ("workbook not xml", _zipped({**members, "xl/workbook.xml": b"\x00\x01garbage"})),
        ("styles not xml", _zipped({**members, "xl/styles.xml": b"<styleSheet"})),
        ("a text file", "氏名,メール\n".encode()),
    ]
    hostile_cells = [
        lambda xml: xml.replace('r="C2"', 'r="ZZZZZZZZ99999999"'),
        lambda xml: xml.replace('r="C2"', 'r="XFE2"'),
        lambda xml: xml.replace('<row r="3"', '<row r="2000000"'),
        lambda xml: xml.replace('<row r="3"', '<row r="-4"'),
        lambda xml: xml.replace('<row r="3"', '<row r="三"'),
    ]
    for index, change in enumerate(hostile_cells):
        variants.append((f"hostile cell {index}", with_sheet(change(sheet))))
    for index in range(15):
        row = rng.randrange(2, len(ROWS) + 2)
        column = "ABCDEFGHIJKLM"[rng.randrange(13)]
        reference = f"{column}{row}"
        replacement = rng.choice([
            f'<c r="{reference}" t="s"><v>{rng.randrange(5, 10**9)}</v></c>',
            f'<c r="{reference}" t="s"><v>x{index}</v></c>',
            f'<c r="{reference}"><v>{rng.choice(["十", "1e999999", "NaN?", "--1"])}</v></c>',
            f'<c r="{reference}" s="999999999999999999999"><v>1</v></c>',
        ])
        start = sheet.find(f'<c r="{reference}"')
        end = sheet.find("</c>", start) + len("</c>")
        variants.append((f"bad value {index}", with_sheet(
            sheet[:start] + replacement + sheet[end:])))
    return variants


def csv_variants(rng: random.Random) -> list[tuple[str, bytes]]:
    lines = good_csv().decode().splitlines(keepends=True)
    variants: list[tuple[str, bytes]] = []

    def cell_changed(index: int, change: object) -> bytes:
        row = rng.randrange(1, len(lines))
        cells = next(csv.reader([lines[row]]))
        column = rng.choice([6, 7, 8, 11, 12])  # a text column
        cells[column] = change(cells[column], index)  # type: ignore[operator]
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerow(cells)
        return "".join([*lines[:row], buffer.getvalue(), *lines[row + 1:]]).encode()

    for index in range(25):
        variants.append((f"nul {index}", cell_changed(
            index, lambda text, i: text[: i % (len(text) + 1)] + "\x00" + text[i % 3:])))
    for index in range(25):
        control = chr(rng.choice([1, 2, 7, 8, 11, 12, 14, 27, 31, 127]))
        variants.append((f"control {index}", cell_changed(
            index, lambda text, i, c=control: text + c + str(i))))
    for index in range(25):
        row = rng.randrange(1, len(lines))
        broken = lines[row].replace(",", ',"', 1 + index % 4)
        variants.append((f"open quote {index}", "".join(
            [*lines[:row], broken, *lines[row + 1:]]).encode()))
    for index in range(20):
        data = bytearray(good_csv())
        position = rng.randrange(len(lines[0]), len(data))
        data[position:position] = rng.choice([b"\x80\xff", b"\xff\xfe\xfd", b"\xc3\x28\xa0"])
        variants.append((f"no encoding {index}", bytes(data)))
    for index in range(10):
        variants.append((f"too long {index}", cell_changed(
            index, lambda text, i: text + "長" * (20_000 + i))))
    variants.append(("absurdly long cell", cell_changed(0, lambda text, i: "長" * 1_100_000)))
    return variants


@pytest.fixture
def target(tmp_path: Path) -> tuple[Path, str]:
    """A file that already holds what the good sheets hold (so a variant that still reads
    as the good sheet changes nothing), and its dump."""
    path = tmp_path / "kankei.sqlite3"
    for name, data in (("good.csv", good_csv()), ("good.xlsx", good_xlsx())):
        sheet = tmp_path / name
        sheet.write_bytes(data)
        assert main(["--db", str(path), "import", str(sheet)]) == 0
    services = Services(open_database(path))
    try:
        assert services.people.count() == 6
        return path, dump_text(services)
    finally:
        services.database.close()


def test_damaged_and_hostile_sheets_are_refused_and_change_nothing(
        target: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, before = target
    rng = random.Random(23)
    capsys.readouterr()
    refused = accepted = 0
    variants = [(f"xlsx {name}", ".xlsx", data) for name, data in xlsx_variants(rng)]
    variants += [(f"csv {name}", ".csv", data) for name, data in csv_variants(rng)]
    for number, (name, suffix, data) in enumerate(variants):
        sheet = tmp_path / f"variant{number}{suffix}"
        sheet.write_bytes(data)
        code = main(["--lang", "en", "--db", str(path), "import", str(sheet)])
        _out, err = capsys.readouterr()
        if code == 0:
            accepted += 1
            assert suffix == ".xlsx", f"{name}: a broken CSV was imported"
            continue
        refused += 1
        assert code == 1, name
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines, name
        # one sentence; for invalid rows, the rows' problems come before it, one a line
        assert lines[-1].startswith("Error: "), (name, err)
        assert all(line.startswith("Row ") for line in lines[:-1]), (name, err)
        assert "Traceback" not in err, (name, err)
        assert "unexpected" not in err, (name, err)
    assert refused >= 200, (refused, accepted)
    services = Services(open_database(path))
    try:
        assert dump_text(services) == before  # nothing refused left a trace
    finally:
        services.database.close()
