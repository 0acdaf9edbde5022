"""The results of surveys: per question the answers, the counts per option (every point of a
scale, every option of a choice question, zeros included), the mean of a scale and the free
texts; the responses, the attendees of the surveyed sessions and the response rate.

One implementation for a session (:func:`meeting_results`), a club over a period and the whole
programme (:func:`period_results`). The same question asked in several surveys (a club's
survey reused by its sessions, or one online form imported for every session) counts as one:
questions are merged by their text (search key), kind and scale.

The response rate is responses ÷ attendees of the sessions that have responses, attendees
counted by the figures' rule (:mod:`kankei_desktop.core.figures.rule`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.figures.drilldown import meeting_scope, rows_per_meeting
from kankei_desktop.core.models import Answer, Club, Meeting, Question, Response, Survey
from kankei_desktop.core.surveys.values import (
    chosen,
    parse_point,
    question_key,
    scale_values,
    split_options,
)
from kankei_desktop.core.vocabulary import QuestionKind

_CHOICE = (QuestionKind.SINGLE.value, QuestionKind.MULTIPLE.value)
GroupKey = tuple[str, str, int, int, int]


@dataclass
class TextAnswer:
    """A free text with what the reports need: whether it is chosen for them."""

    answer_id: uuid.UUID
    text: str
    featured: bool
    meeting_id: uuid.UUID
    meeting_date: date


@dataclass
class QuestionResult:
    """The results of one question (or of the same question in several surveys)."""

    text: str
    kind: str
    scale_min: int = 1
    points: int = 5
    low_label: str = ""
    high_label: str = ""
    answered: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    """Option (or scale point as digits) → responses that chose it, in the question's order."""
    texts: list[TextAnswer] = field(default_factory=list)
    question_ids: list[uuid.UUID] = field(default_factory=list)
    _sum: int = 0

    @property
    def mean(self) -> float | None:
        """The mean point of a scale (None for other kinds or without answers)."""
        if self.kind != QuestionKind.SCALE or not self.answered:
            return None
        return self._sum / self.answered

    @property
    def closed(self) -> bool:
        """A scale or choice question (counted, charted)."""
        return self.kind != QuestionKind.TEXT

    def share(self, option: str) -> float | None:
        """The share of the answered responses that chose ``option`` (None: no answers)."""
        return self.counts.get(option, 0) / self.answered if self.answered else None

    def as_json(self) -> dict[str, Any]:
        """The question as ``kankei survey summary --json`` prints it."""
        data: dict[str, Any] = {"text": self.text, "kind": self.kind, "answered": self.answered,
                                "counts": dict(self.counts) if self.closed else {},
                                "mean": self.mean}
        if self.kind == QuestionKind.TEXT:
            data["texts"] = [item.text for item in self.texts]
        return data

    def _add(self, value: str) -> None:
        if self.kind == QuestionKind.TEXT:
            return
        if self.kind == QuestionKind.SCALE:
            point = parse_point(value)
            if point is None or point not in scale_values(self.scale_min, self.points):
                return  # not a point of this scale: not counted
            self._sum += point
        options = chosen(self.kind, value)
        if not options:
            return
        self.answered += 1
        for option in options:
            self.counts[option] = self.counts.get(option, 0) + 1


@dataclass
class SurveyResults:
    """What the results pages, the reports and the summary show for one scope."""

    questions: list[QuestionResult]
    responses: int = 0
    attendees: int = 0
    """Attendees (counted rows) of the sessions with responses."""
    sessions: int = 0
    """Sessions with at least one response."""

    @property
    def response_rate(self) -> float | None:
        """Responses ÷ attendees (None when nobody counted attended)."""
        return self.responses / self.attendees if self.attendees else None

    def as_json(self) -> dict[str, Any]:
        """``{"responses", "attendees", "response_rate", "questions": [...]}``."""
        return {"responses": self.responses, "attendees": self.attendees,
                "response_rate": self.response_rate,
                "questions": [question.as_json() for question in self.questions]}


def survey_in_use(session: Session, meeting: Meeting) -> Survey | None:
    """A session's survey: its own, else its club's (None when neither exists)."""
    own = session.scalars(select(Survey).where(
        Survey.meeting_id == meeting.id, Survey.deleted_at.is_(None))
        .order_by(Survey.created_at, Survey.id)).first()
    if own is not None:
        return own
    return session.scalars(select(Survey).where(
        Survey.club_id == meeting.club_id, Survey.meeting_id.is_(None),
        Survey.deleted_at.is_(None)).order_by(Survey.created_at, Survey.id)).first()


def meeting_results(session: Session, meeting_id: uuid.UUID) -> SurveyResults:
    """The results of one session (its survey's questions even before any response)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return SurveyResults([])
    in_use = survey_in_use(session, meeting)
    results = _collect(session, [Response.meeting_id == meeting_id],
                       [in_use.id] if in_use is not None else [])
    counted = rows_per_meeting(session, meeting.date, meeting.date,
                               FigureFilter(club_id=meeting.club_id))
    results.attendees = counted.get(meeting_id, 0) if results.responses else 0
    return results


def period_results(session: Session, date_from: date, date_to: date,
                   figure_filter: FigureFilter | None = None, *,
                   survey_id: uuid.UUID | None = None) -> SurveyResults:
    """The results of every session in the period and scope (a club, a host municipality,
    the whole programme), or of one survey's responses there (``survey_id``).
    ``figure_filter.category`` does not apply: responses may be anonymous."""
    scope = figure_filter or FigureFilter()
    conditions = [Meeting.date >= date_from, Meeting.date <= date_to, *meeting_scope(scope)]
    if survey_id is not None:
        conditions.append(Response.survey_id == survey_id)
    results = _collect(session, conditions, [survey_id] if survey_id is not None else [])
    if results.responses:
        counted = rows_per_meeting(session, date_from, date_to, scope)
        results.attendees = sum(counted.get(meeting_id, 0) for meeting_id in
                                _surveyed_meetings(session, conditions))
    return results


def _live(*conditions: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    return [Response.deleted_at.is_(None), Meeting.deleted_at.is_(None),
            Club.deleted_at.is_(None), Survey.deleted_at.is_(None), *conditions]


def _joined(query: Any) -> Any:
    return (query.join(Meeting, Meeting.id == Response.meeting_id)
            .join(Club, Club.id == Meeting.club_id)
            .join(Survey, Survey.id == Response.survey_id))


def _surveyed_meetings(session: Session, conditions: Sequence[ColumnElement[bool]]
                       ) -> set[uuid.UUID]:
    return set(session.scalars(_joined(select(Response.meeting_id).select_from(Response))
                               .where(*_live(*conditions)).distinct()))


def _collect(session: Session, conditions: Sequence[ColumnElement[bool]],
             first: list[uuid.UUID]) -> SurveyResults:
    responses = session.execute(_joined(
        select(Response.survey_id, Response.meeting_id).select_from(Response))
        .where(*_live(*conditions))).all()
    surveys = list(first) + sorted({row.survey_id for row in responses} - set(first),
                                   key=lambda survey_id: survey_id.hex)
    groups, by_question = _groups(session, surveys)
    results = SurveyResults(list(groups.values()), responses=len(responses),
                            sessions=len({row.meeting_id for row in responses}))
    if not responses:
        return results
    rows = session.execute(_joined(
        select(Answer.id, Answer.question_id, Answer.value, Answer.featured,
               Response.meeting_id, Meeting.date).select_from(Answer)
        .join(Response, Response.id == Answer.response_id))
        .where(*_live(Answer.deleted_at.is_(None), *conditions))
        .order_by(Meeting.date, Response.submitted_at, Response.sheet, Response.id))
    for answer_id, question_id, value, featured, meeting_id, day in rows:
        result = by_question.get(question_id)
        if result is None or not value:
            continue
        if result.kind == QuestionKind.TEXT:
            if value.strip():
                result.answered += 1
                result.texts.append(TextAnswer(answer_id, value, bool(featured), meeting_id,
                                               day))
        else:
            result._add(value)
    return results


def _groups(session: Session, surveys: list[uuid.UUID]
            ) -> tuple[dict[GroupKey, QuestionResult], dict[uuid.UUID, QuestionResult]]:
    """Questions of ``surveys`` (in that order, by position) merged by text, kind, scale."""
    if not surveys:
        return {}, {}
    order = {survey_id: index for index, survey_id in enumerate(surveys)}
    questions = sorted(session.scalars(select(Question).where(
        Question.survey_id.in_(surveys), Question.deleted_at.is_(None))),
        key=lambda row: (order[row.survey_id], row.position, row.created_at, row.id.hex))
    groups: dict[GroupKey, QuestionResult] = {}
    by_question: dict[uuid.UUID, QuestionResult] = {}
    seen: dict[tuple[uuid.UUID, GroupKey], int] = {}
    for row in questions:
        scale = row.kind == QuestionKind.SCALE
        base: GroupKey = (question_key(row.text), row.kind, row.scale_min if scale else 0,
                          row.points if scale else 0, 0)
        occurrence = seen.get((row.survey_id, base), 0)
        seen[(row.survey_id, base)] = occurrence + 1
        key: GroupKey = (*base[:4], occurrence)
        result = groups.get(key)
        if result is None:
            result = groups[key] = QuestionResult(
                text=row.text, kind=row.kind, scale_min=row.scale_min, points=row.points,
                low_label=row.low_label, high_label=row.high_label,
                counts=_empty_counts(row))
        else:
            for option in _options(row):
                result.counts.setdefault(option, 0)
        result.question_ids.append(row.id)
        by_question[row.id] = result
    return groups, by_question


def _options(row: Question) -> Iterable[str]:
    if row.kind == QuestionKind.SCALE:
        return [str(point) for point in scale_values(row.scale_min, row.points)]
    if row.kind in _CHOICE:
        return split_options(row.options)
    return []


def _empty_counts(row: Question) -> dict[str, int]:
    return dict.fromkeys(_options(row), 0)
