"""The PDF documents: figures equal ``services.figures``, A4, fonts embedded, page numbers."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.reports.attendance import WALK_IN_ROWS
from kankei_desktop.reports.common import format_day, format_figure
from kankei_desktop.reports.data import sessions_in
from kankei_desktop.reports.documents import ReportKind, ReportRequest, build_report
from kankei_desktop.reports.fonts import MissingGlyphsError, check_glyphs
from kankei_desktop.reports.settings import load_cover
from tests.reports.helpers import complete_cover, page_texts, pdf_text, with_cover

A4 = (595.2756, 841.8898)


def _annual(services: Services, year: int = 2019, *, draft: bool = False,
            **kwargs: object) -> bytes:
    return build_report(services, ReportRequest(ReportKind.ANNUAL.value, fiscal_year=year,
                                                 **kwargs),  # type: ignore[arg-type]
                        draft=draft).pdf


def test_annual_report_shows_the_figures_of_the_fiscal_year(demo: Services) -> None:
    figures = demo.figures.fiscal_year(2019)
    assert (figures.total.meetings_held, figures.total.person_times,
            figures.total.unique_persons) == (10, 119, 25)
    text = pdf_text(_annual(demo))
    body = text[text.index("3.実施状況"):text.index("参加者区分別")]
    # 令和元年度 beside 平成30年度, when nothing was held yet (no change to show)
    assert body == ("3.実施状況項目令和元年度平成30年度前年度比"
                    f"開催回数{figures.total.meetings_held}0-"
                    f"うちオンライン{figures.total.meetings_online}0-"
                    f"オンライン活用率{format_figure(figures.total, 'online_rate')}--"
                    f"延べ参加人数{figures.total.person_times}0-"
                    f"実参加人数{figures.total.unique_persons}0-"
                    f"新規参加者数{figures.total.first_time_persons}0-"
                    f"参加率{format_figure(figures.total, 'attendance_rate')}--"
                    f"参加団体数{figures.organizations_attending}0-")
    assert "延べ119人、実25人" in text  # the cover letter's 記
    for club in demo.clubs.find():
        cell = figures.by_club.get(club.id)
        if cell is not None:
            name = "".join(club.name.split())
            row = (f"{cell.meetings_held}{cell.meetings_online}"
                   f"{format_figure(cell, 'online_rate')}{cell.person_times}"
                   f"{cell.unique_persons}{cell.first_time_persons}")
            assert row in text, (name, row)


def test_municipality_report_equals_the_filtered_figures(demo: Services) -> None:
    host = demo.organizations.find_by_lgcode("032093")
    assert host is not None
    figures = demo.figures.fiscal_year(2019, FigureFilter(municipality_id=host.id))
    text = pdf_text(_annual(demo, municipality_code="032093"))
    assert f"延べ{figures.total.person_times}人、実{figures.total.unique_persons}人" in text
    assert host.name in text


def test_pdf_is_a4_with_embedded_fonts_page_numbers_and_metadata(demo: Services) -> None:
    pdf = _annual(demo)
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 3
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) \
            == (round(A4[0], 2), round(A4[1], 2))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in \
                font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]))
    assert any("IPAexMincho" in name for name in fonts)
    assert any("IPAexGothic" in name for name in fonts)
    texts = page_texts(pdf)
    assert "/" not in texts[0].replace("info@", "").split("以上")[-1]  # the かがみ: no number
    for number, text in enumerate(texts[1:], start=1):  # the 別紙, numbered from 1
        assert f"-{number}/{pages - 1}-" in text
    assert reader.metadata is not None
    assert reader.metadata.title == (
        "令和元年度　関係人口創出・拡大のための中間支援組織の提案型モデル事業　実績報告書")
    assert reader.metadata.author == "一般社団法人つながる地域づくり研究所"


def test_cover_fields_come_from_the_file_settings(services: Services) -> None:
    complete_cover(services, 2021)
    assert load_cover(services).recipient == "鷹栖町長"
    text = pdf_text(_annual(services, 2021))
    for expected in ("様式第7号（第9条関係）", "令和4年3月31日", "鷹栖町長様",
                     "一般社団法人つながる", "代表者代表理事山田太郎",
                     "令和3年度放課後企業クラブ事業実績報告書", "記",
                     "令和3年4月1日から令和4年3月31日まで", "以上", "担当者佐藤",
                     "電話0166-00-0000"):
        assert expected in text, expected
    assert "印" not in text.split("記")[0]  # the seal box is off by default
    assert "下書き" not in text


def test_seal_box_only_when_asked(services: Services) -> None:
    complete_cover(services, 2021, seal_box=True, representative_name="山田")
    assert "山田印" in pdf_text(_annual(services, 2021))


@pytest.mark.parametrize(("day", "expected"), [
    (date(2019, 5, 1), "令和元年5月1日"), (date(2019, 4, 30), "平成31年4月30日"),
    (date(2022, 3, 31), "令和4年3月31日")])
def test_wareki_dates(day: date, expected: str) -> None:
    assert format_day(day, "wareki") == expected
    assert format_day(day, "western") == f"{day.year}年{day.month}月{day.day}日"


def test_session_list_uses_the_date_setting(services: Services, demo_rw: Services) -> None:
    wareki = pdf_text(_annual(demo_rw))
    assert "令和元年9月5日" in wareki
    with_cover(demo_rw, date_style="western")
    western = pdf_text(_annual(demo_rw))
    assert "2019年9月5日" in western


def test_every_session_of_the_year_is_listed_with_its_attendance(demo: Services) -> None:
    text = pdf_text(_annual(demo))
    listing = text[text.index("7.開催したセッション"):text.index("8.成果")]
    start, end = fiscal_year_range(2019)
    sessions = sessions_in(demo, start, end)
    assert len(sessions) == 10
    assert sum(row.attended for row in sessions) == 119
    clubs = {club.id: club.name for club in demo.clubs.find()}
    order = {name: index for index, name in enumerate(sorted(
        {row.club_name for row in sessions}, key=lambda name: next(
            club.sort_key for club in demo.clubs.find() if club.name == name)))}
    grouped = sorted(sessions, key=lambda row: order[clubs[row.club_id]])  # by club, by date
    position = 0
    for index, row in enumerate(grouped, start=1):
        cell = f"{index}{format_day(row.date, 'wareki')}"
        position = listing.index(cell, position)
        after = listing[position + len(cell):]
        assert re.search(rf"{row.attended}({index + 1}令和|平成|小計|合計|[^0-9])", after[:400])
    assert "小計2回16合計10回119" in listing  # 小計 of the last club, the 合計 row


def test_club_report(demo: Services) -> None:
    club = demo.clubs.find_by_name("たかす放課後企業クラブ")
    assert club is not None
    figures = demo.figures.fiscal_year(2021, FigureFilter(club_id=club.id))
    built = build_report(demo, ReportRequest("club", fiscal_year=2021, club_id=club.id.hex))
    text = pdf_text(built.pdf)
    assert "令和3年度たかす放課後企業クラブ活動報告書" in text
    assert f"延べ参加人数{figures.total.person_times}" in text
    members = demo.clubs.members(club.id)
    for _membership, person in members:
        assert person.family_name in text
    assert {value.key.split(".")[-1]: value.value for value in built.figures}[
        "person_times"] == figures.total.person_times


def test_attendance_sheet(demo: Services) -> None:
    meeting = demo.meetings.find(status="held")[-1]
    built = build_report(demo, ReportRequest("attendance", meeting_id=str(meeting.id),
                                             sheet="sign-in"))
    text = pdf_text(built.pdf)
    assert text.startswith("出席簿（受付・署名用）")
    for _row, person in demo.attendance.of_meeting(meeting.id):
        assert person.family_reading in text
    assert "署名" in text
    people = len(demo.attendance.roster(meeting.id))
    assert len(PdfReader(io.BytesIO(built.pdf)).pages) == 1  # the demo session fits a sheet
    assert f"{people + WALK_IN_ROWS}" in text  # numbered blank rows for walk-ins


def test_month_schedule_marks_holidays(demo: Services) -> None:
    text = pdf_text(build_report(demo, ReportRequest("month", month="2021-11")).pdf)
    assert "令和3年11月月間予定表" in text
    assert "文化の日" in text
    assert "勤労感謝の日" in text
    for entry in demo.calendar.entries(date(2021, 11, 1), date(2021, 11, 30)):
        assert "".join(entry.title.split()) in text


def test_missing_glyph_is_named_before_printing(demo_rw: Services) -> None:
    meeting = demo_rw.meetings.find(status="held")[-1]
    person = demo_rw.people.create(PersonDraft(family_name="𠮷田", given_name="一郎",
                                               category="resident"))
    demo_rw.attendance.set(meeting.id, person.id, "attended")
    with pytest.raises(MissingGlyphsError) as error:
        build_report(demo_rw, ReportRequest("attendance", meeting_id=meeting.id.hex))
    assert error.value.characters == ["𠮷"]
    assert "𠮷" in error.value.message
    assert "U+20BB7" in error.value.message


def test_glyph_check_accepts_ordinary_japanese() -> None:
    check_glyphs(["髙橋 さいとう 齋藤 ①〜⑩ ㈱ 令和", "Ｗｉｄｅ ａｓｃｉｉ"])
    with pytest.raises(MissingGlyphsError):
        check_glyphs(["𠮷野家で😀"])


def test_long_session_list_repeats_the_header(services: Services) -> None:
    club_id = _club_with_sessions(services, 60)
    pdf = _annual(services, 2021, draft=True)
    pages = page_texts(pdf)
    listing_pages = [text for text in pages if "No.開催日内容開催形式場所出席者数" in text]
    assert len(listing_pages) >= 2
    assert club_id


def _club_with_sessions(services: Services, count: int) -> object:
    from kankei_desktop.core.services.clubs import ClubDraft

    club = services.clubs.create(ClubDraft(
        name="とても長い名前のクラブ（長い名前がセルの中で折り返されることを確かめるため）"))
    for index in range(count):
        meeting = services.meetings.create(MeetingDraft(
            club_id=club.id, title=f"第{index + 1}回　定例セッション「地域の未来を考える」",
            date=date(2021, 4 + index % 12 if index % 12 < 9 else index % 12 - 8, 10)
            if index % 12 < 9 else date(2022, index % 12 - 8, 10), status="held"))
        assert meeting
    return club.id


def test_category_breakdown_equals_the_category_filter(demo: Services) -> None:
    """The report takes the categories from one computation; it must equal filtering."""
    from kankei_desktop.core.vocabulary import PersonCategory
    from kankei_desktop.reports.data import annual_data

    data = annual_data(demo, 2019)
    for category in PersonCategory:
        filtered = demo.figures.fiscal_year(2019, FigureFilter(category=category.value)).total
        cell = data.by_category[category.value]
        assert (cell.person_times, cell.unique_persons, cell.first_time_persons) == (
            filtered.person_times, filtered.unique_persons, filtered.first_time_persons)
