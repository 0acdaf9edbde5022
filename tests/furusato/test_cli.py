"""``kankei furusato …`` and ``kankei report activity-certificate`` as a coordinator runs them."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.reports.settings import CoverSettings, save_cover
from tests.furusato.conftest import Run
from tests.furusato.helpers import (
    HIGASHIKAWA,
    SAPPORO,
    TAKASU,
    attend,
    club,
    person,
    register,
    session,
)

Status = Callable[..., dict[str, Any]]


@dataclass
class Town:
    """Ids of the data set."""

    hanako: uuid.UUID  # 3 activities, lives in Sapporo: qualifies
    ichiro: uuid.UUID  # 3 activities, lives in Takasu
    jiro: uuid.UUID  # 1 activity, basic registration
    meeting: uuid.UUID  # a held session, not designated


@pytest.fixture
def town(db_path: Path) -> Town:
    db = open_database(db_path)
    try:
        services = Services(db)
        save_cover(services, CoverSettings(organisation="一般社団法人 北の関係人口",
                                           address="北海道旭川市1条通1丁目",
                                           representative_title="代表理事",
                                           representative_name="北野 太郎",
                                           contact_person="南 花子",
                                           contact_phone="0166-00-0000"))
        club_id = club(services, "鷹栖の担い手クラブ")
        hanako = person(services, "佐藤", "花子", lives_in=SAPPORO, reading=("さとう", "はなこ"))
        ichiro = person(services, "鷹栖", "一郎", lives_in=TAKASU, reading=("たかす", "いちろう"))
        jiro = person(services, "鈴木", "次郎", reading=("すずき", "じろう"))
        titles = ["田植え体験と水路の見回り", "ふるさと納税返礼品の試食会", "雪まつり会場づくり"]
        days = [date(2026, 5, 16), date(2026, 9, 12), date(2027, 2, 6)]
        for day, title in zip(days, titles, strict=True):
            meeting = session(services, club_id, day, title=title, place="鷹栖町公民館")
            attend(services, meeting, hanako)
            attend(services, meeting, ichiro)
        attend(services, session(services, club_id, date(2026, 6, 1)), jiro)
        plain = session(services, club_id, date(2026, 7, 1), designated=False)
        attend(services, plain, jiro)
        register(services, jiro, TAKASU)
        register(services, hanako, HIGASHIKAWA, tier="premium")
        return Town(hanako, ichiro, jiro, plain)
    finally:
        db.close()


def test_status_json(town: Town, status: Status) -> None:
    data = status(TAKASU, "--fy", "2026")
    assert list(data) == ["municipality", "period_start", "period_end", "minimum_activities",
                          "people"]
    assert (data["municipality"], data["period_start"], data["period_end"],
            data["minimum_activities"]) == (TAKASU, "2026-04-01", "2027-03-31", 3)
    people = {row["person_id"]: row for row in data["people"]}
    assert [row["name"] for row in data["people"]] == ["佐藤 花子", "鈴木 次郎", "鷹栖 一郎"]
    assert people[town.hanako.hex] == {
        "person_id": town.hanako.hex, "name": "佐藤 花子", "activities": 3,
        "registration": None, "eligible_premium": True, "reasons": []}
    assert people[town.jiro.hex]["registration"] == "basic"
    assert people[town.jiro.hex]["activities"] == 1
    assert people[town.ichiro.hex]["eligible_premium"] is False


def test_status_for_a_period_and_for_a_year_as_set(town: Town, status: Status,
                                                   kankei: Run) -> None:
    data = status(TAKASU, "--from", "2026-04-01", "--to", "2026-12-31")
    hanako = next(row for row in data["people"] if row["name"] == "佐藤 花子")
    assert hanako["activities"] == 2
    assert not hanako["eligible_premium"]
    assert "あと1回" in hanako["reasons"][0]
    assert kankei("furusato", "settings", "--period", "calendar_year",
                  "--minimum-activities", "2")[0] == 0
    data = status(TAKASU, "--year", "2026")
    assert (data["period_start"], data["period_end"], data["minimum_activities"]) == (
        "2026-01-01", "2026-12-31", 2)
    assert next(row for row in data["people"] if row["name"] == "佐藤 花子")[
        "eligible_premium"]


@pytest.mark.parametrize("code", ["014525", "14524", "01452x", "0145240"])
def test_a_bad_code_is_one_sentence(town: Town, kankei: Run, code: str) -> None:
    exit_code, out, err = kankei("furusato", "status", "--municipality", code, "--fy", "2026",
                                 "--json")
    assert exit_code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "地方公共団体コード" in err


def test_period_mistakes(town: Town, kankei: Run) -> None:
    base = ("furusato", "status", "--municipality", TAKASU)
    assert kankei(*base, "--from", "2026-04-01")[0] == 1
    assert kankei(*base, "--from", "2027-04-01", "--to", "2026-04-01")[0] == 1
    assert kankei(*base, "--from", "昨日", "--to", "2026-04-01")[0] == 1
    with pytest.raises(SystemExit) as usage:
        kankei(*base)
    assert usage.value.code == 2


def test_settings_are_shown_and_refused_out_of_range(town: Town, kankei: Run) -> None:
    code, out, _err = kankei("furusato", "settings", "--json")
    assert json.loads(out) == {"minimum_activities": 3, "maximum_premium": 3,
                               "period": "fiscal_year", "renewal_months": 12,
                               "notice_days": 60}
    code, out, err = kankei("furusato", "settings", "--maximum-premium", "0")
    assert code == 1
    assert "1から50" in err
    assert json.loads(kankei("furusato", "settings", "--json")[1])["maximum_premium"] == 3


def test_designate_from_the_command_line(town: Town, kankei: Run, status: Status) -> None:
    code, out, _err = kankei("furusato", "designate", "--meeting", town.meeting.hex)
    assert code == 0
    assert "1件" in out
    jiro = next(row for row in status(TAKASU, "--fy", "2026")["people"]
                if row["name"] == "鈴木 次郎")
    assert jiro["activities"] == 2
    code, out, _err = kankei("furusato", "designate", "--club", "鷹栖の担い手クラブ", "--off")
    assert code == 0
    assert status(TAKASU, "--fy", "2026")["people"] == [
        {"person_id": town.jiro.hex, "name": "鈴木 次郎", "activities": 0,
         "registration": "basic", "eligible_premium": False,
         "reasons": ["担い手活動への参加はこの期間に0回です。"
                     "プレミアム登録にはあと3回必要です（3回以上）。"]}]
    assert kankei("furusato", "designate", "--meeting", "nonsense")[0] == 1


def test_export_csv_neutralises_formulas(town: Town, kankei: Run, db_path: Path,
                                         tmp_path: Path) -> None:
    db = open_database(db_path)
    try:
        services = Services(db)
        evil = person(services, "=HYPERLINK(\"http://x\")", "-1+1", lives_in=SAPPORO)
        register(services, evil, TAKASU)
    finally:
        db.close()
    target = tmp_path / "list.csv"
    code, _out, err = kankei("furusato", "export", "--municipality", TAKASU, "--fy", "2026",
                            "-o", str(target))
    assert code == 0, err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "氏名"
    names = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://x\") -1+1" in names
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert b'"' + "佐藤 花子".encode() + b'"' in raw  # every cell quoted


def test_export_xlsx_keeps_text_as_text(town: Town, kankei: Run, db_path: Path,
                                        tmp_path: Path) -> None:
    from openpyxl import load_workbook

    db = open_database(db_path)
    try:
        register(Services(db), person(Services(db), "=1+1", lives_in=SAPPORO), TAKASU)
    finally:
        db.close()
    target = tmp_path / "list.xlsx"
    assert kankei("furusato", "export", "--municipality", TAKASU, "--fy", "2026", "-o",
                  str(target))[0] == 0
    sheet = load_workbook(target).active
    assert sheet is not None
    assert sheet["A4"].value == "氏名"
    cells = {sheet.cell(row=row, column=1).value: sheet.cell(row=row, column=1).data_type
             for row in range(5, sheet.max_row + 1)}
    assert cells["'=1+1"] == "s"  # neutralised (core.cell_text) and stored as text
    counts = {sheet.cell(row=row, column=1).value: sheet.cell(row=row, column=8).value
              for row in range(5, sheet.max_row + 1)}
    assert counts["佐藤 花子"] == 3
    assert kankei("furusato", "export", "--municipality", TAKASU, "--fy", "2026", "-o",
                  str(tmp_path / "list.txt"))[0] == 1


def _pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(str(path))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_one_certificate(town: Town, kankei: Run, tmp_path: Path) -> None:
    target = tmp_path / "cert.pdf"
    code, out, err = kankei("report", "activity-certificate", "--person", str(town.hanako),
                            "--municipality", TAKASU, "--fy", "2026", "-o", str(target))
    assert code == 0, err
    assert "佐藤 花子" in out
    pages, text = _pdf_text(target)
    assert pages == 1
    for expected in ("活動実績証明書", "佐藤 花子", "北海道鷹栖町", "令和8年4月1日",
                     "令和9年3月31日", "令和8年5月16日", "田植え体験と水路の見回り",
                     "鷹栖町公民館", "3回", "一般社団法人 北の関係人口", "代表理事"):
        assert expected in text.replace("\n", ""), expected


def test_certificates_for_everyone_who_qualifies(town: Town, kankei: Run, db_path: Path,
                                                 tmp_path: Path) -> None:
    db = open_database(db_path)
    try:
        services = Services(db)
        other = person(services, "佐藤", "花子", lives_in=SAPPORO)  # a namesake
        for meeting in services.furusato.sessions(TAKASU, date(2026, 4, 1), date(2027, 3, 31)):
            attend(services, meeting.meeting_id, other)
    finally:
        db.close()
    joined = tmp_path / "all.pdf"
    code, _out, err = kankei("report", "activity-certificate", "--eligible",
                             "--municipality", TAKASU, "--fy", "2026", "-o", str(joined))
    assert code == 0, err
    pages, text = _pdf_text(joined)
    assert pages == 2
    assert "鷹栖 一郎" not in text  # lives there
    folder = tmp_path / "each"
    code, _out, err = kankei("report", "activity-certificate", "--eligible", "--per-person",
                            "--municipality", TAKASU, "--fy", "2026", "-o", str(folder))
    assert code == 0, err
    assert sorted(path.name for path in folder.iterdir()) == [
        "活動実績証明書_北海道鷹栖町_佐藤花子.pdf", "活動実績証明書_北海道鷹栖町_佐藤花子_2.pdf"]


def test_certificate_mistakes(town: Town, kankei: Run, tmp_path: Path) -> None:
    base = ("report", "activity-certificate", "--municipality", TAKASU, "--fy", "2026")
    target = str(tmp_path / "c.pdf")
    assert kankei(*base, "--person", "not-an-id", "-o", target)[0] == 1
    code, _out, err = kankei(*base, "--person", uuid.uuid4().hex, "-o", target)
    assert code == 1
    assert "いません" in err
    assert kankei(*base, "--person", uuid.uuid4().hex, "--per-person", "-o", target)[0] == 1
    assert kankei("report", "activity-certificate", "--eligible", "--municipality", "014591",
                  "--fy", "2026", "-o", target)[0] == 1  # nobody qualifies there
    assert not (tmp_path / "c.pdf").exists()


def test_status_as_text(town: Town, kankei: Run) -> None:
    code, out, _err = kankei("furusato", "status", "--municipality", TAKASU, "--fy", "2026")
    assert code == 0
    assert "北海道鷹栖町（014524）" in out
    assert "担い手活動3回以上" in out
    assert town.hanako.hex in out
    assert "期間内に開催した担い手活動: 4回" in out
