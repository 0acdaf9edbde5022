"""A survey question as typed in the editor, brought by an import or a template, and the
validation of questions and of the answers of a sheet (issue 19). Texts keep the characters
typed (no NFKC: 「（」 stays full-width on the printed form), see
:mod:`kankei_desktop.core.surveys.values`."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from kankei_desktop.core.errors import NotFoundError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Club, Meeting, Question
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.surveys.templates import Template
from kankei_desktop.core.surveys.values import (
    MAX_POINTS,
    MIN_POINTS,
    clean_option,
    join_options,
    multiline,
    one_line,
    parse_point,
    scale_values,
    split_options,
    stored_value,
)
from kankei_desktop.core.vocabulary import QuestionKind

TEXT_LIMIT = 2000
LABEL_LIMIT = 100
CHOICE_KINDS = (QuestionKind.SINGLE.value, QuestionKind.MULTIPLE.value)


@dataclass
class QuestionDraft:
    """A question's fields (``options`` for choice questions, scale fields for scales)."""

    text: str
    kind: str = QuestionKind.SCALE.value
    options: list[str] = field(default_factory=list)
    scale_min: int = 1
    points: int = 5
    low_label: str = ""
    high_label: str = ""

    @classmethod
    def from_template(cls, item: Template) -> QuestionDraft:
        """A template's question in the current language."""
        return cls(text=_(item.text), kind=item.kind,
                   options=[_(option) for option in item.options], points=item.points,
                   low_label=_(item.low_label) if item.low_label else "",
                   high_label=_(item.high_label) if item.high_label else "")

    @classmethod
    def of(cls, row: Question) -> QuestionDraft:
        """The draft of a stored question."""
        return cls(text=row.text, kind=row.kind, options=split_options(row.options),
                   scale_min=row.scale_min, points=row.points, low_label=row.low_label,
                   high_label=row.high_label)


def clean_question(draft: QuestionDraft) -> dict[str, object]:
    """The column values of a valid question (a :class:`ValidationError` otherwise)."""
    check = Checker()
    text = multiline(draft.text)
    check.required("text", text, _("Question"))
    check.max_length("text", text, TEXT_LIMIT, _("Question"))
    check.choice("kind", draft.kind, QuestionKind, _("Kind of question"))
    options = [clean_option(option) for option in draft.options]
    options = [option for option in options if option]
    if draft.kind in CHOICE_KINDS:
        if not options:
            check.add("options", _("A choice question needs at least one option (one per "
                                   "line)."))
        elif len(set(options)) != len(options):
            check.add("options", _("Two options have the same text; each option must be "
                                   "different."))
    if draft.kind == QuestionKind.SCALE:
        if draft.scale_min not in (0, 1):
            check.add("scale_min", _("A scale starts at 0 or 1."))
        if not MIN_POINTS <= draft.points <= MAX_POINTS:
            check.add("points", _("A scale has from {low} to {high} points.").format(
                low=MIN_POINTS, high=MAX_POINTS))
    low, high = one_line(draft.low_label), one_line(draft.high_label)
    check.max_length("low_label", low, LABEL_LIMIT, _("Label of the lowest point"))
    check.max_length("high_label", high, LABEL_LIMIT, _("Label of the highest point"))
    check.raise_if_any()
    scale = draft.kind == QuestionKind.SCALE
    return {"text": text, "kind": draft.kind,
            "options": join_options(options) if draft.kind in CHOICE_KINDS else "",
            "scale_min": draft.scale_min if scale else 1,
            "points": draft.points if scale else 5,
            "low_label": low if scale else "", "high_label": high if scale else ""}


def meeting_from_text(session: Session, text: str) -> Meeting:
    """The live session (of a live club) whose id is ``text``: a UUID with or without
    dashes, as ``kankei report attendance --meeting`` takes it."""
    try:
        meeting_id = uuid.UUID(text.strip())
    except ValueError:
        raise NotFoundError(_("'{id}' is not a session id; give the id (a UUID such as "
                              "3f2b…) of the session.").format(id=text)) from None
    meeting = session.get(Meeting, meeting_id)
    club = session.get(Club, meeting.club_id) if meeting is not None else None
    if meeting is None or meeting.deleted_at is not None or club is None or \
            club.deleted_at is not None:
        raise NotFoundError(_("There is no session with the id {id} in this file.")
                            .format(id=meeting_id))
    return meeting


def checked_answers(questions: Mapping[uuid.UUID, Question],
                     answers: Mapping[uuid.UUID, str]) -> dict[uuid.UUID, str]:
    """Every question's stored value ("" = unanswered); a :class:`ValidationError` when an
    answer does not fit its question."""
    check = Checker()
    values: dict[uuid.UUID, str] = {}
    for question_id in answers:
        if question_id not in questions:
            raise NotFoundError(_("A question of this sheet no longer exists. Refresh the "
                                  "questionnaire."))
    for question_id, question in questions.items():
        value = stored_value(question.kind, answers.get(question_id, "") or "")
        values[question_id] = value
        if not value:
            continue
        if question.kind == QuestionKind.SCALE:
            point = parse_point(value)
            if point not in scale_values(question.scale_min, question.points):
                check.add(question_id.hex, _("'{value}' is not a point of the scale {low}–"
                                             "{high} ({question}).").format(
                    value=value, low=question.scale_min,
                    high=question.scale_min + question.points - 1, question=question.text))
            else:
                values[question_id] = str(point)
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            options = split_options(question.options)
            unknown = [item for item in value.split("\n") if item not in options]
            if unknown:
                check.add(question_id.hex, _("'{value}' is not an option of '{question}'.")
                          .format(value=unknown[0], question=question.text))
            elif question.kind == QuestionKind.SINGLE and "\n" in value:
                check.add(question_id.hex, _("'{question}' takes one option only.").format(
                    question=question.text))
    check.raise_if_any()
    return values
