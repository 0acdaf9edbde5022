"""Surveys and answers between replicas: bundles carry them (encrypted), the same export
imported on two PCs meets in the same rows, concurrent edits converge."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from kankei_desktop.core.services import Services
from kankei_desktop.imports.surveys.analysis import analyse_survey
from kankei_desktop.imports.surveys.form import read_form
from kankei_desktop.imports.surveys.importer import run_survey_import
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.service import SyncService
from tests.sync.helpers import exchange, full_state, open_replica

from .conftest import Session, seed
from .exports import write_google_csv, write_microsoft_xlsx


def _pair(tmp_path: Path) -> tuple[Services, Services, Session]:
    a = open_replica(tmp_path / "a.sqlite3")
    b = open_replica(tmp_path / "b.sqlite3")
    seeded = seed(a)
    exchange(a, b, tmp_path, name="start.kankei")
    return a, b, seeded


def _import(services: Services, meeting_id: object, path: Path) -> None:
    run_survey_import(services, analyse_survey(services, read_form(path), meeting_id))


def test_answers_travel_both_ways_and_results_agree(tmp_path: Path) -> None:
    a, b, seeded = _pair(tmp_path)
    try:
        _import(a, seeded.meeting_id, write_google_csv(tmp_path / "g.csv"))
        club_survey = b.surveys.create_for_club(seeded.club_id, "紙のアンケート",
                                                templates=("satisfaction", "intention"))
        questions = b.surveys.questions(club_survey.id)
        other = seed(b)  # another session of the same club, answered on paper on B
        for sheet, point in enumerate((5, 4, 4), start=1):
            b.surveys.save_response(club_survey.id, other.meeting_id,
                                    {questions[0].id: str(point),
                                     questions[1].id: "ぜひ参加したい"}, sheet=sheet)
        exchange(a, b, tmp_path, name="a-to-b.kankei")
        exchange(b, a, tmp_path, name="b-to-a.kankei")
        exchange(a, b, tmp_path, name="a-to-b-2.kankei")
        assert dump_text(a) == dump_text(b)
        for services in (a, b):
            assert services.surveys.meeting_results(seeded.meeting_id).responses == 8
            paper = services.surveys.meeting_results(other.meeting_id)
            assert paper.responses == 3
            assert paper.questions[0].mean == (5 + 4 + 4) / 3
        first = a.surveys.meeting_results(seeded.meeting_id).as_json()
        assert first == b.surveys.meeting_results(seeded.meeting_id).as_json()
    finally:
        a.database.close()
        b.database.close()


def test_answers_are_in_the_encrypted_payload_only(tmp_path: Path) -> None:
    a, b, seeded = _pair(tmp_path)
    try:
        _import(a, seeded.meeting_id, write_google_csv(tmp_path / "g.csv"))
        bundle = tmp_path / "secret.kankei"
        SyncService(a).export(bundle, passphrase="合言葉は山と川と海")
        with zipfile.ZipFile(bundle) as archive:
            manifest = archive.read("manifest.json").decode("utf-8")
            everything = b"".join(archive.read(name) for name in archive.namelist())
        for secret in ("とても勉強になりました", "hanako@example.jp", "ぜひ参加したい",
                       "本日のセッションの満足度"):
            assert secret not in manifest
            assert secret.encode("utf-8") not in everything
        counts = json.loads(manifest)["counts"]
        assert counts["survey_answer"] > 0  # only how many rows travel
        report = SyncService(b).import_(bundle, "合言葉は山と川と海")
        assert report.changes > 0
        assert b.surveys.meeting_results(seeded.meeting_id).responses == 8
    finally:
        a.database.close()
        b.database.close()


def test_the_same_export_imported_on_both_pcs_meets_in_one_set_of_rows(tmp_path: Path
                                                                        ) -> None:
    a, b, seeded = _pair(tmp_path)
    try:
        path = write_microsoft_xlsx(tmp_path / "ms.xlsx")
        _import(a, seeded.meeting_id, path)
        _import(b, seeded.meeting_id, path)
        exchange(a, b, tmp_path, name="1.kankei")
        exchange(b, a, tmp_path, name="2.kankei")
        assert full_state(a) == full_state(b)
        for services in (a, b):
            results = services.surveys.meeting_results(seeded.meeting_id)
            assert results.responses == 8
            assert len(results.questions) == 4
            assert len(services.surveys.find()) == 1
    finally:
        a.database.close()
        b.database.close()


def test_concurrent_edits_of_a_questionnaire_converge(tmp_path: Path) -> None:
    a, b, seeded = _pair(tmp_path)
    try:
        survey = a.surveys.create_for_meeting(seeded.meeting_id, templates=("satisfaction",
                                                                          "impressions"))
        exchange(a, b, tmp_path, name="1.kankei")
        question = a.surveys.questions(survey.id)[0]
        from kankei_desktop.core.services.survey_questions import QuestionDraft

        draft = QuestionDraft.of(question)
        draft.text = "満足度（A で修正）"
        a.surveys.update_question(question.id, draft)
        draft.text = "満足度（B で修正）"
        b.surveys.update_question(question.id, draft)
        text = b.surveys.questions(survey.id)[1]
        answer = b.surveys.save_response(survey.id, seeded.meeting_id,
                                         {text.id: "よかった"}, sheet=1)
        results = b.surveys.meeting_results(seeded.meeting_id)
        b.surveys.set_featured(results.questions[1].texts[0].answer_id, True)
        a.surveys.rename(survey.id, "第3回アンケート", "")
        exchange(a, b, tmp_path, name="2.kankei")
        exchange(b, a, tmp_path, name="3.kankei")
        assert dump_text(a) == dump_text(b)
        texts = {row.text for row in a.surveys.questions(survey.id)}
        assert texts & {"満足度（A で修正）", "満足度（B で修正）"}
        lost = [entry for entry in SyncService(a).conflicts() + SyncService(b).conflicts()
                if entry.table == "survey_question"]
        assert lost  # the losing text is kept in a conflict log
        assert a.surveys.get(survey.id).title == "第3回アンケート"
        featured = a.surveys.meeting_results(seeded.meeting_id).questions[1].texts
        assert [item.featured for item in featured] == [True]
        del answer
    finally:
        a.database.close()
        b.database.close()
