"""The blank questionnaire, the survey results in the club and annual reports, the Excel
sheets."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from kankei_desktop.core.services import Services
from kankei_desktop.reports.documents import ReportKind, ReportRequest, build_report
from kankei_desktop.reports.excel import build_workbook
from kankei_desktop.reports.settings import DATE_WESTERN
from tests.reports.helpers import page_texts, pdf_text, with_cover

from .conftest import Run, Session, seed
from .exports import Q_SCALE, Q_TEXT, write_google_csv


def _import(services: Services, meeting_id: object, path: Path) -> None:
    from kankei_desktop.imports.surveys.analysis import analyse_survey
    from kankei_desktop.imports.surveys.form import read_form
    from kankei_desktop.imports.surveys.importer import run_survey_import

    run_survey_import(services, analyse_survey(services, read_form(path), meeting_id))


def test_the_blank_form_names_the_session_in_wareki(tmp_path: Path, seeded_file: Session,
                                                     kankei: Run) -> None:
    path = write_google_csv(tmp_path / "a.csv")
    assert kankei("survey", "import", str(path), "--meeting", seeded_file.meeting)[0] == 0
    output = tmp_path / "form.pdf"
    code, out, err = kankei("report", "survey-form", "--meeting", seeded_file.meeting, "-o",
                            str(output))
    assert code == 0, err
    assert "1ページ" in out
    text = pdf_text(output.read_bytes())
    assert "令和3年12月16日" in text
    assert "鷹栖町放課後企業クラブ" in text
    assert "第3回共創セッション" in text
    assert "問1本日のセッションの満足度を教えてください" in text
    assert "□ぜひ参加したい" in text
    assert "□SNS（Facebook,Xなど）" in text
    assert "□5" in text


def test_a_session_without_questionnaire_prints_the_standard_questions(
        seeded: Session) -> None:
    services = seeded.services
    with_cover(services, date_style=DATE_WESTERN)
    built = build_report(services, ReportRequest(ReportKind.SURVEY_FORM.value,
                                                 meeting_id=seeded.meeting))
    text = pdf_text(built.pdf)
    assert "2021年12月16日" in text
    assert "本日のセッションの満足度を教えてください。" in text
    assert "不満" in text
    assert "満足" in text
    assert "□知人・同僚の紹介" in text
    assert built.page_count == 1


def test_a_defined_questionnaire_is_printed_as_defined(seeded: Session) -> None:
    services = seeded.services
    survey = services.surveys.create_for_club(seeded.club_id, "参加者アンケート",
                                              "ご協力をお願いします。",
                                              templates=("satisfaction", "impressions"))
    assert services.surveys.in_use(seeded.meeting_id).id == survey.id  # type: ignore[union-attr]
    built = build_report(services, ReportRequest(ReportKind.SURVEY_FORM.value,
                                                 meeting_id=seeded.meeting_id.hex))
    text = pdf_text(built.pdf)
    assert "参加者アンケート" in text
    assert "ご協力をお願いします。" in text
    assert "問2ご感想・ご意見をご自由にお書きください。" in text
    assert "参加のきっかけ" not in text


def _results_services(tmp_path: Path, services: Services) -> Session:
    seeded = seed(services)
    _import(services, seeded.meeting_id, write_google_csv(tmp_path / "a.csv"))
    results = services.surveys.meeting_results(seeded.meeting_id)
    texts = results.questions[3].texts
    services.surveys.set_featured(texts[0].answer_id, True)
    services.surveys.set_featured(texts[5].answer_id, True)
    return seeded


def test_club_report_shows_charts_tables_and_only_chosen_texts(tmp_path: Path,
                                                               services: Services) -> None:
    seeded = _results_services(tmp_path, services)
    built = build_report(services, ReportRequest(ReportKind.CLUB.value, fiscal_year=2021,
                                                 club_id=seeded.club_id.hex))
    text = pdf_text(built.pdf)
    assert "6.アンケート結果" in text
    assert "回答数8件（アンケートを実施したセッションの出席者10人、回答率80.0%）" in text
    assert "問1" + Q_SCALE in text
    assert "平均4.00" in text
    assert "勤務先からの案内4（50.0%）" in text  # the chart's bar label
    assert "勤務先からの案内450.0%" in text  # the table's row
    assert "とても勉強になりました。" in text
    assert "音声が聞き取りにくい場面がありました。" in text
    assert "時間が少し短く感じました。" not in text  # not chosen for the report
    assert "7件中2件" in text
    # every closed question's chart and table stay on one page
    for page in page_texts(built.pdf):
        if "問3" in page:
            assert "わからない225.0%" in page


def test_annual_report_has_the_survey_section_last(tmp_path: Path, services: Services) -> None:
    _results_services(tmp_path, services)
    built = build_report(services, ReportRequest(ReportKind.ANNUAL.value, fiscal_year=2021),
                         draft=True)
    text = pdf_text(built.pdf)
    assert "11.アンケート結果" in text
    assert text.index("10.") < text.index("11.アンケート結果")
    assert "問4" + Q_TEXT in text


def test_reports_without_responses_have_no_survey_section(services: Services) -> None:
    seeded = seed(services)
    built = build_report(services, ReportRequest(ReportKind.CLUB.value, fiscal_year=2021,
                                                 club_id=seeded.club_id.hex))
    assert "アンケート" not in pdf_text(built.pdf)


def test_excel_has_a_sheet_per_survey_with_raw_answers_and_totals(tmp_path: Path,
                                                                  services: Services) -> None:
    seeded = _results_services(tmp_path, services)
    other = seed(services, day=date(2022, 1, 20))
    _import(services, other.meeting_id, write_google_csv(tmp_path / "b.csv"))
    book = load_workbook(io.BytesIO(build_workbook(services, 2021)))
    names = [name for name in book.sheetnames if name.startswith("アンケート")]
    assert names == ["アンケート1 第3回 共創セッション", "アンケート2 第3回 共創セッション"]
    sheet = book[names[0]]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[3]
    assert header[:8] == ("No.", "開催日", "クラブ", "内容", "回答日時", "回答者", "回答方法",
                          "用紙番号")
    assert header[8] == "Q1. " + Q_SCALE
    raw = rows[4:12]
    assert [row[0] for row in raw] == list(range(1, 9))
    assert raw[0][5] == "山田 花子"
    assert raw[1][5] == "匿名"
    assert raw[0][8] == 5
    assert raw[7][8] is None
    assert raw[0][9] == "知人・同僚の紹介；SNS（Facebook, X など）"
    assert sheet.auto_filter.ref == "A4:L12"
    totals = {(row[0], row[1]): row[2] for row in rows[13:]}
    assert totals[("Q1. " + Q_SCALE, "回答者数")] == 7
    assert totals[("Q1. " + Q_SCALE, "1")] == 0
    assert totals[("Q4. " + Q_TEXT, "自由記述")] == 7
    del seeded
