"""``kankei stats`` for any period and scope: the contract of its JSON and its errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kankei_desktop.commands.cli import main
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.vocabulary import MeetingKind

KINDS = {kind.value for kind in MeetingKind}
#: Keys ``stats --json`` had before periods and scopes: all still there.
KEYS_BEFORE = {"fiscal_year", "fiscal_year_label", "period", "filter", "meetings_held",
               "meetings_online", "online_rate", "person_times", "unique_persons",
               "first_time_persons", "by_club", "by_category", "by_month", "by_municipality"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def stats(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> dict[str, object]:
    code, out, err = run(capsys, "--db", str(db), "stats", "--json", *args)
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


@pytest.fixture
def hokkaido(db_path: Path) -> Path:
    """Clubs in 鷹栖町 and 札幌市 (北海道, which is not in the file itself) and 千代田区 (東京都).

    佐藤 (会社A) attends in 鷹栖 in FY2021 and FY2022, 鈴木 (会社A) in 札幌 in FY2021, 高橋 (no
    organisation) in 千代田 in FY2021 and is absent once; 田中 (会社B) is only absent.
    """
    db = open_database(db_path)
    services = Services(db)
    company_a = services.organizations.create(OrganizationDraft(kind="company", name="会社A")).id
    company_b = services.organizations.create(OrganizationDraft(kind="company", name="会社B")).id
    clubs = {}
    for code, name in (("014524", "鷹栖クラブ"), ("011002", "札幌クラブ"),
                       ("131016", "千代田クラブ")):
        host = services.organizations.ensure_municipality(code)
        clubs[name] = services.clubs.create(ClubDraft(name=name, host_municipality_id=host.id)).id

    def person(name: str, organization: object) -> object:
        return services.people.create(PersonDraft(
            family_name=name, category="company_staff", organization_id=organization)).id

    sato, suzuki = person("佐藤", company_a), person("鈴木", company_a)
    takahashi, tanaka = person("高橋", None), person("田中", company_b)

    def held(club: str, day: date, kind: str, **attendance: str) -> None:
        meeting = services.meetings.create(MeetingDraft(
            club_id=clubs[club], title="会", date=day, status="held", kind=kind))
        people = {"sato": sato, "suzuki": suzuki, "takahashi": takahashi, "tanaka": tanaka}
        for who, status in attendance.items():
            services.attendance.set(meeting.id, people[who], status)  # type: ignore[arg-type]

    held("鷹栖クラブ", date(2021, 4, 1), "seminar", sato="attended", tanaka="absent")
    held("鷹栖クラブ", date(2022, 3, 31), "session", sato="attended")
    held("札幌クラブ", date(2021, 10, 1), "fieldwork", suzuki="attended", tanaka="excused")
    held("千代田クラブ", date(2021, 12, 1), "session", takahashi="attended")
    held("千代田クラブ", date(2022, 1, 1), "session", takahashi="absent")
    held("鷹栖クラブ", date(2022, 4, 1), "session", sato="attended")
    db.close()
    return db_path


def test_a_fiscal_year_has_the_contract_keys(capsys: pytest.CaptureFixture[str],
                                             hokkaido: Path) -> None:
    data = stats(capsys, hokkaido, "--fy", "2021")
    assert set(data) >= KEYS_BEFORE
    assert (data["period_start"], data["period_end"]) == ("2021-04-01", "2022-03-31")
    assert data["fiscal_year"] == 2021
    assert data["meetings_held"] == 5
    assert data["person_times"] == 4
    assert data["unique_persons"] == 3
    by_kind = data["by_kind"]
    assert isinstance(by_kind, dict)
    assert set(by_kind) == KINDS
    assert sum(cell["meetings_held"] for cell in by_kind.values()) == data["meetings_held"]
    assert by_kind["session"] == {"meetings_held": 3, "person_times": 2}
    assert by_kind["seminar"] == {"meetings_held": 1, "person_times": 1}
    assert data["organizations_attending"] == 1  # 会社A (高橋 has none, 田中 never came)
    assert data["attendance_rate"] == pytest.approx(4 / 7)


def test_from_and_to_include_both_days(capsys: pytest.CaptureFixture[str],
                                       hokkaido: Path) -> None:
    same = stats(capsys, hokkaido, "--from", "2021-04-01", "--to", "2022-03-31")
    assert same["fiscal_year"] == 2021  # exactly one fiscal year
    assert same["person_times"] == 4
    one_day = stats(capsys, hokkaido, "--from", "2022-03-31", "--to", "2022-03-31")
    assert one_day["fiscal_year"] is None
    assert (one_day["period_start"], one_day["period_end"]) == ("2022-03-31", "2022-03-31")
    assert (one_day["meetings_held"], one_day["person_times"]) == (1, 1)
    two_years = stats(capsys, hokkaido, "--from", "2021-04-01", "--to", "2023-03-31")
    assert two_years["fiscal_year"] is None
    assert two_years["person_times"] == 5
    assert two_years["unique_persons"] == 3  # 佐藤 came in both years: counted once
    assert two_years["first_time_persons"] == 3
    assert list(two_years["by_fiscal_year"]) == ["2021", "2022"]  # type: ignore[arg-type]
    nothing = stats(capsys, hokkaido, "--from", "2030-01-01", "--to", "2030-01-31")
    assert nothing["attendance_rate"] is None
    assert nothing["organizations_attending"] == 0


def test_a_prefecture_code_includes_its_municipalities(capsys: pytest.CaptureFixture[str],
                                                       hokkaido: Path) -> None:
    """北海道 (010006) is not in the file; the clubs of 鷹栖町 and 札幌市 are."""
    prefecture = stats(capsys, hokkaido, "--fy", "2021", "--municipality", "010006")
    assert prefecture["meetings_held"] == 3
    assert prefecture["person_times"] == 3
    assert set(prefecture["by_municipality"]) == {"北海道鷹栖町", "北海道札幌市"}  # type: ignore[arg-type]
    town = stats(capsys, hokkaido, "--fy", "2021", "--municipality", "014524")
    assert town["meetings_held"] == 2
    tokyo = stats(capsys, hokkaido, "--fy", "2021", "--municipality", "13000")  # 5 digits
    assert tokyo["meetings_held"] == 2
    assert tokyo["area"] == {"code": "130001", "name": "東京都", "kind": "prefecture"}


@pytest.mark.parametrize("args", [
    ("--fy", "2021", "--from", "2021-04-01", "--to", "2022-03-31"),
    ("--fy", "2021", "--to", "2022-03-31"),
    (),
    ("--from", "2021-04-01"),
    ("--to", "2021-04-01"),
    ("--from", "2022-04-01", "--to", "2022-03-31"),
    ("--from", "2021-02-30", "--to", "2022-03-31"),
    ("--from", "令和3年4月1日", "--to", "2022-03-31"),
    ("--fy", "21"),
    ("--fy", "2021", "--municipality", "270008"),  # 大阪府: nothing of it in the file
    ("--fy", "2021", "--municipality", "010005"),  # wrong check digit
])
def test_period_and_scope_mistakes_are_one_sentence(capsys: pytest.CaptureFixture[str],
                                                    hokkaido: Path,
                                                    args: tuple[str, ...]) -> None:
    code, out, err = run(capsys, "--db", str(hokkaido), "stats", *args)
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_errors_are_in_japanese(capsys: pytest.CaptureFixture[str], hokkaido: Path) -> None:
    code, _out, err = run(capsys, "--db", str(hokkaido), "--lang", "ja", "stats",
                          "--from", "2022-04-01", "--to", "2022-03-31")
    assert code == 1
    assert "--to" in err
    assert "前" in err
