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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.reports.cells import Column
from kankei_desktop.reports.fonts import GOTHIC, MINCHO, check_glyphs, register_fonts
from kankei_desktop.reports.tables import (
    GRID,
    HEADER_BACKGROUND,
    TableRows,
    grid_table,
)

__all__ = ["FRAME_HEIGHT", "FRAME_WIDTH", "GRID", "HEADER_BACKGROUND", "MARGIN", "PAGE_HEIGHT",
           "PAGE_WIDTH", "Story", "Styles"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN
#: Room a heading needs below it (itself and the first rows of what follows) to stay on the
#: page; otherwise it starts the next one. (A whole long table kept with its heading would
#: leave half a page blank.)
HEADING_ROOM = 45 * mm
DRAFT_RED = colors.HexColor("#C62828")


def _style(name: str, font: str, size: float, **kwargs: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.5,
                          wordWrap="CJK", **kwargs)


class Styles:
    """The paragraph styles (created after the fonts are registered).

    Body text may hang 、。 in the margin (``kinsokuHang``); table cells never do.
    """

    def __init__(self) -> None:
        register_fonts()
        self.body = _style("body", MINCHO, 10.5, alignment=TA_LEFT, kinsokuHang=True)
        self.small = _style("small", MINCHO, 8.5, alignment=TA_LEFT, kinsokuHang=True)
        self.right = _style("right", MINCHO, 10.5, alignment=TA_RIGHT)
        self.center = _style("center", MINCHO, 10.5, alignment=TA_CENTER)
        self.title = _style("title", GOTHIC, 15, alignment=TA_CENTER, spaceAfter=6 * mm)
        self.heading = _style("heading", GOTHIC, 11.5, spaceBefore=4 * mm, spaceAfter=2 * mm)
        self.cell = _style("cell", MINCHO, 9, alignment=TA_LEFT)
        self.cell_total = _style("cell_total", GOTHIC, 9, alignment=TA_LEFT)
        self.cell_right = _style("cell_right", MINCHO, 9, alignment=TA_RIGHT)
        self.cell_center = _style("cell_center", MINCHO, 9, alignment=TA_CENTER)
        self.head = _style("head", GOTHIC, 9, alignment=TA_CENTER)
        self.group = _style("group", GOTHIC, 9, alignment=TA_LEFT)


class Story:
    """The flowables of one document plus all the text they show (for the glyph check)."""

    def __init__(self) -> None:
        self.styles = Styles()
        self.flowables: list[Flowable] = []
        self.texts: list[str] = []
        self._heading_at = -1

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
        """A section heading; it starts a new page when too little room is left under it."""
        self.add(CondPageBreak(HEADING_ROOM), self.para(text, self.styles.heading))
        self._heading_at = len(self.flowables) - 1

    def keep(self, flowable: Flowable) -> None:
        """Add ``flowable`` unsplit, together with the heading just before it."""
        if self._heading_at == len(self.flowables) - 1:
            heading = self.flowables.pop()
            self.flowables.append(KeepTogether([heading, flowable]))
        else:
            self.flowables.append(KeepTogether([flowable]))

    def height_used(self) -> float:
        """The height the flowables added so far take (on one page; a first page's
        header before a table that should fill the rest)."""
        used = 0.0
        for flowable in self.flowables:
            used += flowable.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1]
            used += flowable.getSpaceBefore() + flowable.getSpaceAfter()
        return used

    def page_break(self) -> None:
        self.add(PageBreak())

    def table(self, columns: Sequence[Column], rows: TableRows | Sequence[Sequence[str]], *,
              width: float = 1.0, keep: bool = False, min_height: float = 0.0,
              widths: Sequence[float] | None = None) -> None:
        """A grid table whose header repeats on every page.

        ``width`` is the share of the text width the table takes; column widths come from
        the content unless ``widths`` (shares of the text width) are given. ``min_height``
        (mm) makes body rows at least that tall.
        """
        table = grid_table(self.styles, self.texts, columns, rows, FRAME_WIDTH * width,
                           widths=[FRAME_WIDTH * w for w in widths] if widths else None,
                           min_height=min_height * mm)
        if keep:
            self.keep(table)
            return
        if self._heading_at == len(self.flowables) - 1:
            # The heading starts a new page unless the table's first rows fit under it.
            heading = self.flowables[-1]
            room = heading.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] + heading.getSpaceBefore() + \
                heading.getSpaceAfter() + table.opening_height()
            self.flowables[-2] = CondPageBreak(max(room, HEADING_ROOM))
        self.add(table)

    def build(self, *, title: str, author: str, subject: str = "", footer: str = "",
              numbered_from: int = 1, draft: bool = False) -> bytes:
        """Check the glyphs, then render the PDF (A4, page numbers 「- 1 / 5 -」).

        Pages before ``numbered_from`` (a cover letter) carry no number and are not
        counted. ``draft`` marks every page 「下書き」.
        """
        check_glyphs([title, author, subject, footer, *self.texts])
        buffer = io.BytesIO()
        document = BaseDocTemplate(
            buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=MARGIN, title=title, author=author, subject=subject,
            creator="Kankei Desktop", lang="ja-JP",
            # No Helvetica in the file: every font must be an embedded one.
            initialFontName=MINCHO, initialFontSize=10)
        # A frame without inner padding: the text width is exactly FRAME_WIDTH.
        frame = Frame(MARGIN, MARGIN, FRAME_WIDTH, FRAME_HEIGHT, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0, id="text")
        document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        document.build(list(self.flowables),
                       canvasmaker=_numbered_canvas(footer, numbered_from,
                                                    _("Draft") if draft else ""))
        return buffer.getvalue()


def _numbered_canvas(footer: str, numbered_from: int, draft: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Defers each page until the page count is known, then writes 「- n / N -」."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages) - numbered_from + 1
            for index, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                number = index - numbered_from + 1
                if number >= 1:
                    self.setFont(MINCHO, 9)
                    self.drawCentredString(PAGE_WIDTH / 2, 10 * mm, f"- {number} / {total} -")
                if footer:
                    self.setFont(MINCHO, 7.5)
                    self.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, footer)
                if draft:
                    _draw_draft_mark(self, draft)
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_draft_mark(canvas: Canvas, label: str) -> None:
    """A red 「下書き」 stamp in the top margin and a light one across the page."""
    canvas.saveState()
    canvas.setStrokeColor(DRAFT_RED)
    canvas.setFillColor(DRAFT_RED)
    canvas.setLineWidth(1.2)
    size = 12
    width = len(label) * size + 10
    x, y = PAGE_WIDTH - MARGIN - width, PAGE_HEIGHT - 14 * mm
    canvas.rect(x, y - 4, width, size + 8, stroke=1, fill=0)
    canvas.setFont(GOTHIC, size)
    canvas.drawCentredString(x + width / 2, y, label)
    canvas.setFillAlpha(0.08)
    canvas.setFont(GOTHIC, 96)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -32, label)
    canvas.restoreState()
