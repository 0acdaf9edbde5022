"""Analysing a form's export against a session: which survey receives it, which question
each column is (an existing one, matched by its text, or a new one), each column's kind, and
every row checked — nothing written here, so the window can show the preview and the CLI a
dry run from the same result."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Meeting, Question, Survey
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.context import live
from kankei_desktop.core.surveys.values import (
    join_options,
    multiline,
    one_line,
    parse_point,
    question_key,
    split_options,
)
from kankei_desktop.core.vocabulary import QuestionKind
from kankei_desktop.core.writes.natural_ids import club_survey_uuid, meeting_survey_uuid
from kankei_desktop.imports.reading import Cell
from kankei_desktop.imports.rows import ImportIssue
from kankei_desktop.imports.surveys.form import (
    FormColumn,
    FormSheet,
    cell_text,
    parse_timestamp,
    person_text,
    row_key,
)
from kankei_desktop.imports.surveys.infer import ColumnKind, infer_kind, kind_as, split_answer
from kankei_desktop.imports.surveys.people import PersonMatcher

#: The longest free text kept (a longer cell is a row error: probably not an answer).
TEXT_LIMIT = 20000
_CHOICE = (QuestionKind.SINGLE.value, QuestionKind.MULTIPLE.value)


class KindOverrideError(KankeiError):
    """A ``--kind N=KIND`` that names no question or no kind."""


@dataclass
class QuestionPlan:
    """One question column: what it becomes and how its answers are read."""

    column: FormColumn
    kind: str
    inferred: str
    """The kind the answers suggest (shown beside the one used)."""
    options: list[str]
    scale_min: int
    points: int
    question_id: uuid.UUID | None
    """The survey's question this column fills (None: the import adds it)."""

    @property
    def key(self) -> str:
        """The header's search key (matches a question's text)."""
        return question_key(self.column.header)

    @property
    def scale_max(self) -> int:
        return self.scale_min + self.points - 1


@dataclass
class ParsedResponse:
    """One valid row: its natural key, time, person and answers (question number → value)."""

    row: int
    key: str
    submitted_at: datetime | None
    person_id: uuid.UUID | None
    values: dict[int, str]


@dataclass
class SurveyAnalysis:
    """A form's export read and checked for one session."""

    form: FormSheet
    meeting_id: uuid.UUID
    club_id: uuid.UUID
    meeting_title: str
    meeting_date: date
    survey_id: uuid.UUID
    survey_live: bool
    """The survey exists already (else the import creates or brings back the session's own)."""
    questions: list[QuestionPlan]
    responses: list[ParsedResponse] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    rejected: list[tuple[int, list[Cell], list[ImportIssue]]] = field(default_factory=list)

    @property
    def linked(self) -> int:
        """Responses matched to a person."""
        return sum(1 for response in self.responses if response.person_id is not None)


def parse_kinds(texts: list[str] | None, count: int) -> dict[int, str]:
    """``["3=text", …]`` → ``{3: "text"}``; a :class:`KindOverrideError` with a sentence for
    a number beyond the questions or an unknown kind."""
    kinds: dict[int, str] = {}
    allowed = [kind.value for kind in QuestionKind]
    for text in texts or []:
        number, _sep, kind = text.partition("=")
        kind = kind.strip().lower()
        if not number.strip().isdigit() or kind not in allowed:
            raise KindOverrideError(_(
                "'--kind {text}' is not understood: write the question's number (1 = the "
                "first question) and one of {kinds}, e.g. --kind 3=text.").format(
                text=text, kinds="|".join(allowed)))
        if not 1 <= int(number) <= count:
            raise KindOverrideError(_(
                "'--kind {text}': the file has {count} questions, numbered 1 to {count}."
            ).format(text=text, count=count))
        kinds[int(number)] = kind
    return kinds


def analyse_survey(services: Services, form: FormSheet, meeting_id: uuid.UUID,
                   kinds: Mapping[int, str] | None = None) -> SurveyAnalysis:
    """Read ``form`` as the responses of the session ``meeting_id`` (``kinds``: the user's
    corrections, question number → kind)."""
    with services.context.reading() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None or meeting.deleted_at is not None:
            raise KankeiError(_("There is no session with the id {id} in this file.").format(
                id=meeting_id))
        survey_id, survey_live, matched = _target(session, meeting, form.questions)
        plans = [_plan(form, column, matched.get(column.number),
                       (kinds or {}).get(column.number)) for column in form.questions]
        analysis = SurveyAnalysis(form, meeting.id, meeting.club_id, meeting.title,
                                  meeting.date, survey_id, survey_live, plans)
        _read_rows(analysis, PersonMatcher(session, meeting.id))
    return analysis


def _column_keys(columns: list[FormColumn]) -> dict[tuple[str, int], int]:
    """(header search key, occurrence) → question number."""
    seen: dict[str, int] = {}
    keys = {}
    for column in columns:
        key = question_key(column.header)
        seen[key] = seen.get(key, 0) + 1
        keys[(key, seen[key])] = column.number
    return keys


def question_keys(questions: list[Question]) -> dict[tuple[str, int], Question]:
    """(text search key, occurrence) → question, for matching columns to questions."""
    seen: dict[str, int] = {}
    keys = {}
    for question in questions:
        key = question_key(question.text)
        seen[key] = seen.get(key, 0) + 1
        keys[(key, seen[key])] = question
    return keys


def _match(session: Session, survey_id: uuid.UUID, columns: list[FormColumn]
           ) -> dict[int, Question]:
    questions = list(session.scalars(select(Question).where(
        Question.survey_id == survey_id, live(Question))
        .order_by(Question.position, Question.created_at, Question.id)))
    by_key = question_keys(questions)
    return {number: by_key[key] for key, number in _column_keys(columns).items()
            if key in by_key}


def _target(session: Session, meeting: Meeting, columns: list[FormColumn]
            ) -> tuple[uuid.UUID, bool, dict[int, Question]]:
    """The session's own survey when it has one; else the club's when it asks every
    question of the file; else the session's own, made (or brought back) by the import."""
    own_id = meeting_survey_uuid(meeting.id)
    own = session.get(Survey, own_id)
    if own is not None and own.deleted_at is None:
        return own_id, True, _match(session, own_id, columns)
    club = session.get(Survey, club_survey_uuid(meeting.club_id))
    if club is not None and club.deleted_at is None:
        matched = _match(session, club.id, columns)
        if len(matched) == len(columns):
            return club.id, True, matched
    return own_id, False, _match(session, own_id, columns) if own is not None else {}


def _plan(form: FormSheet, column: FormColumn, existing: Question | None,
          wanted: str | None) -> QuestionPlan:
    cells = [form.cell(cells, column.index) for _number, cells in form.rows]
    known = split_options(existing.options) if existing is not None and \
        existing.kind in _CHOICE else []
    inferred = infer_kind(cells, form.separator, known)
    kind = wanted or (existing.kind if existing is not None else inferred.kind)
    shape: ColumnKind = inferred if kind == inferred.kind else kind_as(
        kind, cells, form.separator, known)
    scale_min, points = shape.scale_min, shape.points
    if existing is not None and existing.kind == kind == QuestionKind.SCALE:
        scale_min, points = existing.scale_min, existing.points
    return QuestionPlan(column, kind, inferred.kind, list(shape.options), scale_min, points,
                        existing.id if existing is not None else None)


def _read_rows(analysis: SurveyAnalysis, people: PersonMatcher) -> None:
    form = analysis.form
    seen: dict[str, int] = {}
    for number, cells in form.rows:
        issues: list[ImportIssue] = []
        values: dict[int, str] = {}
        for plan in analysis.questions:
            raw = form.cell(cells, plan.column.index)
            value, reason = _value(plan, raw, form.separator)
            if reason:
                issues.append(ImportIssue(number, plan.column.header, reason))
            values[plan.column.number] = value
        key = row_key(form, cells, seen)
        if issues:
            analysis.issues.extend(issues)
            analysis.rejected.append((number, cells, issues))
            continue
        person = people.match(person_text(form.cell(cells, form.email)),
                              person_text(form.cell(cells, form.name)))
        analysis.responses.append(ParsedResponse(
            number, key, parse_timestamp(form.cell(cells, form.timestamp)), person, values))


def _value(plan: QuestionPlan, raw: Cell, separator: str) -> tuple[str, str]:
    """(stored value, "") or ("", the reason the cell cannot be read as the question)."""
    text = cell_text(raw)
    if not text:
        return "", ""
    if plan.kind == QuestionKind.SCALE:
        point = parse_point(raw)
        if point is None or not plan.scale_min <= point <= plan.scale_max:
            return "", _("'{value}' is not a point of the scale {low}–{high}; correct the "
                         "cell or import this column as another kind (--kind {number}=single)."
                         ).format(value=text, low=plan.scale_min, high=plan.scale_max,
                                  number=plan.column.number)
        return str(point), ""
    if plan.kind == QuestionKind.SINGLE:
        return one_line(text), ""
    if plan.kind == QuestionKind.MULTIPLE:
        return join_options(split_answer(text, separator, set(plan.options))), ""
    if len(text) > TEXT_LIMIT:
        return "", _("the answer is longer than {limit} characters").format(limit=TEXT_LIMIT)
    return multiline(text), ""
