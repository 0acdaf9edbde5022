"""A lean reader for the first sheet of an .xlsx: values only, dates as dates.

openpyxl's read-only mode builds an object per cell (and a rich-text object per inline
string), which makes a 50,000-row sheet take tens of seconds. This reader streams the sheet
XML with ``iterparse`` and converts values the way openpyxl does (shared and inline strings,
numbers, booleans, date/time formats incl. the 1904 date system). Anything unusual raises
:class:`UnsupportedWorkbook` and the caller falls back to openpyxl.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO
from xml.etree import ElementTree
from xml.etree.ElementTree import Element, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Japanese Excel's built-in date formats (和暦 and 年月日) that openpyxl's table lacks.
_JAPANESE_DATE_FORMATS = set(range(27, 37)) | set(range(50, 59))

Cell = object
_DIGITS = "0123456789"


class UnsupportedWorkbook(Exception):  # noqa: N818 - internal signal, never shown
    """The workbook is not laid out the way this reader expects (use openpyxl)."""


def read_first_sheet(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    """``(row number, cells)`` for every row of the first sheet, cells by column."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        sheet_path, date1904 = _first_sheet(archive)
        if sheet_path not in names:
            raise UnsupportedWorkbook(sheet_path)
        strings = _shared_strings(archive) if "xl/sharedStrings.xml" in names else []
        date_styles = _date_styles(archive) if "xl/styles.xml" in names else set()
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        with archive.open(sheet_path) as handle:
            yield from _rows(handle, strings, date_styles, epoch)


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, bool]:
    workbook = _parse(archive, "xl/workbook.xml")
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
    with archive.open(name) as handle:
        root: Element = ElementTree.parse(handle).getroot()
        return root


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as handle:
        for _event, element in iterparse(handle, events=("end",)):
            if element.tag == f"{_MAIN}si":
                strings.append(_text_of(element))
                element.clear()
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


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    styles = _parse(archive, "xl/styles.xml")
    custom = {int(fmt.get("numFmtId", "0")): fmt.get("formatCode", "")
              for fmt in styles.iter(f"{_MAIN}numFmt")}
    cell_formats = styles.find(f"{_MAIN}cellXfs")
    dates: set[int] = set()
    if cell_formats is None:
        return dates
    for index, xf in enumerate(cell_formats.findall(f"{_MAIN}xf")):
        number_format = int(xf.get("numFmtId", "0"))
        code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format, "")
        if number_format in _JAPANESE_DATE_FORMATS or (code and is_date_format(code)):
            dates.add(index)
    return dates


def _column(reference: str) -> int:
    index = 0
    for ch in reference:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


def _rows(handle: IO[bytes], strings: list[str], date_styles: set[int],
          epoch: datetime) -> Iterator[tuple[int, list[Cell]]]:
    row_tag, value_tag, inline_tag = f"{_MAIN}row", f"{_MAIN}v", f"{_MAIN}is"
    columns: dict[str, int] = {}
    next_row = 1
    for _event, row in iterparse(handle, events=("end",)):
        if row.tag != row_tag:
            continue
        cells: list[Cell] = []
        for element in row:
            reference = element.get("r")
            if reference:
                letters = reference.rstrip(_DIGITS)
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = _column(letters)
            else:
                column = len(cells)
            kind = element.get("t", "n")
            value: Cell = None
            if kind == "inlineStr":
                inline = element.find(inline_tag)
                value = _text_of(inline) if inline is not None else ""
            else:
                raw = element.findtext(value_tag)
                if raw is not None:
                    value = _convert(raw, kind, element.get("s"), strings, date_styles, epoch)
            if column >= len(cells):
                cells.extend([None] * (column - len(cells) + 1))
            cells[column] = value
        number = int(row.get("r") or next_row)
        yield number, cells
        next_row = number + 1
        row.clear()


def _convert(raw: str, kind: str, style: str | None, strings: list[str],
             date_styles: set[int], epoch: datetime) -> Cell:
    if kind == "s":
        return strings[int(raw)]
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw == "1"
    number = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
    if style is not None and int(style) in date_styles:
        return from_excel(number, epoch)
    return number
