"""Printing a built PDF: a print preview with page setup, pages painted as vectors.

:class:`~PySide6.QtPrintSupport.QPrintPreviewDialog` offers paper size, orientation and
margins (page setup) and, when printing, the system's print dialog with copies, duplex and
page range. Every page is painted with :func:`paint_page` from the PDF's own drawing
(:mod:`kankei_desktop.reports.pdf_replay`): lines, boxes and text reach the printer as
vectors at its full resolution, and a PDF printer receives real, searchable text. The A4
page is placed on the chosen paper at 100 % when it fits, otherwise scaled down to fit,
centred.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from kankei_desktop.reports.pdf_replay import PageDrawing, PathOp, TextOp, read_pages
from kankei_desktop.ui.fonts import register_bundled_fonts

#: Text is laid out at this pixel size and scaled down (QFont takes whole pixels).
_TEXT_UNITS = 100
_CAPS = {0: Qt.PenCapStyle.FlatCap, 1: Qt.PenCapStyle.RoundCap, 2: Qt.PenCapStyle.SquareCap}
_JOINS = {0: Qt.PenJoinStyle.MiterJoin, 1: Qt.PenJoinStyle.RoundJoin,
          2: Qt.PenJoinStyle.BevelJoin}


@cache
def _fonts_registered() -> bool:
    return bool(register_bundled_fonts())


def _colour(rgb: tuple[float, float, float], alpha: float) -> QColor:
    colour = QColor.fromRgbF(*rgb)
    colour.setAlphaF(alpha)
    return colour


def _fit(page: PageDrawing, target: QRectF, scale: float) -> QTransform:
    left = target.left() + (target.width() - page.width * scale) / 2
    top = target.top() + (target.height() - page.height * scale) / 2
    return QTransform(scale, 0, 0, -scale, left, top + page.height * scale)


def paint_page(painter: QPainter, page: PageDrawing, base: QTransform) -> None:
    """Paint ``page`` with ``base`` mapping page space to the painter's device."""
    _fonts_registered()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    fonts: dict[str, QFont] = {}
    for operation in page.operations:
        if isinstance(operation, PathOp):
            _paint_path(painter, operation, base)
        else:
            font = fonts.get(operation.font)
            if font is None:
                font = fonts[operation.font] = _font(operation.font)
            _paint_text(painter, operation, font, base)
    painter.restore()


def _font(family: str) -> QFont:
    font = QFont(family)
    font.setPixelSize(_TEXT_UNITS)
    font.setKerning(False)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    return font


def _paint_path(painter: QPainter, operation: PathOp, base: QTransform) -> None:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill if operation.even_odd
                     else Qt.FillRule.WindingFill)
    for subpath in operation.subpaths:
        for kind, values in subpath:
            if kind == "M":
                path.moveTo(values[0], values[1])
            elif kind == "L":
                path.lineTo(values[0], values[1])
            elif kind == "C":
                path.cubicTo(*values)
            else:
                path.closeSubpath()
    painter.setTransform(base)
    if operation.fill:
        painter.fillPath(path, QBrush(_colour(operation.fill_colour, operation.fill_alpha)))
    if operation.stroke:
        pen = QPen(_colour(operation.stroke_colour, operation.stroke_alpha))
        pen.setWidthF(max(operation.line_width, 0.1))
        pen.setCapStyle(_CAPS.get(operation.cap, Qt.PenCapStyle.FlatCap))
        pen.setJoinStyle(_JOINS.get(operation.join, Qt.PenJoinStyle.MiterJoin))
        if operation.dash and operation.line_width > 0:
            pen.setDashPattern([value / operation.line_width for value in operation.dash])
        painter.strokePath(path, pen)


def _paint_text(painter: QPainter, operation: TextOp, font: QFont, base: QTransform) -> None:
    if not operation.text.strip():
        return
    a, b, c, d, e, f = operation.matrix
    local = QTransform(1 / _TEXT_UNITS, 0, 0, -1 / _TEXT_UNITS, 0, 0)
    painter.setTransform(local * QTransform(a, b, c, d, e, f) * base)
    painter.setFont(font)
    painter.setPen(_colour(operation.colour, operation.alpha))
    painter.drawText(QPointF(0, 0), operation.text)


def print_pages(pages: Sequence[PageDrawing], printer: QPrinter) -> int:
    """Paint ``pages`` on ``printer`` (its page range and copies); return pages printed."""
    chosen = list(range(len(pages)))
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        last = printer.toPage() or len(pages)
        chosen = [index for index in chosen if printer.fromPage() - 1 <= index < last]
    copies = 1
    if printer.copyCount() > 1 and not printer.supportsMultipleCopies():
        copies = printer.copyCount()  # the driver cannot: send the pages again
    sequence = ([index for _copy in range(copies) for index in chosen] if printer.collateCopies()
                else [index for index in chosen for _copy in range(copies)])
    if not sequence:
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        target = printer.paperRect(QPrinter.Unit.DevicePixel)
        target.moveTo(0, 0)
        # QPrinter's device pixels are 1/resolution inch; page space is points (1/72 inch).
        scale = printer.resolution() / 72
        for number, index in enumerate(sequence):
            if number:
                printer.newPage()
            page = pages[index]
            fits = min(target.width() / (page.width * scale),
                       target.height() / (page.height * scale), 1.0)
            paint_page(painter, page, _fit(page, target, scale * fits))
    finally:
        painter.end()
    return len(sequence)


def prepare_printer(printer: QPrinter, pages: Sequence[PageDrawing], title: str) -> None:
    """The document's paper (A4 portrait), no margins of its own (the PDF has them)."""
    printer.setDocName(title)
    printer.setFullPage(True)
    if pages:
        size = QPageSize(QPageSize.PageSizeId.A4)
        orientation = QPageLayout.Orientation.Landscape if pages[0].width > pages[0].height \
            else QPageLayout.Orientation.Portrait
        printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0)))
    printer.setFromTo(1, max(len(pages), 1))


def preview_and_print(parent: QWidget, pdf: bytes, title: str) -> int:
    """Show the print preview of ``pdf``; return the pages sent (0 when cancelled)."""
    pages = read_pages(pdf)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer, pages, title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(title)
    printed = [0]

    def paint(device: QPrinter) -> None:
        printed[0] = print_pages(pages, device)

    dialog.paintRequested.connect(paint)
    dialog.resize(1000, 800)
    accepted = dialog.exec()
    return printed[0] if accepted else 0
