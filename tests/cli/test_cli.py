"""The ``kankei`` command as a coordinator uses it: exit codes, sentences, no tracebacks."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date, time
from pathlib import Path

import pytest

from kankei_desktop.commands.cli import main
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.filelock import Mode


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``kankei`` in-process and capture what it prints."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def small_file(db_path: Path) -> Path:
    """A file with one club in 鷹栖町, two people, two held sessions in FY2021."""
    db = open_database(db_path)
    services = Services(db)
    town = services.organizations.ensure_municipality("014524")
    club = services.clubs.create(ClubDraft(
        name="鷹栖放課後企業クラブ", reading="たかすほうかごきぎょうくらぶ",
        host_municipality_id=town.id))
    sato = services.people.create(PersonDraft(family_name="佐藤", given_name="花子",
                                              family_reading="さとう", given_reading="はなこ",
                                              category="company_staff"))
    abe = services.people.create(PersonDraft(family_name="阿部", given_name="一郎",
                                             family_reading="あべ", given_reading="いちろう",
                                             category="resident"))
    for day, fmt in ((date(2021, 4, 1), "online"), (date(2022, 3, 31), "onsite")):
        meeting = services.meetings.create(MeetingDraft(
            club_id=club.id, title="定例会", date=day, start_time=time(19), end_time=time(21),
            format=fmt, status="held"))
        services.attendance.set(meeting.id, sato.id, "attended")
        services.attendance.set(meeting.id, abe.id,
                                         "attended" if fmt == "online" else "absent")
    db.close()
    return db_path


def test_init_creates_a_database_that_check_accepts(capsys: pytest.CaptureFixture[str],
                                                    db_path: Path) -> None:
    code, out, _err = run(capsys, "--db", str(db_path), "init")
    assert code == 0
    assert db_path.exists()
    code, out, err = run(capsys, "--db", str(db_path), "check")
    assert code == 0, err
    assert str(db_path) in out


def test_init_without_db_uses_the_user_data_folder(capsys: pytest.CaptureFixture[str]) -> None:
    from kankei_desktop.core.storage.paths import default_database_path

    code, _out, _err = run(capsys, "init")
    assert code == 0
    assert default_database_path().exists()
    assert default_database_path().name == "kankei.sqlite3"


def test_stats_json_has_the_contract_keys(capsys: pytest.CaptureFixture[str],
                                          small_file: Path) -> None:
    code, out, _err = run(capsys, "--db", str(small_file), "stats", "--fy", "2021", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["fiscal_year"] == 2021
    assert data["meetings_held"] == 2
    assert data["meetings_online"] == 1
    assert data["online_rate"] == pytest.approx(0.5)
    assert data["person_times"] == 3
    assert data["unique_persons"] == 2
    assert data["first_time_persons"] == 2
    assert data["by_club"]["鷹栖放課後企業クラブ"]["person_times"] == 3
    assert data["by_category"]["company_staff"]["person_times"] == 2
    assert data["by_category"]["resident"]["unique_persons"] == 1
    assert next(iter(data["by_month"])) == "2021-04"
    assert len(data["by_month"]) == 12
    assert data["by_month"]["2022-03"]["person_times"] == 1


def test_stats_for_a_year_without_sessions_has_no_rate(capsys: pytest.CaptureFixture[str],
                                                       small_file: Path) -> None:
    code, out, _err = run(capsys, "--db", str(small_file), "stats", "--fy", "2022", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["meetings_held"] == 0
    assert data["online_rate"] is None


def test_stats_filters_by_club_and_municipality(capsys: pytest.CaptureFixture[str],
                                                small_file: Path) -> None:
    code, out, _ = run(capsys, "--db", str(small_file), "stats", "--fy", "2021", "--json",
                       "--club", "鷹栖放課後企業クラブ")
    assert code == 0
    assert json.loads(out)["person_times"] == 3
    code, out, _ = run(capsys, "--db", str(small_file), "stats", "--fy", "2021", "--json",
                       "--municipality", "014524")
    assert code == 0
    assert json.loads(out)["meetings_held"] == 2


def test_stats_unknown_club_is_a_sentence(capsys: pytest.CaptureFixture[str],
                                          small_file: Path) -> None:
    code, _out, err = run(capsys, "--db", str(small_file), "stats", "--fy", "2021",
                         "--club", "ないクラブ")
    assert code == 1
    assert "ないクラブ" in err
    assert "Traceback" not in err


def test_stats_bad_municipality_code(capsys: pytest.CaptureFixture[str],
                                     small_file: Path) -> None:
    code, _out, err = run(capsys, "--db", str(small_file), "stats", "--fy", "2021",
                          "--municipality", "014525")
    assert code == 1
    assert "014525" in err


def test_stats_text_table_is_japanese(capsys: pytest.CaptureFixture[str],
                                      small_file: Path) -> None:
    code, out, _ = run(capsys, "--db", str(small_file), "--lang", "ja", "stats", "--fy", "2021")
    assert code == 0
    assert "令和3年度" in out
    assert "延べ" in out


def test_list_people_sorted_by_reading_and_kana_search(capsys: pytest.CaptureFixture[str],
                                                       small_file: Path) -> None:
    code, out, _ = run(capsys, "--db", str(small_file), "list", "people")
    assert code == 0
    assert out.index("阿部") < out.index("佐藤")
    for query in ("ｻﾄｳ", "さとう", "サトウ", "佐藤"):
        code, out, _ = run(capsys, "--db", str(small_file), "list", "people", "--search", query)
        assert code == 0
        assert "佐藤 花子" in out
        assert "阿部" not in out


def test_list_other_kinds(capsys: pytest.CaptureFixture[str], small_file: Path) -> None:
    for kind, expected in (("organizations", "014524"), ("clubs", "鷹栖放課後企業クラブ"),
                           ("meetings", "2021-04-01")):
        code, out, _ = run(capsys, "--db", str(small_file), "list", kind)
        assert code == 0
        assert expected in out


def test_text_file_is_refused_and_unchanged(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("これはメモです\n", encoding="utf-8")
    before = sha256(path)
    for command in (["list", "people"], ["stats", "--fy", "2021"], ["init"], ["check"]):
        code, _out, err = run(capsys, "--db", str(path), *command)
        assert code == 1
        assert "Traceback" not in err
        assert err.strip().count("\n") == 0
    assert sha256(path) == before


def test_newer_file_is_refused_and_unchanged(capsys: pytest.CaptureFixture[str],
                                             small_file: Path) -> None:
    with sqlite3.connect(small_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num='9999_future'")
    connection.close()
    before = sha256(small_file)
    code, _out, err = run(capsys, "--db", str(small_file), "list", "people")
    assert code == 1
    assert "Traceback" not in err
    assert sha256(small_file) == before
    code, _out, _err = run(capsys, "--db", str(small_file), "check")
    assert code == 1
    assert sha256(small_file) == before


def test_damaged_file_is_reported(capsys: pytest.CaptureFixture[str], small_file: Path) -> None:
    data = bytearray(small_file.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 6)):
        data[offset] = 0xA5
    small_file.write_bytes(bytes(data))
    code, _out, err = run(capsys, "--db", str(small_file), "check")
    assert code == 1
    assert "Traceback" not in err
    code, _out, err = run(capsys, "--db", str(small_file), "stats", "--fy", "2021")
    assert code == 1
    assert "Traceback" not in err


def test_commands_run_beside_the_open_window(capsys: pytest.CaptureFixture[str],
                                            small_file: Path) -> None:
    window = open_database(small_file, mode=Mode.WINDOW)
    try:
        code, out, _err = run(capsys, "--db", str(small_file), "list", "people")
        assert code == 0
        assert "佐藤" in out
        code, out, _err = run(capsys, "--db", str(small_file), "stats", "--fy", "2021", "--json")
        assert code == 0
        assert json.loads(out)["meetings_held"] == 2
    finally:
        window.close()


def test_file_held_by_a_copy_that_needs_it_to_itself(capsys: pytest.CaptureFixture[str],
                                                     small_file: Path) -> None:
    holder = open_database(small_file, mode=Mode.EXCLUSIVE)  # e.g. on a network share
    try:
        for command in (["list", "people"], ["stats", "--fy", "2021"]):
            code, _out, err = run(capsys, "--db", str(small_file), *command)
            assert code == 1
            assert str(small_file) in err
            assert "Traceback" not in err
    finally:
        holder.close()


def test_missing_folder_is_a_sentence(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run(capsys, "--db", str(tmp_path / "nowhere" / "k.sqlite3"), "init")
    assert code == 1
    assert "Traceback" not in err


def test_check_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, _err = run(capsys, "--db", str(tmp_path / "absent.sqlite3"), "check")
    assert code == 1
    assert not (tmp_path / "absent.sqlite3").exists()


def test_read_only_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    real_access = os.access

    def no_write(path: object, mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and str(path).startswith(str(folder)):
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", no_write)
    code, _out, _err = run(capsys, "--db", str(folder / "k.sqlite3"), "init")
    assert code == 1
    assert not (folder / "k.sqlite3").exists()


def test_output_cut_short_by_a_pager_is_not_an_error(small_file: Path) -> None:
    """``kankei list people | head -1`` prints no error when head stops reading."""
    import subprocess
    import sys

    script = (f"import sys; from kankei_desktop.commands.cli import main; "
              f"sys.exit(main(['--db', {str(small_file)!r}, 'list', 'people']))")
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as child:
        assert child.stdout is not None
        assert child.stderr is not None
        child.stdout.close()  # the reader goes away before the list is written, like `head`
        errors = child.stderr.read().decode()
        code = child.wait(timeout=60)
    assert code == 0
    assert "Error" not in errors
    assert "エラー" not in errors
    assert "Traceback" not in errors


def test_stats_lists_municipalities_in_a_stable_order(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    """Two runs, or the kept and the live computation, print the same bytes."""
    db = tmp_path / "demo.sqlite3"
    assert run(capsys, "--db", str(db), "demo")[0] == 0
    code, out, _err = run(capsys, "--db", str(db), "stats", "--fy", "2021", "--json")
    assert code == 0
    names = list(json.loads(out)["by_municipality"])
    assert names == sorted(names) == ["北海道鷹栖町", "岡山県西粟倉村"]
