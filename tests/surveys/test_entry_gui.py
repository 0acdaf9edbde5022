"""Typing paper sheets back in the keyboard grid (pytest-qt, key events only)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from kankei_desktop.core.surveys.templates import STANDARD_SET
from kankei_desktop.ui.pages.surveys.entry import PaperEntry

from .conftest import Session

pytestmark = pytest.mark.gui


@pytest.fixture
def entry(qtbot: Any, seeded: Session) -> PaperEntry:
    surveys = seeded.services.surveys
    survey = surveys.create_for_meeting(seeded.meeting_id, templates=STANDARD_SET)
    widget = PaperEntry(seeded.services)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    widget.show_survey(survey.id, [(seeded.meeting_id, "2021-12-16 第3回")])
    widget.start()
    return widget


def _type(qtbot: Any, entry: PaperEntry, keys: str) -> None:
    """Key presses and releases as a keyboard (an IME, for kana) sends them."""
    for key in keys:
        target = QApplication.focusWidget() or entry.grid
        if key.isascii():
            qtbot.keyClick(target, key)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, key))


def _enter(qtbot: Any, entry: PaperEntry) -> None:
    qtbot.keyClick(QApplication.focusWidget() or entry.grid, Qt.Key.Key_Return)


def test_forty_sheets_typed_with_the_keyboard(qtbot: Any, entry: PaperEntry,
                                              seeded: Session) -> None:
    """Per sheet: the scale's point, two options ticked, → , one option, a text, Enter."""
    for sheet in range(40):
        point = sheet % 5 + 1
        _type(qtbot, entry, str(point))           # scale: moves on by itself
        _type(qtbot, entry, "13")                 # multiple: tick options 1 and 3
        if sheet % 4 == 0:
            _type(qtbot, entry, "3")              # ... and untick 3 again
        qtbot.keyClick(entry.grid, Qt.Key.Key_Right)
        _type(qtbot, entry, str(sheet % 2 + 1))   # single: moves on
        if sheet % 10 == 0:
            _type(qtbot, entry, "よかった")       # free text opens an editor
        _enter(qtbot, entry)                      # saves and starts the next sheet
    assert entry.model.saved_sheets == 40
    assert entry.status.text() == "このセッションの回答票は 40 枚保存されています。"
    results = seeded.services.surveys.meeting_results(seeded.meeting_id)
    assert results.responses == 40
    scale, motive, intention, text = results.questions
    assert scale.counts == {"1": 8, "2": 8, "3": 8, "4": 8, "5": 8}
    assert scale.mean == 3
    assert motive.counts["知人・同僚の紹介"] == 40
    assert motive.counts["SNS"] == 30
    assert motive.counts["勤務先からの案内"] == 0
    assert intention.counts == {"ぜひ参加したい": 20, "機会があれば参加したい": 20,
                                "わからない": 0, "参加したいと思わない": 0}
    assert [item.text for item in text.texts] == ["よかった"] * 4
    rows = seeded.services.surveys.responses(entry.survey_id, seeded.meeting_id)  # type: ignore[arg-type]
    assert [row.sheet for row in rows] == list(range(1, 41))


def test_corrections_delete_and_a_point_beyond_the_scale(qtbot: Any, entry: PaperEntry,
                                                        seeded: Session) -> None:
    _type(qtbot, entry, "9")  # not a point of 1–5: nothing happens
    assert entry.grid.currentIndex().column() == 0
    _type(qtbot, entry, "4")
    assert entry.grid.currentIndex().column() == 1
    qtbot.keyClick(entry.grid, Qt.Key.Key_Left)
    qtbot.keyClick(entry.grid, Qt.Key.Key_Delete)
    _type(qtbot, entry, "2")
    _enter(qtbot, entry)
    [row] = seeded.services.surveys.responses(entry.survey_id, seeded.meeting_id)  # type: ignore[arg-type]
    assert list(row.answers.values()) == ["2"]
    # back to sheet 1, change it: the same response is updated, not a second one added
    qtbot.keyClick(entry.grid, Qt.Key.Key_Up)
    _type(qtbot, entry, "5")
    qtbot.keyClick(entry.grid, Qt.Key.Key_Down)
    [row] = seeded.services.surveys.responses(entry.survey_id, seeded.meeting_id)  # type: ignore[arg-type]
    assert list(row.answers.values()) == ["5"]
    assert row.sheet == 1


def test_a_ten_point_scale_takes_two_digits(qtbot: Any, seeded: Session) -> None:
    from kankei_desktop.core.services.survey_questions import QuestionDraft

    surveys = seeded.services.surveys
    survey = surveys.create_for_meeting(seeded.meeting_id)
    surveys.add_question(survey.id, QuestionDraft("推奨度", "scale", scale_min=0, points=11))
    surveys.add_question(survey.id, QuestionDraft("満足度", "scale"))
    widget = PaperEntry(seeded.services)
    qtbot.addWidget(widget)
    widget.show()
    widget.show_survey(survey.id, [(seeded.meeting_id, "第3回")])
    widget.start()
    _type(qtbot, widget, "10")   # 1 could become 10: waits; 0 completes it
    assert widget.grid.currentIndex().column() == 1
    _type(qtbot, widget, "3")
    _enter(qtbot, widget)
    qtbot.keyClick(widget.grid, Qt.Key.Key_Home)
    _type(qtbot, widget, "1")
    qtbot.keyClick(widget.grid, Qt.Key.Key_Right)  # 1 stays 1
    _enter(qtbot, widget)
    rows = surveys.responses(survey.id, seeded.meeting_id)
    assert [sorted(row.answers.values()) for row in rows] == [["10", "3"], ["1"]]
