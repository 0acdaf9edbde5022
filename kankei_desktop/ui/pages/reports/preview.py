"""The PDF preview of the 報告書 page (QtPdf); printing is in ``printing.py``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget


class PdfPreview(QPdfView):
    """Shows PDF bytes (through a private temporary file, which QtPdf reads at once)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type] # None is accepted at run time
        # Not the view's child: QtPdf crashes when a view is destroyed with its document as a
        # child (reproduced with PySide6 6.11); Python owns it and frees it after the view.
        self.pdf = QPdfDocument()
        self.setDocument(self.pdf)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._folder = tempfile.TemporaryDirectory(prefix="kankei-preview-")
        self._shown = 0

    def show_pdf(self, pdf: bytes) -> None:
        """Replace the shown document with ``pdf``."""
        self.pdf.close()
        folder = Path(self._folder.name)
        for old in folder.glob("*.pdf"):
            old.unlink(missing_ok=True)
        self._shown += 1
        path = folder / f"preview-{self._shown}.pdf"
        path.write_bytes(pdf)
        self.pdf.load(str(path))

    def shows_a_page(self) -> bool:
        """Whether a page is painted in the view (not only its grey background)."""
        if self.page_count == 0:
            return False
        image = self.viewport().grab().toImage()
        step_x, step_y = max(1, image.width() // 40), max(1, image.height() // 40)
        colours = {image.pixel(x, y) for x in range(0, image.width(), step_x)
                   for y in range(0, image.height(), step_y)}
        return len(colours) > 2

    def clear(self) -> None:
        self.pdf.close()

    @property
    def page_count(self) -> int:
        return int(self.pdf.pageCount())
