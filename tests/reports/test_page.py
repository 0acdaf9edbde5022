"""The 報告書 page: build a preview, mark it submitted, see drift (pytest-qt)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtWidgets import QMessageBox

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.reports.documents import ReportKind
from kankei_desktop.reports.settings import load_cover, load_texts
from kankei_desktop.reports.submitted import submissions
from kankei_desktop.ui.pages.reports.page import ReportsPage, reports_page


@pytest.fixture
def page(qtbot: Any, demo_rw: Services, monkeypatch: pytest.MonkeyPatch
         ) -> Iterator[ReportsPage]:
    warnings: list[str] = []

    def record(_parent: object, _title: str, text: str, *args: object,
               **kwargs: object) -> QMessageBox.StandardButton:
        warnings.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", record)
    widget = reports_page(demo_rw)
    widget.warnings = warnings  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    yield widget
    widget.hide()
    widget.preview.clear()
    QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.processEvents()


def _select(page: ReportsPage, kind: ReportKind, year: int) -> None:
    page.document.setCurrentIndex(page.document.findData(kind.value))
    page.fiscal_year.set_fiscal_year(year)


def test_building_shows_the_pages_in_the_preview(qtbot: Any, page: ReportsPage) -> None:
    _select(page, ReportKind.ANNUAL, 2019)
    page.cover_form.recipient.setText("岩手県知事")
    page.texts_form.achievements.setPlainText("複業人材と地域事業者のマッチングが進んだ。")
    assert page.build_preview()
    assert page.built is not None
    qtbot.waitUntil(lambda: page.preview.page_count == page.built.page_count, timeout=5000)
    assert page.preview.page_count >= 3
    assert page.save_button.isEnabled()
    assert page.print_button.isEnabled()
    # The cover and the year's texts are remembered in the file.
    assert load_cover(page.services).recipient == "岩手県知事"
    assert load_texts(page.services, 2019).achievements.startswith("複業人材")


def test_every_document_kind_builds(qtbot: Any, page: ReportsPage) -> None:
    for kind in ReportKind:
        _select(page, kind, 2021)
        assert page.build_preview(), (kind, page.warnings)  # type: ignore[attr-defined]
        assert page.built is not None
        assert page.built.request.kind == kind.value


def test_mark_submitted_then_drift_is_named(qtbot: Any, page: ReportsPage) -> None:
    _select(page, ReportKind.ANNUAL, 2019)
    assert page.build_preview()
    page.mark_submitted("岩手県知事", date(2020, 3, 31))
    qtbot.waitUntil(lambda: page.submitted.tree.topLevelItemCount() == 1, timeout=5000)
    assert page.submitted.tree.topLevelItem(0).text(3) == "変化なし"
    assert page.submitted.warning.text() == ""
    [filed] = submissions(page.services)
    assert filed.recipient == "岩手県知事"
    services = page.services
    meeting = next(row for row in services.meetings.find(status="held")
                   if row.date < date(2020, 4, 1))
    person = services.people.create(PersonDraft(family_name="追加", category="student"))
    services.attendance.set(meeting.id, person.id, "attended")
    page.refresh()
    qtbot.waitUntil(lambda: page.submitted.warning.text() != "", timeout=5000)
    text = page.submitted.warning.text()
    assert filed.title in text
    assert "岩手県知事" in text
    assert "延べ参加人数 119 → 120" in text
    assert "変化" in page.submitted.tree.topLevelItem(0).text(3)


def test_printing_sends_vector_pages_that_match_the_pdf(qtbot: Any, page: ReportsPage,
                                                        tmp_path: Path) -> None:
    """Printed to a PDF printer (QPrinter, PdfFormat): the same pages, the same A4 size, the
    same text — the pages are painted as vectors, not pictures."""
    import io

    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from kankei_desktop.reports.pdf_replay import read_pages
    from kankei_desktop.ui.pages.reports.printing import prepare_printer, print_pages

    _select(page, ReportKind.ANNUAL, 2019)
    assert page.build_preview()
    built = page.built
    assert built is not None
    pages = read_pages(built.pdf)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer, pages, built.title)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_pages(pages, printer) == built.page_count
    original = PdfReader(io.BytesIO(built.pdf)).pages
    printed = PdfReader(tmp_path / "printed.pdf").pages
    assert len(printed) == len(original) == built.page_count

    glyphs = _glyph_ids()

    def words(text: str | None) -> list[object]:
        # Qt's PDF writer names a few kanji by a radical that has the same glyph (⽇ for
        # 日, ⻑ for 長): compare what is drawn, the font's glyphs.
        return [glyphs.get(ord(ch), ch) for ch in "".join((text or "").split())]

    for before, after in zip(original, printed, strict=True):
        assert abs(float(after.mediabox.width) - float(before.mediabox.width)) < 1
        assert abs(float(after.mediabox.height) - float(before.mediabox.height)) < 1
        assert words(after.extract_text()) == words(before.extract_text())


def _glyph_ids() -> dict[int, int]:
    from reportlab.pdfbase import pdfmetrics

    from kankei_desktop.reports.fonts import MINCHO, register_fonts

    register_fonts()
    return dict(pdfmetrics.getFont(MINCHO).face.charToGlyph)


def test_printing_honours_the_page_range_and_copies(qtbot: Any, page: ReportsPage,
                                                    tmp_path: Path) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from kankei_desktop.reports.pdf_replay import read_pages
    from kankei_desktop.ui.pages.reports.printing import prepare_printer, print_pages

    _select(page, ReportKind.ANNUAL, 2019)
    assert page.build_preview()
    assert page.built is not None
    pages = read_pages(page.built.pdf)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer, pages, page.built.title)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "range.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    printer.setCopyCount(2)
    printer.setCollateCopies(True)
    sent = print_pages(pages, printer)
    expected = 2 if printer.supportsMultipleCopies() else 4
    assert sent == expected
    printed = PdfReader(tmp_path / "range.pdf").pages
    assert len(printed) == expected
    assert "1/" in "".join((printed[0].extract_text() or "").split())  # 別紙 page 1


def test_annual_report_asks_once_for_the_missing_cover_fields(
        qtbot: Any, page: ReportsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    from kankei_desktop.reports.settings import CoverSettings, ReportTexts, save_cover, save_texts
    from kankei_desktop.ui.pages.reports.missing_dialog import Choice, MissingFieldsDialog

    save_cover(page.services, CoverSettings())
    save_texts(page.services, 2019, ReportTexts())
    page.cover_form.set_cover(CoverSettings())
    page.texts_form.set_texts(ReportTexts())
    asked: list[list[str]] = []

    def fill(dialog: MissingFieldsDialog) -> Choice:
        assert dialog.date is not None  # 提出日 is asked for, the fiscal year's end offered
        asked.append(dialog.missing())
        for edit in dialog.lines.values():
            edit.setText("記入")
        for text in dialog.texts.values():
            text.setPlainText("記入")
        dialog.choice = Choice.BUILD
        return Choice.BUILD

    monkeypatch.setattr(page, "ask_missing", fill)
    _select(page, ReportKind.ANNUAL, 2019)
    assert page.build_preview()
    assert page.built is not None
    assert not page.built.draft
    assert "宛先" in asked[0]
    assert "成果" in asked[0]
    assert load_cover(page.services).recipient == "記入"  # remembered in the file
    assert load_texts(page.services, 2019).achievements == "記入"
    assert page.build_preview()
    assert len(asked) == 1  # asked once only


def test_a_draft_cannot_be_marked_submitted(qtbot: Any, page: ReportsPage,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from kankei_desktop.reports.settings import CoverSettings, save_cover
    from kankei_desktop.ui.pages.reports.missing_dialog import Choice

    save_cover(page.services, CoverSettings())
    page.cover_form.set_cover(CoverSettings())
    monkeypatch.setattr(page, "ask_missing", lambda dialog: Choice.DRAFT)
    _select(page, ReportKind.ANNUAL, 2019)
    assert page.build_preview()
    assert page.built is not None
    assert page.built.draft
    assert not page.submit_button.isEnabled()
    assert page.print_button.isEnabled()


def test_the_kind_of_attendance_sheet_is_chosen(page: ReportsPage) -> None:
    _select(page, ReportKind.ATTENDANCE, 2021)
    assert page.request().sheet is None  # automatic
    page.sheet.setCurrentIndex(page.sheet.findData("sign-in"))
    assert page.request().sheet == "sign-in"
    assert page.build_preview()
    assert page.built is not None
    assert "受付" in page.built.title


def test_a_page_with_a_preview_can_be_destroyed(qtbot: Any, demo_rw: Services) -> None:
    """Closing the window (or switching files) destroys the page and its preview safely.

    QtPdf crashed the whole application when a view was destroyed with its document as a
    child; this test would take the test run down with it.
    """
    from PySide6.QtCore import QEvent

    page = reports_page(demo_rw)
    page.resize(1200, 800)
    page.show()
    page.prepare_screenshot()
    assert page.preview.page_count > 0
    page.grab()
    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def test_the_session_picker_is_filled_when_the_attendance_report_is_chosen(
        page: ReportsPage, demo_rw: Services) -> None:
    _select(page, ReportKind.ANNUAL, 2019)
    page.refresh()
    assert page.meeting.count() == 0  # not needed for the annual report
    _select(page, ReportKind.ATTENDANCE, 2019)
    start, end = date(2019, 4, 1), date(2020, 3, 31)
    assert page.meeting.count() == len(demo_rw.meetings.find(date_from=start, date_to=end)) > 0
    assert "2019-09-05" in "".join(page.meeting.itemText(i) for i in range(page.meeting.count()))
    assert page.request().meeting_id == page.meeting.currentData()
