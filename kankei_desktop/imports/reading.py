"""Reading a spreadsheet: the first sheet of an ``.xlsx`` or a ``.csv`` in any usual encoding.

Cells keep the types the file gives them (an Excel date cell stays a ``datetime``); CSV cells
are strings. Row numbers are the ones the user sees in Excel (1-based, header included).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _

#: A cell longer than this refuses the whole file at once (with its row); shorter ones that
#: are still too long for their field are refused row by row, naming the column.
MAX_CELL_CHARS = 1_000_000

Cell = object
"""A cell value: ``str``, ``int``, ``float``, ``datetime``, ``date``, ``time`` or ``None``."""


class ImportFileError(KankeiError):
    """The file cannot be read as a table (the message says why and what to do)."""


@dataclass
class SheetRows:
    """Every non-empty row of the first sheet, with its row number in the file."""

    rows: list[tuple[int, list[Cell]]]
    encoding: str | None = None
    """The text encoding of a CSV (``None`` for xlsx)."""


def detect_encoding(data: bytes) -> str:
    """BOM → ``utf-8-sig``; valid UTF-8 → ``utf-8``; else ``cp932`` (what Japanese Excel writes).

    Raises :class:`ImportFileError` when the bytes are none of these.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        data.decode("cp932")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is neither UTF-8 nor Shift_JIS text. Save it from Excel as "
              "\"CSV UTF-8\" or as an .xlsx workbook and try again.")
        ) from None
    return "cp932"


def read_rows(path: Path) -> SheetRows:
    """All non-empty rows of the file's first sheet."""
    if not path.exists():
        raise ImportFileError(_("The file {path} does not exist.").format(path=path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    raise ImportFileError(
        _("{name} is not an .xlsx or .csv file. Save the sheet from Excel as .xlsx or CSV and "
          "try again.").format(name=path.name)
    )


def _read_csv(path: Path) -> SheetRows:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows: list[tuple[int, list[Cell]]] = []
    if csv.field_size_limit() < MAX_CELL_CHARS:
        csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            if any(cell.strip() for cell in row):
                rows.append((number, list(row)))
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise ImportFileError(_(
                "Row {row} of {name} has a cell of more than {limit:,} characters, far more "
                "than any field holds. Shorten it and try again; nothing was imported.").format(
                    row=number + 1, name=path.name, limit=MAX_CELL_CHARS)) from None
        raise ImportFileError(
            _("{name} is not a readable CSV file ({detail}).").format(name=path.name, detail=exc)
        ) from None
    return SheetRows(rows, encoding)


def _read_xlsx(path: Path) -> SheetRows:
    from kankei_desktop.imports.xlsx import UnsupportedWorkbook, read_first_sheet

    try:
        return SheetRows([(number, cells) for number, cells in read_first_sheet(path)
                          if any(_present(cell) for cell in cells)])
    except UnsupportedWorkbook:
        return _read_xlsx_openpyxl(path)
    except (zipfile.BadZipFile, KeyError, ValueError, ParseError):
        raise ImportFileError(_unreadable_workbook(path)) from None


def _read_xlsx_openpyxl(path: Path) -> SheetRows:
    """The slow, thorough way (workbooks the lean reader does not know)."""
    from openpyxl import load_workbook  # slow import, only when needed

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_unreadable_workbook(path)) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[tuple[int, list[Cell]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells: list[Cell] = list(values)
            if any(_present(cell) for cell in cells):
                rows.append((number, cells))
    finally:
        workbook.close()
    return SheetRows(rows)


def _unreadable_workbook(path: Path) -> str:
    return _("{name} could not be opened as an Excel workbook. Open it in Excel, save it as "
             ".xlsx and try again.").format(name=path.name)


def _present(cell: Cell) -> bool:
    if cell is None:
        return False
    return not (isinstance(cell, str) and not cell.strip())
