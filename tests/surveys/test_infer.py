"""Reading a form's export: the columns found, the kinds guessed, multiple answers split."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.imports.surveys.analysis import analyse_survey
from kankei_desktop.imports.surveys.form import parse_timestamp, read_form
from kankei_desktop.imports.surveys.importer import run_survey_import
from kankei_desktop.imports.surveys.infer import infer_kind, split_answer

from .conftest import Session


@pytest.mark.parametrize(("cells", "kind"), [
    ([5, 4, 5, 3, None, 4], "scale"),
    (["5", "４", " 3 ", "5.0"], "scale"),
    ([0, 7, 10, 9, 8], "scale"),
    (["A, B", "A", "B, C", "A, C", "C"], "multiple"),
    (["知人の紹介;SNS;", "SNS;", "チラシ;"], "multiple"),  # Microsoft: a trailing ";"
    (["ぜひ参加したい", "機会があれば参加したい", "わからない", "ぜひ参加したい"], "single"),
    (["会社員", "公務員", "会社員", "学生", "会社員"], "single"),
    (["はい", "いいえ", "はい"], "single"),
    (["とても勉強になりました。", "また参加したい", "", None, "特になし"], "text"),
    (["一行目\n二行目", "短い"], "text"),
    (["鷹栖町", "旭川市", "札幌市", "東京都港区", "横浜市"], "text"),  # mostly distinct
    (["Zoomの使い方が分かって良かった, 次回も参加します", "楽しかった"], "text"),
    (["講師の話が分かりやすかった", "他の自治体の事例を知りたい", "懇親会も楽しかった"], "text"),
    (["ぜひ参加したい", "機会があれば参加したい", "参加したいと思わない"], "single"),
    ([], "text"),
    ([12, 35, 48], "single"),  # numbers, but not a scale
])
def test_common_shapes_are_recognised(cells: list[object], kind: str) -> None:
    assert infer_kind(cells, ", " if "知人の紹介;SNS;" not in cells else ";").kind == kind


def test_scales_take_the_smallest_usual_range() -> None:
    assert (infer_kind([3, 4, 5], ", ").scale_min, infer_kind([3, 4, 5], ", ").points) == (1, 5)
    assert infer_kind([2, 6], ", ").points == 7
    assert infer_kind([1, 8, 10], ", ").points == 10
    nps = infer_kind([0, 9, 10], ", ")
    assert (nps.scale_min, nps.points) == (0, 11)


def test_options_with_the_separator_stay_whole() -> None:
    assert split_answer("知人の紹介, SNS（Facebook, X など）", ", ") == [
        "知人の紹介", "SNS（Facebook, X など）"]
    assert split_answer('"Zoom, Teams", 対面', ", ") == ['"Zoom, Teams"', "対面"]
    assert split_answer("「A, B」, C", ", ") == ["「A, B」", "C"]
    assert split_answer("Zoom, Teams, 対面", ", ", {"Zoom, Teams"}) == ["Zoom, Teams", "対面"]
    assert split_answer("A;B;", ";") == ["A", "B"]
    assert split_answer("A（B, C", ", ") == ["A（B", "C"]  # unbalanced: cut everywhere
    # chosen alone by several respondents and never apart: one option
    column = infer_kind(["Zoom, Teams", "Zoom, Teams", "Zoom, Teams, 対面", "対面"], ", ")
    assert column.kind == "multiple"
    assert column.options == ("Zoom, Teams", "対面")


@pytest.mark.parametrize(("cell", "expected"), [
    ("2021/12/16 15:02:11", datetime(2021, 12, 16, 15, 2, 11)),
    ("2021/12/16 15:02", datetime(2021, 12, 16, 15, 2)),
    ("12/16/2021 15:02:11", datetime(2021, 12, 16, 15, 2, 11)),
    ("2021/12/16 15:02:11 GMT+9", datetime(2021, 12, 16, 15, 2, 11)),
    ("2021/12/16 午後 3:02:11", datetime(2021, 12, 16, 15, 2, 11)),
    (datetime(2021, 12, 16, 15, 2, 11), datetime(2021, 12, 16, 15, 2, 11)),
    (date(2021, 12, 16), datetime(2021, 12, 16)),
    (44546.6264, datetime(2021, 12, 16, 15, 2, 0, 960000)),
    ("いつか", None),
    (None, None),
])
def test_timestamps(cell: object, expected: datetime | None) -> None:
    assert parse_timestamp(cell) == expected


def _csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_identity_and_service_columns_are_not_questions(tmp_path: Path) -> None:
    google = read_form(_csv(tmp_path / "g.csv", [
        ["タイムスタンプ", "お名前（フルネーム）", "満足度", "メールアドレス", "感想"],
        ["2021/12/16 15:02:11", "山田 花子", "5", "a@example.jp", "良かった"]]))
    assert google.source == "google"
    assert (google.timestamp, google.name, google.email) == (0, 1, 3)
    assert [(column.number, column.header) for column in google.questions] == [
        (1, "満足度"), (2, "感想")]
    quiz = read_form(_csv(tmp_path / "q.csv", [
        ["ID", "Start time", "Completion time", "Email", "Name", "Total points",
         "Quiz feedback", "Q1", "Points - Q1", "Feedback - Q1"],
        ["1", "12/16/2021 15:00:00", "12/16/2021 15:02:11", "anonymous", "anonymous", "3", "",
         "B", "1", ""]]))
    assert quiz.source == "microsoft"
    assert quiz.separator == ";"
    assert [column.header for column in quiz.questions] == ["Q1"]
    plain = read_form(_csv(tmp_path / "p.csv", [["送信日時", "Q"], ["2021-12-16 15:02", "x"]]))
    assert plain.source == "form"
    assert plain.timestamp == 0


def test_a_file_without_questions_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(KankeiError, match="質問の列がありません"):
        read_form(_csv(tmp_path / "x.csv", [["タイムスタンプ", "メールアドレス"],
                                            ["2021/12/16 15:02:11", "a@example.jp"]]))
    with pytest.raises(KankeiError, match="空"):
        read_form(_csv(tmp_path / "e.csv", []))


cell = st.one_of(st.none(), st.booleans(), st.integers(-50, 50),
                 st.floats(allow_nan=True, allow_infinity=True),
                 st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
                 st.sampled_from(["A, B", "A;B;", "「A, B」, C", "5", "\n", ", ", ";", "\"",
                                  "（", "）"]),
                 st.datetimes(min_value=datetime(1990, 1, 1)), st.times(),
                 st.dates(min_value=date(1990, 1, 1)))


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(cell, max_size=15), separator=st.sampled_from([", ", ";"]))
def test_inference_never_fails(cells: list[object], separator: str) -> None:
    column = infer_kind(cells, separator)
    assert column.kind in ("scale", "single", "multiple", "text")
    assert all(option and "\n" not in option for option in column.options)
    assert len(set(column.options)) == len(column.options)
    if column.kind == "scale":
        assert column.scale_min in (0, 1)
        assert 2 <= column.points <= 11 or column.points == 5
    for value in cells:
        if isinstance(value, str):
            assert all(piece for piece in split_answer(value, separator))


texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=20)


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(header=st.lists(texts, min_size=1, max_size=5),
       rows=st.lists(st.lists(texts, max_size=6), max_size=6))
def test_any_csv_is_imported_or_refused_with_a_sentence(tmp_path_factory: pytest.TempPathFactory,
                                                         seeded: Session, header: list[str],
                                                         rows: list[list[str]]) -> None:
    path = _csv(tmp_path_factory.mktemp("any") / "any.csv", [header, *rows])
    refusal = ""
    try:
        form = read_form(path)
        analysis = analyse_survey(seeded.services, form, seeded.meeting_id)
        summary = run_survey_import(seeded.services, analysis, dry_run=True)
    except KankeiError as exc:
        refusal = exc.message
    if refusal:
        assert "Traceback" not in refusal
        return
    assert summary.new + summary.known == len(analysis.responses)
