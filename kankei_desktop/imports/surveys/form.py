"""Reading a form's export: which service made it, the timestamp, e-mail and name columns,
and one column per question.

- Google Forms: 「タイムスタンプ」/「Timestamp」 first, an optional 「メールアドレス」 column
  when the form collects addresses, then the questions (several answers joined with ", ");
- Microsoft Forms: 「ID」, 「開始時刻」, 「完了時刻」, 「メール」, 「名前」 (and in newer
  exports 「最終変更時刻」) — "Start time", "Completion time", "Email", "Name" in English —
  then the questions (several answers joined with ";" and ended by one); a quiz adds points
  and feedback columns, which are skipped. An anonymous response says 「anonymous」.

A question that asks for the name or the e-mail address (「お名前」, 「メールアドレス」) is read
as that column, not as a question: it identifies the person and is never counted.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import normalize_text, search_key
from kankei_desktop.core.surveys.values import one_line
from kankei_desktop.core.vocabulary import ResponseSource
from kankei_desktop.imports.reading import Cell, ImportFileError, read_rows

GOOGLE_SEPARATOR = ", "
MICROSOFT_SEPARATOR = ";"


def _keys(*names: str) -> frozenset[str]:
    return frozenset(search_key(name) for name in names)


_TIMESTAMP = _keys("タイムスタンプ", "Timestamp", "完了時刻", "Completion time", "回答日時",
                   "送信日時", "回答時刻", "Submitted at", "Submission time", "Submitted",
                   "回答完了時刻", "日時")
_GOOGLE_STAMP = _keys("タイムスタンプ", "Timestamp")
_START = _keys("開始時刻", "Start time")
_MODIFIED = _keys("最終変更時刻", "Last modified time")
_ID = _keys("ID", "回答ID", "Response ID")
_QUIZ = _keys("合計点数", "Total points", "クイズのフィードバック", "Quiz feedback", "得点",
              "Score")
_EMAIL = _keys("メールアドレス", "Email Address", "Email", "E-mail", "E-mail address", "メール",
               "Eメール", "Eメールアドレス", "電子メール", "電子メールアドレス", "Mail",
               "Mail address", "メールアドレス（任意）")
_NAME = _keys("名前", "氏名", "お名前", "Name", "Full name", "Your name", "回答者", "回答者名",
              "ご氏名", "氏名（フルネーム）", "お名前（フルネーム）")
_NAME_PREFIXES = tuple(search_key(name) for name in ("お名前", "氏名", "ご氏名"))
_QUIZ_PREFIXES = tuple(search_key(name) for name in ("Points - ", "Feedback - ", "ポイント - ",
                                                      "フィードバック - "))
_REJECTS_TAIL = [[search_key(_("Row")), search_key(_("Reason"))], ["row", "reason"],
                 [search_key("行"), search_key("理由")]]
_ANONYMOUS = _keys("anonymous", "匿名", "")
_BRACKET_NOTE = re.compile(r"[（(【\[].*[）)】\]]$")


@dataclass(frozen=True)
class FormColumn:
    """A question column: its place in the sheet, its header and its question number."""

    index: int
    header: str
    number: int


@dataclass
class FormSheet:
    """A form's export as read: the columns found and the data rows with their numbers."""

    path: Path
    source: str
    separator: str
    header_row: int
    questions: list[FormColumn]
    rows: list[tuple[int, list[Cell]]]
    timestamp: int | None = None
    email: int | None = None
    name: int | None = None
    skipped: list[str] = field(default_factory=list)
    """Headers of the service's own columns that are not answers (ID, start time …)."""
    headers: list[str] = field(default_factory=list)
    """The header row as written (for the file of rejected rows)."""

    def cell(self, cells: list[Cell], index: int | None) -> Cell:
        """The cell at column ``index`` (None beyond the row's end or without a column)."""
        if index is None or index >= len(cells):
            return None
        return cells[index]


def _header_kind(key: str) -> str:
    """What a header names: ts, start, modified, id, quiz, email, name or "" (a question)."""
    bare = search_key(_BRACKET_NOTE.sub("", key)) if key else key
    for kind, names in (("ts", _TIMESTAMP), ("start", _START), ("modified", _MODIFIED),
                        ("id", _ID), ("quiz", _QUIZ), ("email", _EMAIL), ("name", _NAME)):
        if key in names or bare in names:
            return kind
    if key.startswith(_QUIZ_PREFIXES):
        return "quiz"
    if key.startswith(_NAME_PREFIXES) and len(bare) <= 12:
        return "name"
    return ""


def read_form(path: Path) -> FormSheet:
    """Read ``path`` (csv or xlsx in any usual encoding) as a form's export.

    Raises :class:`ImportFileError` for a file that cannot be read or has no question column.
    """
    sheet = read_rows(path)
    if not sheet.rows:
        raise ImportFileError(_("{name} is empty: an export of a form has a header row and "
                                "one row per response.").format(name=path.name))
    header_row, header_cells = sheet.rows[0]
    headers = [one_line(cell_text(cell)) for cell in header_cells]
    kinds = [_header_kind(search_key(header)) for header in headers]
    if len(kinds) >= 2 and [search_key(header) for header in headers[-2:]] in _REJECTS_TAIL:
        kinds[-2:] = ["quiz", "quiz"]  # a file of rejected rows: its row and reason columns
    microsoft = "id" in kinds[:1] and "start" in kinds and "ts" in kinds
    google = bool(headers) and search_key(headers[0]) in _GOOGLE_STAMP and not microsoft
    form = FormSheet(path=path, source=ResponseSource.MICROSOFT.value if microsoft else (
        ResponseSource.GOOGLE.value if google else ResponseSource.FORM.value),
        separator=MICROSOFT_SEPARATOR if microsoft else GOOGLE_SEPARATOR,
        header_row=header_row, questions=[], rows=sheet.rows[1:], headers=headers)
    if "ts" not in kinds and _looks_like_times(form.rows, 0):
        kinds[0] = "ts"  # an export whose first column holds the times under another header
    number = 0
    for index, (header, kind) in enumerate(zip(headers, kinds, strict=True)):
        if kind == "ts" and form.timestamp is None:
            form.timestamp = index
        elif kind == "email" and form.email is None:
            form.email = index
        elif kind == "name" and form.name is None:
            form.name = index
        elif kind in ("start", "modified", "id", "quiz", "ts") or (
                not header and _column_empty(form.rows, index)):
            form.skipped.append(header)
        else:
            number += 1
            form.questions.append(FormColumn(index, header or _("Question {number}").format(
                number=number), number))
    if not form.questions:
        raise ImportFileError(_(
            "{name} has no question columns: the first row must name the questions, after the "
            "timestamp (and the ID, times, e-mail and name columns of Microsoft Forms). Export "
            "the responses from the form again and try once more.").format(name=path.name))
    return form


def _column_empty(rows: list[tuple[int, list[Cell]]], index: int) -> bool:
    return all(index >= len(cells) or cell_text(cells[index]) == "" for _n, cells in rows)


def _looks_like_times(rows: list[tuple[int, list[Cell]]], index: int) -> bool:
    values = [cells[index] for _n, cells in rows[:20] if index < len(cells)]
    return bool(values) and all(parse_timestamp(value) is not None for value in values)


def cell_text(cell: Cell) -> str:
    """A cell as text: numbers without a trailing ``.0``, dates in ISO form, line breaks as
    ``\\n``, both ends stripped."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    return str(cell).replace("\r\n", "\n").replace("\r", "\n").strip()


_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S",
                 "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
                 "%m/%d/%y %H:%M:%S", "%m/%d/%y %H:%M", "%d.%m.%Y %H:%M:%S",
                 "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y/%m/%d", "%Y-%m-%d")
_ZONE = re.compile(r"\s*(GMT|UTC|JST)([+-]\d{1,2}(:?\d{2})?)?$")


def parse_timestamp(cell: Cell) -> datetime | None:
    """When a response was sent: an Excel date cell, an Excel serial number or the text forms
    Google and Microsoft write (「2021/12/16 13:05:22」, "12/16/2021 13:05:22", with or
    without 「GMT+9」); None when it is none of these."""
    if isinstance(cell, datetime):
        return cell.replace(tzinfo=None)
    if isinstance(cell, date):
        return datetime.combine(cell, time())
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 20000 < cell < 80000:
        value = from_excel(cell, CALENDAR_WINDOWS_1900)
        return value if isinstance(value, datetime) else None
    text = _ZONE.sub("", normalize_text(cell_text(cell)))
    if "午" in text:
        text = _ampm(text)
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _ampm(text: str) -> str:
    """「2021/12/16 午後 1:05:22」 → 24-hour form."""
    match = re.search(r"(午前|午後)\s*(\d{1,2})(:\d{2}(:\d{2})?)", text)
    if match is None:
        return text
    hour = int(match.group(2)) % 12 + (12 if match.group(1) == "午後" else 0)
    return text[:match.start()] + f"{hour:02d}{match.group(3)}" + text[match.end():]


def person_text(cell: Cell) -> str:
    """An e-mail or name cell, "" for Microsoft's 「anonymous」."""
    text = normalize_text(cell_text(cell))
    return "" if search_key(text) in _ANONYMOUS else text


def row_key(form: FormSheet, cells: list[Cell], seen: dict[str, int]) -> str:
    """The natural key of a response row: its time, a hash of its answers and identity
    cells, and how many identical rows came before it in the file."""
    stamp = parse_timestamp(form.cell(cells, form.timestamp))
    when = stamp.isoformat(sep=" ") if stamp is not None else \
        cell_text(form.cell(cells, form.timestamp))
    content = "\x1f".join(cell_text(form.cell(cells, index)) for index in
                          [form.email, form.name, *(column.index for column in form.questions)])
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]
    base = f"{when}|{digest}"
    seen[base] = seen.get(base, 0) + 1
    return f"{base}|{seen[base]}"
