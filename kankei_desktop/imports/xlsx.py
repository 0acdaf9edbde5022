"""A lean reader for the first sheet of an .xlsx: values only, dates as dates.

openpyxl's read-only mode builds an object per cell (and a rich-text object per inline
string), which makes a 50,000-row sheet take tens of seconds. This reader streams the sheet
XML with ``iterparse`` and converts values the way openpyxl does (shared and inline strings,
numbers, booleans, date/time formats incl. the 1904 date system). Anything unusual raises
:class:`UnsupportedWorkbook` and the caller falls back to openpyxl.

The workbook comes from anyone, so nothing in it is trusted: a part larger than any real
workbook has, a cell reference outside Excel's grid, a shared-string index past the table, a
number that is not one, each raises :class:`WorkbookError` with a sentence naming the cell or
the part. Parsed rows are dropped from the XML tree as they go, so memory stays flat.
"""

from __future__ import annotations

import math
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO
from xml.etree import ElementTree
from xml.etree.ElementTree import Element, ParseError, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from kankei_desktop.core.i18n import _

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Japanese Excel's built-in date formats (和暦 and 年月日) that openpyxl's table lacks.
_JAPANESE_DATE_FORMATS = set(range(27, 37)) | set(range(50, 59))

Cell = object
_DIGITS = "0123456789"
#: Excel's grid: columns A … XFD, rows 1 … 1,048,576.
MAX_COLUMNS = 16_384
MAX_ROWS = 1_048_576
#: Cells right of this column are not read: no table imported here is that wide, and a lone
#: cell at XFD would otherwise make every row 16,384 cells long.
READ_COLUMNS = 256
#: The largest parts accepted, by their declared (and enforced) uncompressed size.
MAX_SHEET_BYTES = 4 * 1024**3
MAX_STRINGS_BYTES = 512 * 1024**2
MAX_SMALL_PART_BYTES = 64 * 1024**2


class UnsupportedWorkbook(Exception):  # noqa: N818 - internal signal, never shown
    """The workbook is not laid out the way this reader expects (use openpyxl)."""


class WorkbookError(Exception):
    """The workbook is malformed; ``str()`` is a sentence naming what is wrong."""


def read_first_sheet(archive: zipfile.ZipFile) -> Iterator[tuple[int, list[Cell]]]:
    """``(row number, cells)`` for every row of the first sheet, cells by column."""
    names = set(archive.namelist())
    sheet_path, date1904 = _first_sheet(archive)
    if sheet_path not in names:
        raise UnsupportedWorkbook(sheet_path)
    strings = _shared_strings(archive) if "xl/sharedStrings.xml" in names else []
    date_styles, style_count = _date_styles(archive) if "xl/styles.xml" in names else (set(), 1)
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    with _open_part(archive, sheet_path, MAX_SHEET_BYTES) as handle:
        yield from _rows(handle, _Values(strings, date_styles, style_count, epoch), sheet_path)


def _open_part(archive: zipfile.ZipFile, name: str, limit: int) -> IO[bytes]:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise WorkbookError(_("the part {part} is missing.").format(part=name)) from None
    if info.file_size > limit:
        raise WorkbookError(_("the part {part} is larger than any real workbook has "
                              "({size:,} bytes).").format(part=name, size=info.file_size))
    return archive.open(info)


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, bool]:
    try:
        workbook = _parse(archive, "xl/workbook.xml")
    except WorkbookError:
        raise UnsupportedWorkbook("no xl/workbook.xml") from None
    if workbook.tag != f"{_MAIN}workbook":
        raise UnsupportedWorkbook("not a transitional workbook")
    properties = workbook.find(f"{_MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    sheet = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if sheet is None:
        raise UnsupportedWorkbook("no sheet")
    relation_id = sheet.get(f"{_REL}id")
    relations = _parse(archive, "xl/_rels/workbook.xml.rels")
    for relation in relations.iter(f"{_PKG_REL}Relationship"):
        if relation.get("Id") == relation_id:
            target = relation.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/"), date1904
            return posixpath.normpath(posixpath.join("xl", target)), date1904
    raise UnsupportedWorkbook("sheet relation missing")


def _parse(archive: zipfile.ZipFile, name: str) -> Element:
    with _open_part(archive, name, MAX_SMALL_PART_BYTES) as handle:
        try:
            root: Element = ElementTree.parse(handle).getroot()
        except ParseError as exc:
            raise _not_xml(name, exc) from None
        return root


def _not_xml(name: str, exc: ParseError) -> WorkbookError:
    return WorkbookError(_("the part {part} is not valid XML ({detail}).").format(
        part=name, detail=exc))


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    strings: list[str] = []
    name = "xl/sharedStrings.xml"
    with _open_part(archive, name, MAX_STRINGS_BYTES) as handle:
        try:
            table: Element | None = None
            for event, element in iterparse(handle, events=("start", "end")):
                if event == "start":
                    if table is None:
                        table = element
                    continue
                if element.tag == f"{_MAIN}si":
                    strings.append(_text_of(element))
                    if table is not None:
                        table.clear()  # the strings are kept; their XML is not
        except ParseError as exc:
            raise _not_xml(name, exc) from None
    return strings


def _text_of(element: Element) -> str:
    """The text of a shared/inline string, without phonetic (ルビ) runs."""
    parts: list[str] = []
    for child in element:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            text = child.find(f"{_MAIN}t")
            parts.append(text.text or "" if text is not None else "")
    return "".join(parts)


def _date_styles(archive: zipfile.ZipFile) -> tuple[set[int], int]:
    """The cell styles that show dates, and how many cell styles there are."""
    styles = _parse(archive, "xl/styles.xml")
    try:
        custom = {int(fmt.get("numFmtId", "0")): fmt.get("formatCode", "")
                  for fmt in styles.iter(f"{_MAIN}numFmt")}
        cell_formats = styles.find(f"{_MAIN}cellXfs")
        dates: set[int] = set()
        if cell_formats is None:
            return dates, 1
        formats = cell_formats.findall(f"{_MAIN}xf")
        for index, xf in enumerate(formats):
            number_format = int(xf.get("numFmtId", "0"))
            code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format, "")
            if number_format in _JAPANESE_DATE_FORMATS or (code and is_date_format(code)):
                dates.add(index)
    except ValueError:
        raise WorkbookError(_("the part xl/styles.xml names a number format that is not a "
                              "number.")) from None
    return dates, max(len(formats), 1)


def _column(reference: str) -> int:
    """The 0-based column of ``A1``-style letters; :class:`WorkbookError` off the grid."""
    index = 0
    for ch in reference:
        if "A" <= ch <= "Z" and index <= MAX_COLUMNS:
            index = index * 26 + ord(ch) - 64
        else:
            break
    if not 1 <= index <= MAX_COLUMNS:
        raise WorkbookError(_("the cell reference {reference} is outside any Excel sheet (the "
                              "last column is XFD).").format(reference=reference[:20]))
    return index - 1


@dataclass(frozen=True)
class _Values:
    """What converting a cell's value needs from the rest of the workbook."""

    strings: list[str]
    date_styles: set[int]
    style_count: int
    epoch: datetime


def _rows(handle: IO[bytes], values: _Values, part: str) -> Iterator[tuple[int, list[Cell]]]:
    row_tag, value_tag, inline_tag = f"{_MAIN}row", f"{_MAIN}v", f"{_MAIN}is"
    data_tag = f"{_MAIN}sheetData"
    columns: dict[str, int] = {}
    next_row = 1
    sheet_data: Element | None = None
    try:
        for event, row in iterparse(handle, events=("start", "end")):
            if event == "start":
                if row.tag == data_tag:
                    sheet_data = row
                continue
            if row.tag != row_tag:
                continue
            number = _row_number(row.get("r"), next_row)
            cells: list[Cell] = []
            for element in row:
                reference = element.get("r")
                if reference:
                    letters = reference.rstrip(_DIGITS)
                    column = columns.get(letters)
                    if column is None:
                        column = _column(letters)
                        if len(columns) < MAX_COLUMNS:
                            columns[letters] = column
                else:
                    column = len(cells)
                    if column >= MAX_COLUMNS:
                        raise WorkbookError(_("row {row} has more cells than an Excel sheet "
                                              "has columns.").format(row=number))
                kind = element.get("t", "n")
                value: Cell = None
                if kind == "inlineStr":
                    inline = element.find(inline_tag)
                    value = _text_of(inline) if inline is not None else ""
                else:
                    raw = element.findtext(value_tag)
                    if raw is not None:
                        value = _convert(raw, kind, element.get("s"), values,
                                         reference or f"#{number}:{column + 1}")
                if column >= READ_COLUMNS:
                    continue
                if column >= len(cells):
                    cells.extend([None] * (column - len(cells) + 1))
                cells[column] = value
            yield number, cells
            next_row = number + 1
            row.clear()
            if sheet_data is not None:
                sheet_data.clear()  # rows already read are dropped from the tree
    except ParseError as exc:
        raise _not_xml(part, exc) from None


def _row_number(text: str | None, expected: int) -> int:
    if text is None:
        return expected
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_ROWS:
        raise WorkbookError(_("the row number {row} is outside any Excel sheet (the last row "
                              "is 1048576).").format(row=text[:20]))
    return number


def _convert(raw: str, kind: str, style: str | None, values: _Values, reference: str) -> Cell:
    if kind == "s":
        try:
            return values.strings[int(raw)]
        except (ValueError, IndexError):
            raise WorkbookError(_("the cell {cell} refers to shared text number {index}, which "
                                  "the workbook does not contain.").format(
                                      cell=reference, index=raw[:20])) from None
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw == "1"
    style_index = 0
    if style is not None:
        try:
            style_index = int(style)
        except ValueError:
            style_index = -1
        if not 0 <= style_index < values.style_count:
            raise WorkbookError(_("the cell {cell} uses style number {style}, which the "
                                  "workbook does not define.").format(
                                      cell=reference, style=style[:20]))
    try:
        number = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
        if not math.isfinite(number):
            raise ValueError(raw)
        if style is not None and style_index in values.date_styles:
            return from_excel(number, values.epoch)
    except (ValueError, OverflowError):
        raise WorkbookError(_("the cell {cell} holds '{value}' where a number or a date is "
                              "declared.").format(cell=reference, value=raw[:40])) from None
    return number
