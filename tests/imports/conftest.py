"""Sheets built in the tests: xlsx with real date cells, cp932 / UTF-8 BOM CSV."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from kankei_desktop.commands.cli import main

HEADERS = ["日付", "開始", "クラブ", "自治体", "セッション", "形式", "氏名", "ふりがな", "所属",
           "区分", "出欠", "メール"]

WriteSheet = Callable[..., Path]


def write_csv(path: Path, headers: Sequence[object], rows: Sequence[Sequence[object]],
              encoding: str = "cp932") -> Path:
    """A CSV as Japanese Excel writes it (cp932 by default)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, headers: Sequence[object], rows: Sequence[Sequence[object]],
               preamble: Sequence[Sequence[object]] = ()) -> Path:
    """An .xlsx whose first sheet holds the rows (dates stay date cells)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in preamble:
        sheet.append(list(line))
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    workbook.create_sheet("二枚目").append(["無視される"])
    workbook.save(path)
    return path


@pytest.fixture
def write_sheet(tmp_path: Path) -> WriteSheet:
    """``write_sheet(name, rows, headers=HEADERS, encoding="cp932")`` by the name's suffix."""

    def write(name: str, rows: Sequence[Sequence[object]],
              headers: Sequence[object] = HEADERS, encoding: str = "cp932") -> Path:
        path = tmp_path / name
        if path.suffix == ".xlsx":
            return write_xlsx(path, headers, rows)
        return write_csv(path, headers, rows, encoding)

    return write


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def kankei(capsys: pytest.CaptureFixture[str], db_location: Path | str) -> Run:
    """Run ``kankei --db <the test's database> ARGS`` in-process; (exit code, stdout,
    stderr). A shared database in modules that run on both engines."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_location), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
