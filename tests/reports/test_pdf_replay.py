"""The drawing of a report PDF read back as operations (what printing paints)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from kankei_desktop.core.services import Services
from kankei_desktop.reports.documents import ReportRequest, build_report
from kankei_desktop.reports.pdf_replay import PathOp, TextOp, read_pages


def test_every_page_keeps_its_size_text_and_rules(demo: Services) -> None:
    pdf = build_report(demo, ReportRequest("annual", fiscal_year=2021)).pdf
    pages = read_pages(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(pages) == len(reader.pages)
    for page, original in zip(pages, reader.pages, strict=True):
        assert (round(page.width, 2), round(page.height, 2)) == (595.28, 841.89)
        assert "".join(page.text().split()) == "".join((original.extract_text() or "").split())
        fonts = {op.font for op in page.operations if isinstance(op, TextOp)}
        assert fonts <= {"IPAexMincho", "IPAexGothic"}
    rules = [op for op in pages[1].operations if isinstance(op, PathOp) and op.stroke]
    assert len(rules) > 20  # the 別紙's table grids
    texts = [op for op in pages[1].operations if isinstance(op, TextOp)]
    assert all(0 < op.matrix[4] < 595 and 0 < op.matrix[5] < 842 for op in texts)


def test_condensed_text_keeps_its_horizontal_scale(demo: Services) -> None:
    meeting = demo.meetings.find(status="held")[-1]
    pdf = build_report(demo, ReportRequest("attendance", meeting_id=meeting.id.hex,
                                           sheet="sign-in")).pdf
    scales = {op.horizontal_scale for page in read_pages(pdf) for op in page.operations
              if isinstance(op, TextOp)}
    assert 1.0 in scales
