"""Shared page layout of every document: A4 portrait, styles, tables, page numbers.

A :class:`Story` collects flowables and every text it was given, so the glyph check runs
over exactly what will be printed, before anything is drawn.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kankei_desktop.reports.fonts import GOTHIC, MINCHO, check_glyphs, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_BACKGROUND = colors.HexColor("#E8ECF0")
#: LEFTPADDING + RIGHTPADDING of a table cell (reportlab's default 6 each).
_CELL_PADDING = 12.0
GRID = colors.HexColor("#555555")


def _style(name: str, font: str, size: float, **kwargs: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.5,
                          wordWrap="CJK", **kwargs)


class Styles:
    """The paragraph styles (created after the fonts are registered)."""

    def __init__(self) -> None:
        register_fonts()
        self.body = _style("body", MINCHO, 10.5, alignment=TA_LEFT)
        self.small = _style("small", MINCHO, 8.5, alignment=TA_LEFT)
        self.right = _style("right", MINCHO, 10.5, alignment=TA_RIGHT)
        self.center = _style("center", MINCHO, 10.5, alignment=TA_CENTER)
        self.title = _style("title", GOTHIC, 15, alignment=TA_CENTER, spaceAfter=6 * mm)
        self.heading = _style("heading", GOTHIC, 11.5, spaceBefore=4 * mm, spaceAfter=2 * mm,
                              keepWithNext=1)
        self.cell = _style("cell", MINCHO, 9, alignment=TA_LEFT)
        self.cell_right = _style("cell_right", MINCHO, 9, alignment=TA_RIGHT)
        self.cell_center = _style("cell_center", MINCHO, 9, alignment=TA_CENTER)
        self.head = _style("head", GOTHIC, 9, alignment=TA_CENTER)


class Story:
    """The flowables of one document plus all the text they show (for the glyph check)."""

    def __init__(self) -> None:
        self.styles = Styles()
        self.flowables: list[Flowable] = []
        self.texts: list[str] = []

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of plain ``text`` (escaped; newlines kept)."""
        self.texts.append(text)
        markup = escape(text).replace("\n", "<br/>")
        return Paragraph(markup, style or self.styles.body)

    def add(self, *flowables: Flowable) -> None:
        self.flowables.extend(flowables)

    def text(self, text: str, style: ParagraphStyle | None = None) -> None:
        self.add(self.para(text, style))

    def space(self, height_mm: float) -> None:
        self.add(Spacer(1, height_mm * mm))

    def heading(self, text: str) -> None:
        self.text(text, self.styles.heading)

    def page_break(self) -> None:
        self.add(PageBreak())

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float], *, numeric: Sequence[int] = (),
              total_row: bool = False, min_height: float = 0,
              style: list[tuple[Any, ...]] | None = None, keep: bool = False,
              plain: Sequence[int] = ()) -> None:
        """A grid table; the header repeats on every page; ``numeric`` columns align right.

        ``widths`` are fractions of the text width. ``plain`` columns hold short text that
        never wraps (dates, counts): drawn as strings, much faster than paragraphs in long
        tables.
        """
        styles = self.styles
        column_widths = [FRAME_WIDTH * w for w in widths]
        data: list[list[Any]] = [[self.para(text, styles.head) for text in header]]
        size = styles.cell.fontSize
        for row in rows:
            cells: list[Any] = []
            for index, text in enumerate(row):
                if index in plain or ("\n" not in text and stringWidth(
                        text, MINCHO, size) <= column_widths[index] - _CELL_PADDING):
                    # Fits on one line: a plain string is drawn many times faster.
                    self.texts.append(text)
                    cells.append(text)
                else:
                    cells.append(self.para(
                        text, styles.cell_right if index in numeric else styles.cell))
            data.append(cells)
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 1), (-1, -1), MINCHO),
            ("FONTSIZE", (0, 1), (-1, -1), size),
            *[("ALIGN", (index, 1), (index, -1), "RIGHT") for index in numeric],
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if total_row and rows:
            commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F4F4F4")))
        commands.extend(style or [])
        padding = (2.0, 3.0)
        if min_height:
            # Padding rather than a fixed height: a row whose text wraps grows instead of
            # overflowing into the next row.
            padding = (max(2.0, (min_height * mm - styles.cell.leading) / 2),) * 2
            commands += [("TOPPADDING", (0, 1), (-1, -1), padding[0]),
                         ("BOTTOMPADDING", (0, 1), (-1, -1), padding[1])]
        table = Table(data, colWidths=column_widths, repeatRows=1,
                      rowHeights=_row_heights(data, column_widths, padding, styles),
                      style=TableStyle(commands), hAlign="LEFT")
        self.add(KeepTogether([table]) if keep else table)

    def build(self, *, title: str, author: str, subject: str = "",
              footer: str = "") -> bytes:
        """Check the glyphs, then render the PDF (A4, page numbers 「- 1 / 5 -」)."""
        check_glyphs([title, author, subject, footer, *self.texts])
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=MARGIN, title=title, author=author, subject=subject,
            creator="Kankei Desktop", lang="ja-JP",
            # No Helvetica in the file: every font must be an embedded one.
            initialFontName=MINCHO, initialFontSize=10)
        document.build(list(self.flowables), canvasmaker=_numbered_canvas(footer))
        return buffer.getvalue()


def _row_heights(data: list[list[Any]], widths: list[float], padding: tuple[float, float],
                 styles: Styles) -> list[float]:
    """Each row's height, measured once.

    Without given heights reportlab measures every remaining row again at each page break,
    which makes a long table quadratic (a 1,000-session list took seconds per page).
    """
    heights = []
    for number, row in enumerate(data):
        top, bottom = (2.0, 3.0) if number == 0 else padding
        tallest = styles.cell.leading
        for cell, width in zip(row, widths, strict=True):
            if isinstance(cell, Paragraph):
                tallest = max(tallest, cell.wrap(width - _CELL_PADDING, PAGE_HEIGHT)[1])
        heights.append(tallest + top + bottom)
    return heights


def _numbered_canvas(footer: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Defers each page until the page count is known, then writes 「- n / N -」."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(MINCHO, 9)
                self.drawCentredString(PAGE_WIDTH / 2, 10 * mm, f"- {number} / {total} -")
                if footer:
                    self.setFont(MINCHO, 7.5)
                    self.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, footer)
                super().showPage()
            super().save()

    return NumberedCanvas
