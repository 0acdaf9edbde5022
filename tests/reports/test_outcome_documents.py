"""The outcomes in the documents (issue 17): マッチング成立件数 in the かがみ's 記, the 別紙's
matching table and KPI table with 達成率, the club report's stage history and matchings, the
Excel sheets."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.kpis import KpiDraft
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.services.stages import StageMove
from kankei_desktop.reports.documents import ReportKind, ReportRequest, build_report
from kankei_desktop.reports.excel import build_workbook
from tests.reports.helpers import complete_cover, page_texts, pdf_text


def _annual(services: Services, year: int, **kwargs: object) -> bytes:
    return build_report(services, ReportRequest(ReportKind.ANNUAL.value, fiscal_year=year,
                                                 **kwargs), draft=True).pdf  # type: ignore[arg-type]


def test_the_cover_states_the_matchings_made_in_its_particulars(demo: Services) -> None:
    cover = page_texts(_annual(demo, 2019))[0]
    assert "6マッチング成立件数5件(複業・副業・兼業5件)" in cover.replace("（", "(").replace(
        "）", ")")
    assert cover.index("6マッチング成立件数") < cover.index("7添付書類") < cover.index("以上")


def test_a_file_without_matchings_keeps_its_particulars(services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="クラブ"))
    del club
    complete_cover(services, 2021)
    cover = page_texts(_annual(services, 2021))[0]
    assert "マッチング" not in cover
    assert "6添付書類" in cover


def test_the_attachment_lists_the_matchings_of_the_year(demo: Services) -> None:
    text = pdf_text(_annual(demo, 2019))
    table = text[text.index("7.マッチングの成立状況"):text.index("8.開催したセッション")]
    rows = demo.matchings.in_scope(date(2019, 4, 1), date(2020, 3, 31))
    assert len(rows) == 5
    for number, row in enumerate(rows, start=1):
        name = "".join(row.party.split())
        assert f"{number}複業・副業・兼業{name}" in table
        assert "".join(row.host.split()) in table
    assert "令和元年12月20日" in table
    assert "継続中" in table and "終了" in table  # noqa: PT018
    assert "合計5件" in table  # (a page footer may follow on the same page)
    later = pdf_text(_annual(demo, 2021))
    assert "この年度に成立したマッチングはありません" in later


def test_a_municipality_report_lists_its_own_matchings(demo: Services) -> None:
    text = pdf_text(_annual(demo, 2019, municipality_code="032115"))  # 釜石市
    table = text[text.index("マッチングの成立状況"):text.index("8.開催したセッション")]
    assert "合計2件" in table
    assert "株式会社三陸しおかぜ水産" in table
    assert "束稲酒造" not in table


def test_the_kpi_table_shows_every_kind_with_achievement(demo: Services) -> None:
    text = pdf_text(_annual(demo, 2026))
    table = text[text.index("KPI"):]
    assert "事業全体" in table
    assert "マッチング成立件数3133.3%" in table
    assert "参加者満足度(5段階)4——" in table  # no survey score yet
    assert "視察受入数5件2件40.0%" in table
    assert "開催回数(交流会)100.0%現地での交流会" in table.replace("（", "(").replace("）", ")")


def test_the_club_report_has_its_stage_history_and_matchings(demo: Services) -> None:
    club = demo.clubs.find_by_name("いちのせき複業チャレンジ")
    assert club is not None
    text = pdf_text(build_report(demo, ReportRequest("club", fiscal_year=2019,
                                                     club_id=club.id.hex)).pdf)
    history = text[text.index("3.段階の記録"):text.index("4.マッチング")]
    assert "令和元年9月21日1.課題の見える化" in history
    assert "令和元年12月20日5.実証実験複業マッチング3組が成立し、試行を開始" in history
    matchings = text[text.index("4.マッチング"):text.index("5.セッション")]
    assert matchings.endswith("合計3件")
    assert "吉田浩之" in matchings and "はまゆり" not in matchings  # noqa: PT018
    assert "開催回数12200.0%地域協働実践活動1回以上" in text


def test_a_club_report_shows_a_move_back(services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="鉾田共創"))
    services.stages.move(club.id, StageMove("planning", date(2021, 6, 1), "施策案"))
    services.stages.move(club.id, StageMove("theme", date(2021, 9, 1), "テーマを見直し"))
    person = services.people.create(PersonDraft(family_name="中村"))
    town = services.organizations.ensure_municipality("082341")
    services.matchings.create(MatchingDraft(kind="collaboration", person_id=person.id,
                                            host_id=town.id, made_on=date(2021, 7, 1),
                                            club_id=club.id))
    text = pdf_text(build_report(services, ReportRequest("club", fiscal_year=2021,
                                                         club_id=club.id.hex)).pdf)
    assert "段階2.テーマ選定" in text  # the overview: the current stage, moved back
    assert "4.施策検討施策案" in text and "2.テーマ選定テーマを見直し" in text  # noqa: PT018
    assert "協業・共同事業中村" in text


def test_the_workbook_has_the_matchings_and_the_kpis(demo: Services) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(demo, 2019)))
    sheet = book["マッチング"]
    assert [cell.value for cell in sheet[4]] == [
        "成立日", "種類", "相手", "受入先", "テーマ", "クラブ", "状態", "終了日"]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 6  # five matchings and the 合計
    assert rows[0][0].date() == date(2019, 12, 20)
    assert rows[0][2] == "吉田 浩之"
    assert rows[-1][:2] == ("合計", "5件")
    kpis = book["指標（KPI）"]
    values = {(row[0], row[1]): row[2:5] for row in kpis.iter_rows(min_row=5, values_only=True)}
    assert values[("事業全体", "マッチング成立件数（複業・副業・兼業）")] == (5, 5, 1.0)


def test_the_snapshot_keeps_the_matching_figures(demo: Services) -> None:
    built = build_report(demo, ReportRequest("annual", fiscal_year=2019), draft=True)
    figures = {value.key: value.value for value in built.figures}
    assert figures["matchings.made"] == 5
    assert figures["matchings.kind.side_job"] == 5


def test_a_new_kpi_appears_in_the_club_report(services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="クラブ"))
    services.kpis.create(KpiDraft("manual", 2021, club_id=club.id, label="返礼品の売上",
                                  unit="円", target="1200000", actual="900000"))
    text = pdf_text(build_report(services, ReportRequest("club", fiscal_year=2021,
                                                         club_id=club.id.hex)).pdf)
    assert "返礼品の売上1,200,000円900,000円75.0%" in text
