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


def test_printing_renders_every_page(qtbot: Any, page: ReportsPage, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from kankei_desktop.ui.pages.reports.preview import print_document

    _select(page, ReportKind.MONTH, 2021)
    assert page.build_preview()
    assert page.built is not None
    qtbot.waitUntil(lambda: page.preview.page_count == page.built.page_count, timeout=5000)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_document(page.preview.pdf, printer) == page.built.page_count
    assert (tmp_path / "printed.pdf").stat().st_size > 1000


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
