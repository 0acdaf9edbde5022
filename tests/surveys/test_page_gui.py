"""The アンケート page: a questionnaire from the templates, its questions edited, an online
form imported with a corrected kind, results with chosen free texts, the blank form saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kankei_desktop.core.vocabulary import QuestionKind
from kankei_desktop.ui.pages.surveys.import_dialog import SurveyImportDialog
from kankei_desktop.ui.pages.surveys.new_dialog import NewSurveyDialog
from kankei_desktop.ui.pages.surveys.page import SurveysPage
from tests.reports.helpers import pdf_text

from .conftest import Session
from .exports import Q_MULTI, Q_SINGLE, write_google_csv, write_microsoft_xlsx

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: Any, seeded: Session) -> SurveysPage:
    widget = SurveysPage(seeded.services)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def test_a_new_questionnaire_from_the_templates_in_one_dialog(qtbot: Any, page: SurveysPage,
                                                              seeded: Session) -> None:
    assert page.stack.currentWidget() is page.empty
    sessions = [(seeded.meeting_id, "2021-12-16 第3回")]
    dialog = NewSurveyDialog(seeded.services, sessions, [(seeded.club_id, "鷹栖")], page)
    qtbot.addWidget(dialog)
    dialog.templates["motive"].setChecked(False)
    dialog.title.setText("第3回 参加者アンケート")
    assert dialog.create_survey()
    assert dialog.created is not None
    page.refresh()
    page.select(dialog.created.id)
    assert page.stack.currentWidget() is not page.empty
    editor = page.editor
    assert editor.list.count() == 3
    assert editor.title.text() == "第3回 参加者アンケート"
    editor.list.setCurrentRow(1)
    assert editor.kind.code() == QuestionKind.SINGLE
    editor.text.setPlainText("また参加したいですか（任意）")
    editor.options.setPlainText("はい\nいいえ\nはい")
    assert not editor.save()
    assert "同じ文" in editor.form.error_text("options")
    editor.options.setPlainText("はい\nいいえ")
    assert editor.save()
    questions = seeded.services.surveys.questions(dialog.created.id)
    assert questions[1].text == "また参加したいですか（任意）"
    assert questions[1].options == "はい\nいいえ"
    editor.add_template("motive")
    assert editor.list.count() == 4
    editor.list.setCurrentRow(3)
    editor.up.click()
    assert seeded.services.surveys.questions(dialog.created.id)[2].kind == "multiple"
    # a second questionnaire for the same session is refused with a sentence
    again = NewSurveyDialog(seeded.services, sessions, [], page)
    qtbot.addWidget(again)
    assert not again.create_survey()
    assert "すでにアンケートがあります" in again.form.general_error.text()


def test_import_with_the_preview_and_a_corrected_kind(qtbot: Any, page: SurveysPage,
                                                      seeded: Session, tmp_path: Path) -> None:
    dialog = SurveyImportDialog(seeded.services, [(seeded.meeting_id, "第3回")],
                                seeded.meeting_id, page)
    qtbot.addWidget(dialog)
    assert dialog.load(write_google_csv(tmp_path / "g.csv"))
    assert [dialog.table.item(row, 2).text() for row in range(4)] == [
        "尺度 1–5", "複数選択", "単一選択", "自由記述"]
    assert dialog.combo(3).code() == "single"
    assert "8 件の回答を取り込めます" in dialog.info.text()
    dialog.combo(3).set_code("scale")  # wrong: every row stops fitting
    assert not dialog.import_button.isEnabled()
    assert not dialog.issues.isHidden()
    assert "2行目" in dialog.issues.toPlainText()
    dialog.combo(3).set_code("text")
    assert dialog.import_button.isEnabled()
    summary = dialog.run_import()
    assert summary is not None
    assert summary.new == 8
    assert dialog.changed
    results = seeded.services.surveys.meeting_results(seeded.meeting_id)
    assert [question.kind for question in results.questions] == [
        "scale", "multiple", "text", "text"]
    page.refresh()
    page.tabs.setCurrentWidget(page.results_tab)
    boxes = page.results.boxes
    assert [box.question.text for box in boxes][1:3] == [Q_MULTI, Q_SINGLE]
    assert "回答数: 8" in page.results.summary.text()
    assert "回答率: 80.0%" in page.results.summary.text()
    texts = boxes[3].texts
    texts.item(0).setCheckState(Qt.CheckState.Checked)
    featured = seeded.services.surveys.meeting_results(seeded.meeting_id).questions[3].texts
    assert [item.featured for item in featured][:2] == [True, False]
    page.results.scope.setCurrentIndex(1)  # the club's fiscal year
    assert page.results.fiscal_year.fiscal_year == 2021
    assert len(page.results.boxes) == 4


def test_an_unreadable_file_is_a_sentence(qtbot: Any, seeded: Session, tmp_path: Path) -> None:
    dialog = SurveyImportDialog(seeded.services, [(seeded.meeting_id, "第3回")])
    qtbot.addWidget(dialog)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert not dialog.load(bad)
    assert "bad.xlsx" in dialog.info.text()
    assert not dialog.import_button.isEnabled()


def test_print_and_delete(qtbot: Any, page: SurveysPage, seeded: Session, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = SurveyImportDialog(seeded.services, [(seeded.meeting_id, "第3回")],
                                seeded.meeting_id, page)
    qtbot.addWidget(dialog)
    assert dialog.load(write_microsoft_xlsx(tmp_path / "ms.xlsx"))
    assert dialog.run_import() is not None
    page.refresh()
    assert page.list.topLevelItem(0).text(3) == "8"
    target = tmp_path / "form.pdf"
    assert page.save_form(seeded.meeting_id, target)
    assert "問2参加のきっかけを教えてください" in pdf_text(target.read_bytes())
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_args, **_kwargs: QMessageBox.StandardButton.Yes)
    page.delete_survey()
    assert page.stack.currentWidget() is page.empty
    assert seeded.services.surveys.find() == []
