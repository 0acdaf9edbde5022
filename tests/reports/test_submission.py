"""Issue 21: documents a town hall accepts as they are (one test per defect found).

The PDFs are read back with pypdf (:mod:`tests.reports.pdf_layout`): where each line of
text is and where the table rules are.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import pytest
from pypdf import PdfReader

from kankei_desktop.commands.cli import main
from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.reports.documents import (
    IncompleteCoverError,
    ReportKind,
    ReportRequest,
    build_report,
)
from tests.reports.helpers import complete_cover, page_texts, pdf_text
from tests.reports.pdf_layout import broken_words, crossings, layout, lowest_text

#: (family, given, family reading, given reading): readings typed in three scripts.
PEOPLE = [
    ("吉田", "花子", "ヨシダ", "ハナコ"),
    ("渡辺", "太郎", "わたなべ", "たろう"),
    ("青木", "一郎", "ｱｵｷ", "ｲﾁﾛｳ"),
    ("勅使河原", "美沙希子", "てしがわら", "みさきこ"),
    ("林", "美咲", "はやし", "みさき"),
    ("阿部", "正志", "アベ", "マサシ"),
    ("小田", "ゆうき", "おだ", "ゆうき"),
    ("ジョンソン", "メアリー", "ジョンソン", "メアリー"),
]
CLUB = "かがみのくにサポータークラブ"
OTHER_CLUB = "あおもり関係人口ラボ"
ORGANISATION = "特定非営利活動法人まいづる関係人口サポートセンター地域連携推進協議会"
PLACE = "岩手県一関市大町（束稲酒造・もち処ゆずりは）"
TITLE = "第{n}回ワークショップ「地域のこれからを考える」"


@dataclass
class Tricky:
    """A file made to trip the layout: long names, mixed-script readings, a club without
    members, two host municipalities whose names sort opposite to their codes."""

    services: Services
    club_id: uuid.UUID
    meeting_id: uuid.UUID
    people: dict[str, uuid.UUID]


@pytest.fixture
def tricky(services: Services) -> Tricky:
    osaka = services.organizations.ensure_municipality("271004")
    aomori = services.organizations.ensure_municipality("022012")
    company = services.organizations.create(OrganizationDraft(name=ORGANISATION,
                                                              kind="intermediary"))
    club = services.clubs.create(ClubDraft(name=CLUB, host_municipality_id=osaka.id))
    other = services.clubs.create(ClubDraft(name=OTHER_CLUB, host_municipality_id=aomori.id))
    people = {}
    for family, given, family_reading, given_reading in PEOPLE:
        person = services.people.create(PersonDraft(
            family_name=family, given_name=given, family_reading=family_reading,
            given_reading=given_reading, category="company_staff", organization_id=company.id))
        people[f"{family} {given}"] = person.id
    meeting_id = None
    for number in range(1, 9):
        meeting = services.meetings.create(MeetingDraft(
            club_id=club.id, title=TITLE.format(n=number), date=date(2021, 4 + number, 9),
            start_time=time(19), end_time=time(21), format="onsite", status="held",
            place=PLACE))
        for index, person_id in enumerate(people.values()):
            status = "attended" if index != 1 else ("excused" if number % 2 else "absent")
            services.attendance.set(meeting.id, person_id, status)
        meeting_id = meeting_id or meeting.id
    for day in range(7):  # a crowded day in the month schedule
        services.meetings.create(MeetingDraft(
            club_id=other.id if day % 2 else club.id, title=TITLE.format(n=20 + day),
            date=date(2021, 11, 17), start_time=time(10 + day), format="hybrid",
            status="held", place=PLACE, tool="Zoom", url="https://meet.example.jp/abc-123"))
    services.attendance.set(
        services.meetings.find(club_id=other.id)[0].id, people["林 美咲"], "attended")
    assert meeting_id is not None
    return Tricky(services, club.id, meeting_id, people)


def _build(services: Services, kind: ReportKind, *, draft: bool = False,
           **kwargs: object) -> bytes:
    request = ReportRequest(kind.value, **kwargs)  # type: ignore[arg-type]
    return build_report(services, request, draft=draft).pdf


def _documents(tricky: Tricky) -> dict[str, bytes]:
    services = tricky.services
    complete_cover(services, 2021)
    return {
        "annual": _build(services, ReportKind.ANNUAL, fiscal_year=2021),
        "club": _build(services, ReportKind.CLUB, fiscal_year=2021,
                       club_id=tricky.club_id.hex),
        "sign-in": _build(services, ReportKind.ATTENDANCE, meeting_id=tricky.meeting_id.hex,
                          sheet="sign-in"),
        "record": _build(services, ReportKind.ATTENDANCE, meeting_id=tricky.meeting_id.hex,
                         sheet="record"),
        "month": _build(services, ReportKind.MONTH, month="2021-11"),
    }


# -- 1. 月間予定表 ------------------------------------------------------------------------


def test_month_schedule_prints_the_place_of_every_session(demo: Services) -> None:
    text = pdf_text(_build(demo, ReportKind.MONTH, month="2019-11"))
    listing = text[text.index("今月のセッション"):]
    entries = demo.calendar.entries(date(2019, 11, 1), date(2019, 11, 30),
                                           with_details=True)
    assert entries
    for entry in entries:
        assert entry.place
        assert "".join(entry.place.split()) in listing, entry.place


def test_month_schedule_keeps_a_crowded_day_inside_its_cell(tricky: Tricky) -> None:
    pdf = _build(tricky.services, ReportKind.MONTH, month="2021-11")
    assert crossings(pdf) == []
    text = pdf_text(pdf)
    assert "ほか" in text  # what does not fit the day's box is counted, not drawn over it
    assert "https://meet.example.jp/abc-123" in text  # the list gives the URL


# -- 2. nothing hangs over a cell's rule ------------------------------------------------------


def test_no_glyph_crosses_a_table_rule(tricky: Tricky) -> None:
    for name, pdf in _documents(tricky).items():
        found = [(run.text, run.page) for run, _rule in crossings(pdf)]
        assert found == [], name


def test_no_glyph_crosses_a_table_rule_in_the_demo(demo: Services) -> None:
    meeting = demo.meetings.find(status="held")[-1]
    club = demo.clubs.find_by_name("たかす放課後企業クラブ")
    assert club is not None
    for pdf in (_build(demo, ReportKind.ANNUAL, fiscal_year=2019),
                _build(demo, ReportKind.ANNUAL, fiscal_year=2021),
                _build(demo, ReportKind.CLUB, fiscal_year=2021, club_id=club.id.hex),
                _build(demo, ReportKind.ATTENDANCE, meeting_id=meeting.id.hex),
                _build(demo, ReportKind.ATTENDANCE, meeting_id=meeting.id.hex,
                       sheet="sign-in"),
                _build(demo, ReportKind.MONTH, month="2021-11")):
        assert crossings(pdf) == []


# -- 3. 出席簿: sign-in sheet and record, true 50音順 ---------------------------------------


def test_attendance_record_marks_each_person_and_totals(tricky: Tricky) -> None:
    text = pdf_text(_build(tricky.services, ReportKind.ATTENDANCE,
                           meeting_id=tricky.meeting_id.hex))  # held: the record
    assert text.startswith("出席簿")
    assert "受付" not in text
    assert "署名" not in text
    assert "渡辺太郎わたなべたろう" in text
    row = text[text.index("渡辺太郎"):]
    assert row.split(ORGANISATION)[1].startswith("連絡あり欠席")
    assert "出席7人連絡あり欠席1人欠席0人合計8人" in text


def test_sign_in_sheet_has_signatures_and_blank_rows(tricky: Tricky) -> None:
    pdf = _build(tricky.services, ReportKind.ATTENDANCE, meeting_id=tricky.meeting_id.hex,
                 sheet="sign-in")
    text = pdf_text(pdf)
    assert text.startswith("出席簿（受付・署名用）")
    assert "署名" in text
    assert "出欠" not in text
    assert f"{len(PEOPLE) + 5}" in text  # numbered blank rows for walk-ins
    assert "出席者数人" in text  # counted by hand


@pytest.mark.parametrize("sheet", ["sign-in", "record"])
def test_people_are_in_50_on_order_whatever_script_their_reading_was_typed_in(
        tricky: Tricky, sheet: str) -> None:
    text = pdf_text(_build(tricky.services, ReportKind.ATTENDANCE,
                           meeting_id=tricky.meeting_id.hex, sheet=sheet))
    # アオキ (typed ｱｵｷ), アベ, おだ, ジョンソン, てしがわら, はやし, ヨシダ, わたなべ
    order = ["青木一郎", "阿部正志", "小田ゆうき", "ジョンソンメアリー", "勅使河原美沙希子",
             "林美咲", "吉田花子", "渡辺太郎"]
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)


# -- 4. an unconfigured cover is refused, or printed as a draft -----------------------------


def test_annual_report_without_a_cover_is_refused(tricky: Tricky) -> None:
    request = ReportRequest(ReportKind.ANNUAL.value, fiscal_year=2021)
    with pytest.raises(IncompleteCoverError) as error:
        build_report(tricky.services, request)
    for field in ("提出日", "様式番号", "宛先", "団体名", "代表者の氏名", "担当者", "成果"):
        assert field in error.value.fields
    assert "\n" not in error.value.message


def test_a_draft_is_marked_and_invents_nothing(tricky: Tricky) -> None:
    pdf = _build(tricky.services, ReportKind.ANNUAL, fiscal_year=2021, draft=True)
    pages = page_texts(pdf)
    assert all("下書き" in page for page in pages)
    for invented in ("様式第5号", "（宛先）", "代表者代表", "団体名-", "担当者-"):
        assert invented not in pages[0]
    complete_cover(tricky.services, 2021)
    final = build_report(tricky.services, ReportRequest("annual", fiscal_year=2021))
    assert not final.draft
    assert "下書き" not in pdf_text(final.pdf)


def test_cli_refuses_in_one_sentence_and_prints_a_draft(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    path = tmp_path / "empty.sqlite3"
    open_database(path).close()
    output = tmp_path / "a.pdf"
    assert main(["--db", str(path), "report", "annual", "--fy", "2021", "-o",
                 str(output)]) == 1
    error = capsys.readouterr().err.strip()
    assert "宛先" in error
    assert "--draft" in error
    assert "\n" not in error
    assert not output.exists()
    assert main(["--db", str(path), "report", "annual", "--fy", "2021", "--draft", "-o",
                 str(output)]) == 0
    assert all("下書き" in page for page in page_texts(output.read_bytes()))
    assert main(["--db", str(path), "report", "cover", "--recipient", "鷹栖町長",
                 "--form-label", "様式第1号", "--address", "北海道", "--organisation", "団体",
                 "--representative-title", "代表", "--representative-name", "山田 太郎",
                 "--project-name", "事業", "--contact-person", "佐藤", "--email", "a@b.jp",
                 "--fy", "2021", "--submission-date", "2022-03-31", "--outcomes", "成果",
                 "--challenges", "課題", "--next-steps", "展開"]) == 0
    assert "そろっています" in capsys.readouterr().out
    assert main(["--db", str(path), "report", "annual", "--fy", "2021", "-o",
                 str(output)]) == 0
    text = pdf_text(output.read_bytes())
    assert "下書き" not in text
    assert "鷹栖町長様" in text
    assert "令和4年3月31日" in text


def test_the_demo_ships_a_complete_cover(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    db = open_database(path)
    load_demo(Services(db))
    db.close()
    for year in (2019, 2021):
        output = tmp_path / f"{year}.pdf"
        assert main(["--db", str(path), "report", "annual", "--fy", str(year), "-o",
                     str(output)]) == 0
        assert "下書き" not in pdf_text(output.read_bytes())


# -- 5. the 発信者 block ------------------------------------------------------------------


def test_applicant_block_continues_under_the_value(tricky: Tricky) -> None:
    complete_cover(tricky.services, 2021, organisation="一般社団法人" + "関係人口" * 9,
                   address="〒071-1292　北海道上川郡鷹栖町南1条3丁目5番1号")
    pdf = build_report(tricky.services, ReportRequest("annual", fiscal_year=2021)).pdf
    runs = [run for run in layout(pdf)[0] if run.page == 1]
    address = [run for run in runs if "鷹栖町南1条" in run.text]
    assert len(address) == 1
    assert address[0].text.endswith("5番1号")
    label = next(run for run in runs if run.text == "団体名")
    value = [run for run in runs if "関係人口" in run.text and run.x0 > label.x1]
    assert len(value) == 2  # 42 characters: two lines ...
    assert abs(value[0].x0 - value[1].x0) < 0.5  # ... the second under the first
    assert not any(run.text.startswith("関係人口") and run.x0 < label.x1 for run in runs)


# -- 6. names and short labels never break ------------------------------------------------


def test_names_places_and_headers_are_never_split(tricky: Tricky) -> None:
    names = [f"{family} {given}" for family, given, _r1, _r2 in PEOPLE]
    words = [*names, "オンライン", "参加人数", "参加者数", "活用率", "ワークショップ",
             "大阪府大阪市", "青森県青森市"]
    for name, pdf in _documents(tricky).items():
        assert broken_words(pdf, words) == [], name


# -- 7. the かがみ ---------------------------------------------------------------------------


def test_cover_letter_closes_with_ijo_and_carries_no_page_number(tricky: Tricky) -> None:
    complete_cover(tricky.services, 2021, project_name="令和3年度関係人口創出事業")
    pdf = build_report(tricky.services, ReportRequest("annual", fiscal_year=2021)).pdf
    pages = page_texts(pdf)
    cover = pages[0]
    assert cover.index("6添付書類") < cover.index("以上") < cover.index("担当者")
    assert "/" not in cover.split("以上")[1].replace("0166-00-0000", "")
    assert f"-1/{len(pages) - 1}-" in pages[1]
    assert cover.count("令和3年度") == 3  # title, sentence and 事業名, never doubled
    assert "令和3年度令和3年度" not in "".join(pages)
    assert "青森県青森市、大阪府大阪市" in cover  # 022012 before 271004


# -- 8. the session list ------------------------------------------------------------------


def test_session_list_has_places_totals_and_one_line_per_session(demo: Services) -> None:
    pdf = _build(demo, ReportKind.ANNUAL, fiscal_year=2021)  # the demo's cover is complete
    text = pdf_text(pdf)
    figures = demo.figures.fiscal_year(2021)
    listing = text[text.index("8.開催したセッション"):text.index("9.成果")]  # 7: matchings
    assert "場所" in listing
    assert "Zoom" in listing
    assert f"合計{figures.total.meetings_held}回{figures.total.person_times}" in listing
    clubs = text[text.index("4.クラブ別実績"):text.index("5.月別実績")]
    assert (f"合計{figures.total.meetings_held}{figures.total.meetings_online}100.0%"
            f"{figures.total.person_times}{figures.total.unique_persons}") in clubs
    runs = layout(pdf)[0]
    held = demo.meetings.find(status="held", date_from=date(2021, 4, 1),
                              date_to=date(2022, 3, 31))
    titles = [run for run in runs if run.text in {meeting.title for meeting in held}]
    assert len(titles) == len(held)  # every title whole on one line
    for title in titles:
        same_row = [run for run in runs if run.page == title.page
                    and abs(run.baseline - title.baseline) < 0.5]
        assert len(same_row) == 6  # No., date, title, format, place, attendees: one line


# -- 9. the club report -----------------------------------------------------------------------


def test_club_without_members_lists_its_attendees(tricky: Tricky) -> None:
    pdf = _build(tricky.services, ReportKind.CLUB, fiscal_year=2021,
                 club_id=tricky.club_id.hex)
    text = pdf_text(pdf)
    assert "メンバー0人" in text
    attended = len(PEOPLE) - 1  # 渡辺 太郎 was excused or absent every time
    assert f"出席した参加者{attended}人（うちメンバー以外{attended}人）" in text
    people = text[text.index("5.メンバー・参加者"):]
    for family, given, _reading, _given_reading in PEOPLE:
        assert (f"{family}{given}" in people) == (family != "渡辺")
    assert "吉田花子よしだはなこ" not in people  # readings as typed: ヨシダ ハナコ
    assert "参加者" in people


def test_long_lists_run_on_without_blank_pages(services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="大人数クラブ"))
    for index in range(120):
        person = services.people.create(PersonDraft(
            family_name=f"参加{index:03d}", given_name="太郎", category="resident"))
        services.clubs.add_member(club.id, person.id)
    meeting = services.meetings.create(MeetingDraft(
        club_id=club.id, title="定例会", date=date(2021, 5, 1), status="held"))
    services.attendance.set(meeting.id, person.id, "attended")
    pdf = _build(services, ReportKind.CLUB, fiscal_year=2021, club_id=club.id.hex)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 3
    for page in range(1, pages):
        assert lowest_text(pdf, page) < 120  # every page but the last is filled
    last = [run for run in layout(pdf)[0] if run.page == pages and run.baseline > 40]
    assert len({round(run.baseline) for run in last}) >= 4  # no last page of two lines



def test_cli_prints_either_kind_of_attendance_sheet(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    db = open_database(path)
    services = Services(db)
    load_demo(services)
    held = services.meetings.find(status="held")[-1]
    planned = services.meetings.find(status="planned")[0]
    db.close()
    for meeting, kind, title in ((held, None, "出席簿"), (planned, None, "出席簿（受付・署名用）"),
                                 (held, "sign-in", "出席簿（受付・署名用）"),
                                 (planned, "record", "出席簿")):
        output = tmp_path / "sheet.pdf"
        arguments = ["--db", str(path), "report", "attendance", "--meeting", meeting.id.hex,
                     "-o", str(output)]
        assert main(arguments + (["--kind", kind] if kind else [])) == 0
        text = pdf_text(output.read_bytes())
        assert text.startswith(title)
        assert ("署名" in text) == ("受付" in title)


def test_sign_in_rows_fill_the_last_page() -> None:
    from kankei_desktop.reports.attendance import WALK_IN_ROWS, sign_in_rows

    # 20 rows fit the first page, 30 a following one; the count box takes two rows' room.
    assert sign_in_rows(10, 200, 300, 10, 20) == 18  # one page, filled above the box
    assert sign_in_rows(18 - WALK_IN_ROWS, 200, 300, 10, 20) == 18
    assert sign_in_rows(20, 200, 300, 10, 20) == 20 + 28  # the second page filled
    assert sign_in_rows(60, 200, 300, 10, 20) == 20 + 30 + 28
