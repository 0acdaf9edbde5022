"""``kankei survey import`` and ``kankei survey summary --json`` with real-shaped exports."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from .conftest import Run, Session
from .exports import (
    EXPECTED,
    Q_SINGLE,
    write_google_csv,
    write_google_xlsx,
    write_microsoft_csv,
    write_microsoft_xlsx,
)


def summary(kankei: Run, meeting: str) -> dict[str, object]:
    code, out, err = kankei("survey", "summary", "--meeting", meeting, "--json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def table_counts(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("survey", "survey_question", "survey_response", "survey_answer")}


def state(db_path: Path) -> list[tuple[object, ...]]:
    """Every survey row with its clock: any change shows."""
    with sqlite3.connect(db_path) as connection:
        return [row for table in ("survey", "survey_question", "survey_response",
                                  "survey_answer")
                for row in connection.execute(f"SELECT * FROM {table} ORDER BY id")]


@pytest.mark.parametrize("writer", [
    lambda path: write_google_csv(path / "google.csv"),
    lambda path: write_google_csv(path / "google-bom.csv", encoding="utf-8-sig"),
    lambda path: write_google_csv(path / "google-sjis.csv", encoding="cp932"),
    lambda path: write_google_xlsx(path / "google.xlsx"),
    lambda path: write_microsoft_xlsx(path / "microsoft.xlsx"),
    lambda path: write_microsoft_xlsx(path / "microsoft-en.xlsx", lang="en"),
    lambda path: write_microsoft_csv(path / "microsoft.csv"),
    lambda path: write_microsoft_csv(path / "microsoft-sjis.csv", lang="ja", encoding="cp932"),
], ids=["google-utf8", "google-bom", "google-cp932", "google-xlsx", "microsoft-xlsx",
        "microsoft-xlsx-en", "microsoft-csv", "microsoft-csv-cp932"])
def test_every_shape_gives_the_same_results(writer, tmp_path: Path,  # type: ignore[no-untyped-def]
                                            seeded_file: Session, kankei: Run) -> None:
    path = writer(tmp_path)
    code, _out, err = kankei("survey", "import", str(path), "--meeting", seeded_file.meeting)
    assert code == 0, err
    result = summary(kankei, seeded_file.meeting)
    assert result["responses"] == 8
    assert result["attendees"] == 10
    assert result["response_rate"] == pytest.approx(0.8)
    questions = result["questions"]
    assert isinstance(questions, list)
    assert [question["kind"] for question in questions] == [
        "scale", "multiple", "single", "text"]
    for got, wanted in zip(questions, EXPECTED, strict=True):
        assert got["text"] == wanted["text"]
        assert got["answered"] == wanted["answered"]
        assert got["counts"] == wanted["counts"]
        assert got["mean"] == (pytest.approx(wanted["mean"]) if wanted["mean"] else None)
    assert questions[3]["texts"] == EXPECTED[3]["texts"]


def test_the_meeting_id_may_be_written_without_dashes(
        tmp_path: Path, seeded_file: Session, kankei: Run) -> None:
    path = write_google_csv(tmp_path / "a.csv")
    code, _out, err = kankei("survey", "import", str(path), "--meeting",
                             seeded_file.meeting_id.hex)
    assert code == 0, err
    assert summary(kankei, seeded_file.meeting_id.hex)["responses"] == 8


def test_the_same_file_twice_changes_nothing(tmp_path: Path, seeded_file: Session,
                                             kankei: Run, db_path: Path) -> None:
    path = write_microsoft_xlsx(tmp_path / "ms.xlsx")
    assert kankei("survey", "import", str(path), "--meeting", seeded_file.meeting)[0] == 0
    before = state(db_path)
    code, out, _err = kankei("survey", "import", str(path), "--meeting", seeded_file.meeting)
    assert code == 0
    assert "新しい回答: 0" in out
    assert state(db_path) == before


def test_a_dry_run_changes_nothing(tmp_path: Path, seeded_file: Session, kankei: Run,
                                   db_path: Path) -> None:
    path = write_google_csv(tmp_path / "a.csv")
    before = state(db_path)
    code, out, err = kankei("survey", "import", str(path), "--meeting", seeded_file.meeting,
                            "--dry-run")
    assert code == 0, err
    assert "新しい回答: 8" in out
    assert "1. 本日のセッションの満足度を教えてください — 尺度 1–5" in out
    assert state(db_path) == before


def test_kind_corrected_from_the_command_line(tmp_path: Path, seeded_file: Session,
                                              kankei: Run) -> None:
    path = write_google_csv(tmp_path / "a.csv")
    code, _out, err = kankei("survey", "import", str(path), "--meeting", seeded_file.meeting,
                            "--kind", "3=text", "--kind", "2=single")
    assert code == 0, err
    questions = summary(kankei, seeded_file.meeting)["questions"]
    assert isinstance(questions, list)
    assert [question["kind"] for question in questions] == ["scale", "single", "text", "text"]
    assert questions[2]["texts"][:2] == ["ぜひ参加したい", "機会があれば参加したい"]
    assert questions[1]["counts"]["知人・同僚の紹介, SNS（Facebook, X など）"] == 1


def test_correcting_a_kind_on_a_second_import_reads_the_answers_again(
        tmp_path: Path, seeded_file: Session, kankei: Run) -> None:
    path = write_google_csv(tmp_path / "a.csv")
    assert kankei("survey", "import", str(path), "--meeting", seeded_file.meeting)[0] == 0
    code, _out, err = kankei("survey", "import", str(path), "--meeting", seeded_file.meeting,
                             "--kind", "3=text")
    assert code == 0, err
    result = summary(kankei, seeded_file.meeting)
    assert result["responses"] == 8
    assert result["questions"][2]["kind"] == "text"  # type: ignore[index]


def test_rows_that_do_not_fit_are_listed_by_number_and_nothing_is_imported(
        tmp_path: Path, seeded_file: Session, kankei: Run, db_path: Path) -> None:
    path = write_google_csv(tmp_path / "a.csv")
    before = table_counts(db_path)
    code, out, err = kankei("survey", "import", str(path), "--meeting", seeded_file.meeting,
                            "--kind", "3=scale")
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"2行目 {Q_SINGLE}: 'ぜひ参加したい' は尺度")
    assert sum(1 for line in lines if Q_SINGLE in line) == 8
    assert "8 行" in lines[-1] or "8" in lines[-1]
    assert table_counts(db_path) == before


def test_skip_invalid_writes_the_rejected_rows(tmp_path: Path, seeded_file: Session,
                                               kankei: Run) -> None:
    path = write_google_csv(tmp_path / "a.csv")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("15:05:28,,4,", "15:05:28,,四,"), encoding="utf-8")
    code, out, err = kankei("survey", "import", str(path), "--meeting", seeded_file.meeting,
                            "--kind", "1=scale", "--skip-invalid")
    assert code == 0, err
    rejects = path.with_name("a-rejected.csv")
    assert str(rejects) in out
    assert summary(kankei, seeded_file.meeting)["responses"] == 7
    assert "四" in rejects.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(("option", "message"), [
    ("9=text", "1 から 4"), ("3=essay", "scale|single|multiple|text"), ("x=text", "--kind")])
def test_bad_kind_corrections_are_sentences(tmp_path: Path, seeded_file: Session,
                                            kankei: Run, option: str, message: str) -> None:
    path = write_google_csv(tmp_path / "a.csv")
    code, _out, err = kankei("survey", "import", str(path), "--meeting", seeded_file.meeting,
                            "--kind", option)
    assert code == 1
    assert message in err
    assert "Traceback" not in err


def test_unknown_session_and_missing_file(tmp_path: Path, seeded_file: Session,
                                          kankei: Run) -> None:
    path = write_google_csv(tmp_path / "a.csv")
    code, _out, err = kankei("survey", "import", str(path), "--meeting", "0" * 32)
    assert code == 1
    assert "セッション" in err
    code, _out, err = kankei("survey", "import", str(tmp_path / "none.csv"), "--meeting",
                             seeded_file.meeting)
    assert code == 1
    assert "none.csv" in err
    code, _out, err = kankei("survey", "summary", "--meeting", "not-an-id", "--json")
    assert code == 1
    assert "not-an-id" in err


def test_people_are_linked_by_email_or_name(tmp_path: Path, seeded_file: Session,
                                            kankei: Run, db_path: Path) -> None:
    path = write_microsoft_xlsx(tmp_path / "ms.xlsx")
    code, out, err = kankei("survey", "import", str(path), "--meeting", seeded_file.meeting)
    assert code == 0, err
    with sqlite3.connect(db_path) as connection:
        linked = {row[0] for row in connection.execute(
            "SELECT person_id FROM survey_response WHERE person_id IS NOT NULL")}
    people = seeded_file.people
    assert linked == {people[name].hex for name in ("山田", "佐藤", "鈴木")}
    assert "人と結び付いた回答: 3" in out


def test_a_summary_without_a_questionnaire(seeded_file: Session, kankei: Run) -> None:
    result = summary(kankei, seeded_file.meeting)
    assert result == {"responses": 0, "attendees": 0, "response_rate": None, "questions": []}


def test_summary_of_a_club_year_as_text(tmp_path: Path, seeded_file: Session,
                                        kankei: Run) -> None:
    path = write_google_csv(tmp_path / "a.csv")
    assert kankei("survey", "import", str(path), "--meeting", seeded_file.meeting)[0] == 0
    code, out, err = kankei("survey", "summary", "--fy", "2021", "--club",
                            "鷹栖町放課後企業クラブ")
    assert code == 0, err
    assert "回答数: 8、出席者数: 10、回答率: 80.0%" in out
    assert "   5: 3 (42.9%)" in out
    assert "   平均: 4.00" in out
    code, _out, err = kankei("survey", "summary", "--fy", "2021", "--club", "ない")
    assert code == 1
    assert "ない" in err
    code, _out, err = kankei("survey", "summary")
    assert code == 1
    assert "--meeting" in err


def test_a_club_questionnaire_asking_every_column_receives_the_answers(
        tmp_path: Path, db_path: Path, kankei: Run) -> None:
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.services.survey_questions import QuestionDraft
    from kankei_desktop.core.storage.database import open_database

    from .conftest import seed
    from .exports import QUESTIONS

    database = open_database(db_path)
    try:
        services = Services(database)
        seeded = seed(services)
        survey = services.surveys.create_for_club(seeded.club_id, "クラブ共通")
        kinds = ["scale", "multiple", "single", "text"]
        options = [[], ["知人・同僚の紹介", "勤務先からの案内"], ["ぜひ参加したい"], []]
        for text, kind, choices in zip(QUESTIONS, kinds, options, strict=True):
            services.surveys.add_question(survey.id, QuestionDraft(text + "。", kind, choices))
    finally:
        database.close()
    path = write_google_csv(tmp_path / "a.csv")
    code, out, err = kankei("survey", "import", str(path), "--meeting", seeded.meeting)
    assert code == 0, err
    assert "新しい質問: 0" in out
    database = open_database(db_path)
    try:
        services = Services(database)
        [row] = services.surveys.find()
        assert row.id == survey.id
        assert row.responses == 8
        options_now = services.surveys.questions(survey.id)[1].options.split("\n")
        assert options_now[:2] == ["知人・同僚の紹介", "勤務先からの案内"]  # kept first
        assert "SNS（Facebook, X など）" in options_now  # new ones added
    finally:
        database.close()
