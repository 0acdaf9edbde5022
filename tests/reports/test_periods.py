"""The 実績報告書 and the Excel export for several 年度, any period and a prefecture."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from kankei_desktop.commands.cli import main
from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.reports.common import format_figure
from kankei_desktop.reports.documents import ReportRequest, build_report, report_figures
from kankei_desktop.reports.excel import HEADER_ROW, build_workbook
from kankei_desktop.reports.settings import load_cover
from tests.reports.helpers import pdf_text

THREE_YEARS = Period.fiscal_years(2021, 2023)


def test_a_report_of_several_fiscal_years(demo: Services) -> None:
    """「令和3年度〜令和5年度　実績報告書」: figures for the whole period, then per 年度."""
    figures = demo.figures.period(THREE_YEARS.start, THREE_YEARS.end)
    built = build_report(demo, ReportRequest.annual(THREE_YEARS))
    project = load_cover(demo).project_name
    assert built.title == f"令和3年度〜令和5年度　{project}　実績報告書"  # stored cover
    metadata = PdfReader(io.BytesIO(built.pdf)).metadata
    assert metadata is not None
    assert metadata.title == built.title
    text = pdf_text(built.pdf)
    assert f"令和3年度〜令和5年度{project}実績報告書" in text
    assert "令和3年4月1日から令和6年3月31日まで" in text
    assert (f"延べ{figures.total.person_times}人、実{figures.total.unique_persons}人"
            in text)
    years = text[text.index("5.年度別実績"):text.index("6.KPI")]
    for year, label in ((2021, "令和3年度"), (2022, "令和4年度"), (2023, "令和5年度")):
        cell = figures.by_fiscal_year[year]
        assert (f"{label}{cell.meetings_held}{cell.meetings_online}"
                f"{format_figure(cell, 'online_rate')}{cell.person_times}"
                f"{cell.unique_persons}{cell.first_time_persons}") in years
    total = figures.total
    assert f"期間全体{total.meetings_held}" in years
    # a person who came in all three years is counted once over the period
    assert total.unique_persons < sum(cell.unique_persons
                                      for cell in figures.by_fiscal_year.values())
    assert "5.月別実績" not in text
    assert "令和3年度指標目標値実績値達成率備考たかす放課後企業クラブ" in text  # each year's KPIs
    values = {value.key: value.value for value in built.figures}
    assert values["total.unique_persons"] == total.unique_persons
    assert values["year.2022.person_times"] == figures.by_fiscal_year[2022].person_times
    assert report_figures(demo, ReportRequest.annual(THREE_YEARS)) == built.figures


def test_a_one_year_report_shows_the_year_before(demo: Services) -> None:
    figures = demo.figures.fiscal_year(2022)
    before = demo.figures.fiscal_year(2021)
    text = pdf_text(build_report(demo, ReportRequest.annual(Period.fiscal_year(2022))).pdf)
    table = text[text.index("3.実施状況"):text.index("参加者区分別")]
    assert table.startswith("3.実施状況項目令和4年度令和3年度前年度比")
    change = (figures.total.person_times - before.total.person_times) / (
        before.total.person_times) * 100
    assert (f"延べ参加人数{figures.total.person_times}{before.total.person_times}"
            f"{change:+.1f}%") in table
    assert f"参加団体数{figures.organizations_attending}" in table
    assert "種別ごと" in text
    assert "参加団体" in text


def test_a_report_of_any_days_and_of_a_prefecture(demo: Services) -> None:
    period = Period(date(2019, 9, 1), date(2019, 11, 30))
    built = build_report(demo, ReportRequest.annual(period, "030007"))
    assert built.title.startswith("令和元年9月1日〜令和元年11月30日")
    prefecture = demo.areas.by_code("030007")
    figures = demo.figures.period(period.start, period.end, prefecture.figure_filter)
    text = pdf_text(built.pdf)
    assert "岩手県" in text
    assert f"延べ{figures.total.person_times}人" in text
    whole_year = pdf_text(build_report(demo, ReportRequest.annual(Period.fiscal_year(2019),
                                                                  "030007")).pdf)
    assert "10回" in whole_year  # 岩手県's own 6 sessions and those of 一関市 and 釜石市
    assert ReportRequest.from_json(ReportRequest.annual(period).to_json()) == (
        ReportRequest.annual(period))


def test_a_workbook_of_several_years(demo: Services) -> None:
    figures = demo.figures.period(THREE_YEARS.start, THREE_YEARS.end)
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(demo, THREE_YEARS)))
    assert book.sheetnames[-3:] == ["種別", "参加団体", "年度別"]
    first = HEADER_ROW + 1  # title, scope and period rows, then the header
    summary = {row[0]: row[1] for row in book["実績"].iter_rows(
        min_row=first, max_row=first + 7, values_only=True)}
    assert summary["実参加人数"] == figures.total.unique_persons
    assert summary["参加率"] == pytest.approx(figures.attendance_rate)
    assert summary["参加団体数"] == figures.organizations_attending
    years = list(book["年度別"].iter_rows(min_row=first, values_only=True))
    assert [row[0] for row in years] == ["令和3年度", "令和4年度", "令和5年度", "期間全体"]
    assert [row[4] for row in years[:3]] == [
        cell.person_times for cell in figures.by_fiscal_year.values()]
    people = list(book["参加者"].iter_rows(min_row=first, values_only=True))[:-1]  # 合計
    assert len(people) == figures.total.unique_persons
    kinds = {row[0]: row[1:] for row in book["種別"].iter_rows(min_row=first, values_only=True)}
    assert kinds.pop("合計") == (figures.total.meetings_held, figures.total.person_times)
    assert sum(held for held, _times in kinds.values()) == figures.total.meetings_held
    organisations = list(book["参加団体"].iter_rows(min_row=first, values_only=True))[:-1]
    assert len(organisations) == figures.organizations_attending


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    db = open_database(path)
    load_demo(Services(db))
    db.close()
    return path


def test_cli_reports_and_exports_any_period(demo_file: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(demo_file)]
    assert main([*db, "report", "annual", "--from", "2021-04-01", "--to", "2024-03-31",
                 "-o", str(tmp_path / "a.pdf")]) == 0
    assert "令和3年度〜令和5年度" in capsys.readouterr().out
    assert "5.年度別実績" in pdf_text((tmp_path / "a.pdf").read_bytes())
    assert main([*db, "report", "annual", "--fy", "2019", "--municipality", "030007",
                 "-o", str(tmp_path / "b.pdf")]) == 0
    assert main([*db, "export", "xlsx", "--from", "2021-04-01", "--to", "2024-03-31",
                 "--municipality", "010006", "-o", str(tmp_path / "c.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert "年度別" in book.sheetnames
    capsys.readouterr()
    for args in (["report", "annual", "--fy", "2021", "--from", "2021-04-01", "--to",
                  "2022-03-31"],
                 ["report", "annual", "--from", "2022-04-01", "--to", "2022-03-31"],
                 ["export", "xlsx", "--from", "2022-04-01"],
                 ["export", "xlsx"],
                 ["export", "xlsx", "--fy", "2021", "--municipality", "270008"]):
        code = main([*db, *args, "-o", str(tmp_path / "x.out")])
        _out, err = capsys.readouterr()
        assert code == 1, args
        assert len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err
        assert not (tmp_path / "x.out").exists()
