"""Grid tables of the documents: headers that repeat, cells that stay in their boxes.

:func:`grid_table` turns columns (:class:`~kankei_desktop.reports.cells.Column`) and rows
of strings into a reportlab ``Table``: widths from the content, one-line cells for names,
dates and counts, wrapped cells only where text is long, group rows spanning the table
(「たかす放課後企業クラブ」 above its sessions), shaded 小計・合計 rows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Paragraph, Table, TableStyle

from kankei_desktop.reports.cells import CELL_PADDING, Column, FitText, Kind, column_widths
from kankei_desktop.reports.fonts import GOTHIC, MINCHO

HEADER_BACKGROUND = colors.HexColor("#E8ECF0")
TOTAL_BACKGROUND = colors.HexColor("#F4F4F4")
GROUP_BACKGROUND = colors.HexColor("#F7F8FA")
GRID = colors.HexColor("#555555")
_FUZZ = 0.01
_ALIGN = {Kind.NUMBER: "RIGHT", Kind.MARK: "CENTER"}
#: A page break never leaves fewer body rows than this at the top of the next page ...
MIN_TAIL_ROWS = 3
#: ... nor at the foot of this one (the table then starts on the next page).
MIN_HEAD_ROWS = 3


class GridTable(Table):  # type: ignore[misc]
    """A table that splits between pages like a typeset one: never fewer than
    :data:`MIN_TAIL_ROWS` rows carried over alone (a lone 合計 row) nor
    :data:`MIN_HEAD_ROWS` left at the foot of a page, never a group label at the foot of a
    page without its first row, never a 小計・合計 row away from the row above it."""

    def __init__(self, *args: Any, groups: Collection[int] = (), totals: Collection[int] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._groups = frozenset(groups)
        self._totals = frozenset(totals)

    def _getFirstPossibleSplitRowPosition(self, availHeight: float,  # noqa: N802, N803
                                          ignoreSpans: int = 0) -> int:  # noqa: N803
        split = int(super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans))
        count = len(self._rowHeights)
        first_body = int(self.repeatRows) + 1
        if not first_body < split < count:
            return split
        if count - split < MIN_TAIL_ROWS:
            split = count - MIN_TAIL_ROWS
        while split > first_body and (split - 1 in self._groups or split in self._totals):
            split -= 1
        return split if split >= first_body + MIN_HEAD_ROWS - 1 else 0

    def opening_height(self) -> float:
        """The height of the header and the first :data:`MIN_HEAD_ROWS` body rows (with any
        group label among them): what must fit under a heading for the table to start."""
        height = 0.0
        body = 0
        for number, row_height in enumerate(self._rowHeights):
            height += row_height
            if number > int(self.repeatRows) - 1 and number not in self._groups:
                body += 1
                if body >= MIN_HEAD_ROWS:
                    break
        return height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        """The parts, with a page break between them: after a split moved up to keep rows
        together, the rest must not start again (header and all) lower on the same page."""
        parts = list(super().split(availWidth, availHeight))
        if len(parts) == 2:
            parts.insert(1, PageBreak())
        return parts


@dataclass
class TableRows:
    """The rows of a table and which of them are group labels or totals."""

    rows: list[list[str]] = field(default_factory=list)
    groups: set[int] = field(default_factory=set)
    totals: set[int] = field(default_factory=set)

    def add(self, row: Sequence[str]) -> None:
        self.rows.append(list(row))

    def group(self, label: str) -> None:
        """A row spanning the table (the first cell's text)."""
        self.groups.add(len(self.rows))
        self.rows.append([label])

    def total(self, row: Sequence[str]) -> None:
        """A shaded 小計・合計 row."""
        self.totals.add(len(self.rows))
        self.rows.append(list(row))


def grid_table(styles: Any, texts: list[str], columns: Sequence[Column],
               body: TableRows | Sequence[Sequence[str]], total_width: float, *,
               widths: Sequence[float] | None = None, min_height: float = 0.0) -> Table:
    """The table; every string it shows is appended to ``texts`` (for the glyph check).

    ``widths`` (points) overrides the widths chosen from the content; ``min_height`` (points)
    makes body rows at least that tall (signature columns).
    """
    table_rows = body if isinstance(body, TableRows) else TableRows([list(r) for r in body])
    size = float(styles.cell.fontSize)
    leading = float(styles.cell.leading)
    measured = [row for number, row in enumerate(table_rows.rows)
                if number not in table_rows.groups]
    points = list(widths) if widths is not None else column_widths(
        columns, measured, total_width, body_font=MINCHO, head_font=GOTHIC, size=size)
    header = [_header_cell(column, width, size, leading, texts)
              for column, width in zip(columns, points, strict=True)]
    data: list[list[Any]] = [header]
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 1), (-1, -1), MINCHO),
        ("FONTSIZE", (0, 1), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), leading),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *[("ALIGN", (index, 1), (index, -1), _ALIGN[column.kind])
          for index, column in enumerate(columns) if column.kind in _ALIGN],
    ]
    for number, row in enumerate(table_rows.rows, start=1):
        if number - 1 in table_rows.groups:
            texts.append(row[0])
            data.append([Paragraph(escape(row[0]), styles.group)] + [""] * (len(columns) - 1))
            commands += [("SPAN", (0, number), (-1, number)),
                         ("BACKGROUND", (0, number), (-1, number), GROUP_BACKGROUND),
                         ("ALIGN", (0, number), (-1, number), "LEFT")]
            continue
        total = number - 1 in table_rows.totals
        font = GOTHIC if total else MINCHO
        data.append([_body_cell(column, text, width, font, size, leading, styles, texts)
                     for column, text, width in zip(columns, row, points, strict=True)])
        if total:
            commands += [("BACKGROUND", (0, number), (-1, number), TOTAL_BACKGROUND),
                         ("FONTNAME", (0, number), (-1, number), GOTHIC)]
    padding = (2.0, 3.0)
    if min_height:
        padding = (max(2.0, (min_height - leading) / 2),) * 2
        commands += [("TOPPADDING", (0, 1), (-1, -1), padding[0]),
                     ("BOTTOMPADDING", (0, 1), (-1, -1), padding[1])]
    spans = {number + 1 for number in table_rows.groups}
    heights = _row_heights(data, points, padding, leading, spans)
    return GridTable(data, colWidths=points, repeatRows=1, rowHeights=heights,
                     style=TableStyle(commands), hAlign="LEFT", groups=spans,
                     totals={number + 1 for number in table_rows.totals})


def _header_cell(column: Column, width: float, size: float, leading: float,
                 texts: list[str]) -> FitText:
    one_line = column.header.replace("\n", "")
    lines = [one_line] if stringWidth(one_line, GOTHIC, size) <= width - CELL_PADDING + \
        _FUZZ else column.header.split("\n")
    texts.extend(lines)
    return FitText(lines, GOTHIC, size, leading=leading, align="CENTER")


def _body_cell(column: Column, text: str, width: float, font: str, size: float,
               leading: float, styles: Any, texts: list[str]) -> Any:
    texts.append(text)
    room = width - CELL_PADDING
    if "\n" not in text and stringWidth(text, font, size) <= room + _FUZZ:
        return text  # fits on one line: a plain string is drawn many times faster
    if column.kind is not Kind.TEXT:
        return FitText(text.split("\n"), font, size, leading=leading,
                       align=_ALIGN.get(column.kind, "LEFT"))
    style = styles.cell_total if font == GOTHIC else styles.cell
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _row_heights(data: list[list[Any]], widths: list[float], padding: tuple[float, float],
                 leading: float, spans: Collection[int]) -> list[float]:
    """Each row's height, measured once.

    Without given heights reportlab measures every remaining row again at each page break,
    which makes a long table quadratic (a 1,000-session list took seconds per page).
    """
    heights = []
    for number, row in enumerate(data):
        top, bottom = (2.0, 3.0) if number == 0 else padding
        tallest = leading
        for cell, width in zip(row, widths, strict=True):
            if number in spans:
                width = sum(widths)  # a group row spans the table
            if isinstance(cell, (Paragraph, FitText)):
                tallest = max(tallest, cell.wrap(width - CELL_PADDING, 10_000)[1])
        heights.append(tallest + top + bottom)
    return heights
