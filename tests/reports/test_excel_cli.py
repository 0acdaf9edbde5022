"""Excel export, the command line contract, 提出済み drift and the self-test."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from kankei_desktop.commands.cli import main
from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.reports.documents import ReportRequest, build_report
from kankei_desktop.reports.excel import build_workbook
from kankei_desktop.reports.self_test import build_every_document
from kankei_desktop.reports.submitted import (
    describe_drift,
    drift,
    mark_submitted,
    submissions,
    submitted_pdf,
)
from tests.reports.helpers import pdf_text


def test_workbook_has_one_sheet_per_table_with_real_dates(demo: Services) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(demo, 2019)))
    assert book.sheetnames == ["実績", "クラブ別", "月別", "セッション", "参加者", "マッチング",
                               "指標（KPI）", "種別", "参加団体"]
    figures = demo.figures.fiscal_year(2019)
    summary = {row[0]: row[1] for row in book["実績"].iter_rows(min_row=5, max_row=10,
                                                                values_only=True)}
    assert summary["開催回数"] == figures.total.meetings_held == 10
    assert summary["延べ参加人数"] == figures.total.person_times == 119
    assert summary["実参加人数"] == figures.total.unique_persons == 25
    assert summary["オンライン活用率"] == pytest.approx(0.5)
    sessions = book["セッション"]
    assert sessions["A4"].value == "開催日"
    rows = list(sessions.iter_rows(min_row=5, values_only=True))[:-1]  # without 合計
    assert len(rows) == 10
    assert all(isinstance(row[0], datetime) for row in rows)
    assert sessions["A5"].number_format == "yyyy/mm/dd"
    assert sum(row[7] for row in rows) == 119
    months = list(book["月別"].iter_rows(min_row=5, values_only=True))[:-1]
    assert [row[0].date() for row in months][:2] == [date(2019, 4, 1), date(2019, 5, 1)]
    assert sum(row[4] for row in months) == 119
    people = list(book["参加者"].iter_rows(min_row=5, values_only=True))[:-1]
    assert len(people) == 25
    assert sum(row[4] for row in people) == 119


def test_every_sheet_says_what_it_is_and_prints_on_a4(demo: Services) -> None:
    """Issue 21 #10: a title and the year in cells, 3-digit grouping, 合計 rows, print
    settings, widths that count full-width characters as two."""
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(demo, 2021)))
    figures = demo.figures.fiscal_year(2021)
    for sheet in book.worksheets:
        assert "令和3年度" in str(sheet["A1"].value), sheet.title
        assert sheet.title in str(sheet["A1"].value)
        assert "令和3年4月1日から令和4年3月31日まで" in str(sheet["A2"].value)
        assert sheet.print_title_rows == "$4:$4"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    clubs = book["クラブ別"]
    assert clubs.auto_filter.ref == f"A4:H{clubs.max_row - 1}"  # the data, not the 合計
    last = [cell.value for cell in clubs[clubs.max_row]]
    assert last[0] == "合計"
    assert last[2:] == [figures.total.meetings_held, figures.total.meetings_online,
                        pytest.approx(figures.total.online_rate), figures.total.person_times,
                        figures.total.unique_persons, figures.total.first_time_persons]
    assert clubs.cell(row=5, column=6).number_format == "#,##0"
    assert clubs.cell(row=5, column=5).number_format == "0.0%"
    for sheet, label, value in (("月別", "合計", figures.total.person_times),
                                ("セッション", "合計", figures.total.person_times)):
        row = [cell.value for cell in book[sheet][book[sheet].max_row]]
        assert row[0] == label, sheet
        assert value in row, (sheet, row)
    participants = book["参加者"]
    total = [cell.value for cell in participants[participants.max_row]]
    assert total[0] == "合計"
    assert total[4] == figures.total.person_times
    names = [row[0] for row in clubs.iter_rows(min_row=5, max_row=clubs.max_row - 1,
                                               values_only=True)]
    assert names == ["たかす放課後企業クラブ", "にしあわくら放課後企業クラブ"]
    assert clubs.column_dimensions["A"].width >= 2 * len(names[1])  # full-width counts two


def test_counts_in_the_thousands_are_grouped(services: Services) -> None:
    from kankei_desktop.reports.excel import COUNT_FORMAT, display_width

    assert COUNT_FORMAT == "#,##0"
    assert display_width("たかす放課後企業クラブ") == 22
    assert display_width("Zoom 会議") == 9
    assert display_width(12345) == len("12,345")


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    db = open_database(path)
    load_demo(Services(db))
    db.close()
    return path


def test_cli_writes_every_document(demo_file: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(demo_file)]
    assert main([*db, "report", "annual", "--fy", "2019", "-o", str(tmp_path / "a.pdf")]) == 0
    assert "延べ119人、実25人" in pdf_text((tmp_path / "a.pdf").read_bytes())
    assert main([*db, "report", "annual", "--fy", "2019", "--municipality", "032093", "-o",
                 str(tmp_path / "a2.pdf")]) == 0
    assert main([*db, "report", "club", "--club", "たかす放課後企業クラブ", "--fy", "2021",
                 "-o", str(tmp_path / "c.pdf")]) == 0
    assert main([*db, "report", "month", "--month", "2021-12", "-o",
                 str(tmp_path / "m.pdf")]) == 0
    db_handle = open_database(demo_file)
    meeting = Services(db_handle).meetings.find(status="held")[0]
    db_handle.close()
    for written in (str(meeting.id), meeting.id.hex):
        assert main([*db, "report", "attendance", "--meeting", written, "-o",
                     str(tmp_path / "s.pdf")]) == 0
    assert main([*db, "export", "xlsx", "--fy", "2019", "-o", str(tmp_path / "t.xlsx")]) == 0
    for name in ("a.pdf", "a2.pdf", "c.pdf", "m.pdf", "s.pdf"):
        assert PdfReader(tmp_path / name).pages
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames[0] == "実績"
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(("arguments", "words"), [
    (["report", "club", "--club", "ないクラブ", "--fy", "2021"], "ないクラブ"),
    (["report", "attendance", "--meeting", "00000000-0000-0000-0000-000000000000"],
     "00000000-0000-0000-0000-000000000000"),
    (["report", "attendance", "--meeting", "abc"], "abc"),
    (["report", "month", "--month", "2021-13"], "2021-13"),
    (["report", "month", "--month", "December"], "December"),
    (["report", "annual", "--fy", "2019", "--municipality", "131016"], "131016"),
    (["report", "annual", "--fy", "20"], "20"),
])
def test_cli_errors_are_one_sentence(demo_file: Path, tmp_path: Path, arguments: list[str],
                                     words: str, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out.pdf"
    assert main(["--db", str(demo_file), *arguments, "-o", str(output)]) == 1
    error = capsys.readouterr().err.strip()
    assert words in error
    assert "\n" not in error
    assert "Traceback" not in error
    assert not output.exists()


def test_cli_unwritable_output(demo_file: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    for target in (tmp_path / "missing" / "a.pdf", tmp_path):
        assert main(["--db", str(demo_file), "report", "annual", "--fy", "2019", "-o",
                     str(target)]) == 1
        assert str(target.parent if target != tmp_path else target) in capsys.readouterr().err
    assert main(["--db", str(demo_file), "export", "xlsx", "--fy", "2019", "-o",
                 str(tmp_path / "missing" / "t.xlsx")]) == 1


def test_cli_names_missing_glyphs(demo_file: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(demo_file)
    services = Services(db)
    meeting = services.meetings.find(status="held")[0]
    person = services.people.create(PersonDraft(family_name="𠮷川", category="resident"))
    services.attendance.set(meeting.id, person.id, "attended")
    db.close()
    assert main(["--db", str(demo_file), "report", "attendance", "--meeting", str(meeting.id),
                 "-o", str(tmp_path / "s.pdf")]) == 1
    error = capsys.readouterr().err
    assert "𠮷" in error
    assert error.count("\n") == 1
    assert not (tmp_path / "s.pdf").exists()


def test_submitted_report_keeps_pdf_and_reports_drift(demo_rw: Services) -> None:
    request = ReportRequest("annual", fiscal_year=2019)
    built = build_report(demo_rw, request)
    submission_id = mark_submitted(demo_rw, built, "岩手県知事", date(2020, 3, 31))
    [filed] = submissions(demo_rw)
    assert (filed.id, filed.recipient, filed.submitted_on) == (
        submission_id, "岩手県知事", date(2020, 3, 31))
    assert submitted_pdf(demo_rw, submission_id) == built.pdf
    assert drift(demo_rw, filed) == []
    # A later edit: one more person attends a held session of FY2019.
    meeting = next(row for row in demo_rw.meetings.find(status="held")
                   if row.date < date(2020, 4, 1))
    person = demo_rw.people.create(PersonDraft(family_name="追加", category="student"))
    demo_rw.attendance.set(meeting.id, person.id, "attended")
    changes = drift(demo_rw, filed)
    labels = {change.label: (change.filed, change.now) for change in changes}
    assert labels["延べ参加人数"] == (119, 120)
    assert labels["実参加人数"] == (25, 26)
    assert labels["学生 延べ参加人数"] == (0, 1)
    sentence = describe_drift(filed, changes)
    assert "岩手県知事" in sentence
    assert built.title in sentence
    assert "119 → 120" in sentence
    # What was filed does not change.
    assert submitted_pdf(demo_rw, submission_id) == built.pdf


def test_self_test_builds_every_document(demo: Services, tmp_path: Path) -> None:
    written = build_every_document(demo, tmp_path / "out")
    assert sorted(path.suffix for path in written) == [".pdf"] * 7 + [".xlsx"]
    assert {path.name for path in written} >= {"attendance-sign-in.pdf",
                                                "attendance-record.pdf", "survey-form.pdf",
                                                "activity-certificate.pdf"}
    for path in written:
        assert path.stat().st_size > 1000


def test_self_test_on_an_empty_file(services: Services, tmp_path: Path) -> None:
    written = build_every_document(services, tmp_path)
    assert len(written) == 3
