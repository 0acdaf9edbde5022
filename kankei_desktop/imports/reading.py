"""Reading a spreadsheet: the first sheet of an ``.xlsx`` or a ``.csv`` in any usual encoding.

Cells keep the types the file gives them (an Excel date cell stays a ``datetime``); CSV cells
are strings. Row numbers are the ones the user sees in Excel (1-based, header included).

Files are read as a stream, never whole: :func:`read_rows` keeps the first rows (to find the
header and show a preview) and :meth:`SheetRows.all_rows` reads the file again from the start
each time the rows are needed, so a million-row sheet takes no more memory than a small one.
Only regular files are read (a device or a pipe is refused), and anything malformed — a
quotation mark left open, a NUL byte, a cell longer than any field, a broken workbook — is
refused with a sentence naming the row or the part of the workbook.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.regular_file import Problem, RegularFileError, open_regular

#: A cell longer than this refuses the whole file at once (with its row); shorter ones that
#: are still too long for their field are refused row by row, naming the column.
MAX_CELL_CHARS = 1_000_000
#: Rows kept in memory after reading: enough to find the header and fill the preview.
HEAD_ROWS = 200
CHUNK = 256 * 1024
Cell = object
"""A cell value: ``str``, ``int``, ``float``, ``datetime``, ``date``, ``time`` or ``None``."""


class ImportFileError(KankeiError):
    """The file cannot be read as a table (the message says why and what to do)."""


@dataclass
class SheetRows:
    """The first non-empty rows of the first sheet, with their row numbers in the file.

    ``rows`` holds them all when the sheet is short (``complete``); otherwise
    :meth:`all_rows` reads the whole sheet again from ``path``.
    """

    rows: list[tuple[int, list[Cell]]]
    encoding: str | None = None
    """The text encoding of a CSV (``None`` for xlsx)."""
    path: Path | None = None
    complete: bool = True

    def all_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """Every non-empty row of the sheet, in order (read again when not all in memory)."""
        if self.complete or self.path is None:
            yield from self.rows
            return
        yield from iter_rows(self.path, self.encoding)


def detect_encoding(data: bytes) -> str:
    """BOM → ``utf-8-sig``; valid UTF-8 → ``utf-8``; else ``cp932`` (what Japanese Excel writes).

    Raises :class:`ImportFileError` when the bytes are none of these.
    """
    return _detect(io.BytesIO(data))


def _detect(handle: BinaryIO) -> str:
    """:func:`detect_encoding` over a stream (read to its end in chunks)."""
    start = handle.read(4)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "cp932"):
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while block := handle.read(CHUNK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportFileError(
        _("The file is neither UTF-8 nor Shift_JIS text. Save it from Excel as "
          "\"CSV UTF-8\" or as an .xlsx workbook and try again.")
    )


def read_rows(path: Path) -> SheetRows:
    """The first rows of the file's first sheet (all of them when it is short)."""
    encoding = _encoding_of(path) if _kind(path) == "csv" else None
    head = list(islice(iter_rows(path, encoding), HEAD_ROWS + 1))
    complete = len(head) <= HEAD_ROWS
    return SheetRows(head[:HEAD_ROWS] if not complete else head, encoding, path, complete)


def iter_rows(path: Path, encoding: str | None = None) -> Iterator[tuple[int, list[Cell]]]:
    """Every non-empty row of the file's first sheet, read as a stream."""
    if _kind(path) == "xlsx":
        yield from _xlsx_rows(path)
    else:
        yield from _csv_rows(path, encoding or _encoding_of(path))


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if not path.exists():
        raise ImportFileError(_("The file {path} does not exist.").format(path=path))
    raise ImportFileError(
        _("{name} is not an .xlsx or .csv file. Save the sheet from Excel as .xlsx or CSV and "
          "try again.").format(name=path.name)
    )


def opened(path: Path) -> BinaryIO:
    """The file, if it is a regular one (never a device or a pipe)."""
    try:
        return open_regular(path)
    except RegularFileError as exc:
        if exc.problem is Problem.MISSING:
            raise ImportFileError(_("The file {path} does not exist.").format(
                path=path)) from None
        if exc.problem is Problem.NOT_REGULAR:
            raise ImportFileError(_("{path} is not a file but a device, a folder or a pipe. "
                                    "Choose the spreadsheet file itself.").format(
                                        path=path)) from None
        raise ImportFileError(_("The file {path} cannot be read ({detail}). Check that it is "
                                "not open in another program and try again.").format(
                                    path=path, detail=exc.detail)) from None


def _encoding_of(path: Path) -> str:
    with opened(path) as handle:
        return _detect(handle)


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, list[Cell]]]:
    if csv.field_size_limit() < MAX_CELL_CHARS:
        csv.field_size_limit(MAX_CELL_CHARS)
    with opened(path) as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
        sample = text.read(4096)
        text.seek(0)
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        number = 0
        try:
            for number, row in enumerate(reader, start=1):
                if any("\x00" in cell for cell in row):
                    raise ImportFileError(_(
                        "Row {row} of {name} contains a NUL character (binary data), which a "
                        "table saved as text never holds: the file may be damaged or not a CSV. "
                        "Save it again from Excel and try again; nothing was imported.").format(
                            row=number, name=path.name))
                if any(cell.strip() for cell in row):
                    yield number, list(row)
        except csv.Error as exc:
            raise _csv_error(path, number + 1, exc) from None
        except UnicodeDecodeError:
            raise ImportFileError(_(
                "Row {row} of {name} is not {encoding} text like the rows before it. Save the "
                "file again as \"CSV UTF-8\" and try again; nothing was imported.").format(
                    row=number + 1, name=path.name, encoding=encoding)) from None


def _csv_error(path: Path, row: int, exc: csv.Error) -> ImportFileError:
    detail = str(exc)
    if "field limit" in detail:
        return ImportFileError(_(
            "Row {row} of {name} has a cell of more than {limit:,} characters, far more than "
            "any field holds. Shorten it and try again; nothing was imported.").format(
                row=row, name=path.name, limit=MAX_CELL_CHARS))
    if "end of data" in detail or "expected after" in detail:
        return ImportFileError(_(
            "Row {row} of {name} has a quotation mark (\") that is not closed, or a stray one "
            "after a closed cell, so the cells after it cannot be told apart. Correct that row "
            "in Excel and save it again; nothing was imported.").format(
                row=row, name=path.name))
    return ImportFileError(_("Row {row} of {name} cannot be read as CSV ({detail}). Correct it "
                             "and try again; nothing was imported.").format(
                                 row=row, name=path.name, detail=detail))


#: What reading a damaged zip can raise besides our own WorkbookError.
_DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
                NotImplementedError, RuntimeError)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    from kankei_desktop.imports.xlsx import UnsupportedWorkbook, WorkbookError, read_first_sheet

    with opened(path) as handle:
        try:
            archive = zipfile.ZipFile(handle)
        except _DAMAGED_ZIP:
            raise ImportFileError(_unreadable_workbook(path)) from None
        with archive:
            try:
                rows = read_first_sheet(archive)
                first = next(rows, None)
                if first is not None and _non_empty(first[1]):
                    yield first
                for number, cells in rows:
                    if _non_empty(cells):
                        yield number, cells
                return
            except UnsupportedWorkbook:
                pass  # read by openpyxl below
            except WorkbookError as exc:
                raise ImportFileError(_bad_workbook(path, exc)) from None
            except _DAMAGED_ZIP:  # a member that fails its checksum or does not inflate
                raise ImportFileError(_unreadable_workbook(path)) from None
    yield from _openpyxl_rows(path)


def _openpyxl_rows(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    """The slow, thorough way (workbooks the lean reader does not know)."""
    from openpyxl import load_workbook  # slow import, only when needed

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # any failure to parse untrusted bytes: not a workbook we can read
        raise ImportFileError(_unreadable_workbook(path)) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells: list[Cell] = list(values)
            if _non_empty(cells):
                yield number, cells
    except Exception as exc:  # openpyxl reports a hostile part in many ways
        raise ImportFileError(_("{name} is a damaged Excel workbook ({detail}). Open it in "
                                "Excel, save it as .xlsx and try again; nothing was "
                                "imported.").format(name=path.name,
                                                    detail=type(exc).__name__)) from None
    finally:
        workbook.close()


def _read_xlsx(path: Path) -> SheetRows:
    """Every row of a workbook's first sheet, in memory (small files and tests)."""
    return SheetRows(list(_xlsx_rows(path)), path=path)


def _read_xlsx_openpyxl(path: Path) -> SheetRows:
    """The same through openpyxl (small files and tests)."""
    return SheetRows(list(_openpyxl_rows(path)), path=path)


def _unreadable_workbook(path: Path) -> str:
    return _("{name} could not be opened as an Excel workbook. Open it in Excel, save it as "
             ".xlsx and try again.").format(name=path.name)


def _bad_workbook(path: Path, exc: Exception) -> str:
    return _("{name} is a damaged Excel workbook: {problem} Open it in Excel, save it as .xlsx "
             "and try again; nothing was imported.").format(name=path.name, problem=str(exc))


def _non_empty(cells: list[Cell]) -> bool:
    return any(_present(cell) for cell in cells)


def _present(cell: Cell) -> bool:
    if cell is None:
        return False
    return not (isinstance(cell, str) and not cell.strip())
