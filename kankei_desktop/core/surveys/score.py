"""The survey score: the mean of a scale question over a period and scope — a figure other
code can use (a KPI 「満足度 4.2」, the dashboard).

Call :func:`survey_score` with a session of the open file::

    from kankei_desktop.core.surveys.score import survey_score
    with services.context.reading() as session:
        score = survey_score(session, question_id, date(2021, 4, 1), date(2022, 3, 31),
                             FigureFilter(club_id=club_id))
    score.mean        # 4.2 (None when nobody answered)
    score.answers     # how many answers the mean is over
    score.as_share()  # the mean on 0…1 of the scale (for targets in %)

``target`` is a question id, a survey id (its first scale question) or a question's text. The
same question in several surveys counts together: every live scale question with the same
text (:func:`~kankei_desktop.core.surveys.values.question_key`: width, kana, case, spaces and
closing punctuation ignored) and the same scale, so a 満足度 question asked at every session
through a club's survey or separately imported forms makes one score. Responses count on
live sessions of live clubs whose date is in the inclusive period and scope
(``FigureFilter``: club, host municipality; its person category does not apply, responses
may be anonymous). ``services.surveys.score(...)`` is the same with its own session.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.figures.drilldown import meeting_scope
from kankei_desktop.core.models import Answer, Club, Meeting, Question, Response, Survey
from kankei_desktop.core.surveys.values import parse_point, question_key, scale_values
from kankei_desktop.core.vocabulary import QuestionKind


@dataclass(frozen=True)
class SurveyScore:
    """The mean of a scale question (None without answers) and what it rests on."""

    mean: float | None
    answers: int
    question_text: str
    scale_min: int
    points: int

    @property
    def scale_max(self) -> int:
        """The highest point of the scale."""
        return self.scale_min + self.points - 1

    def as_share(self) -> float | None:
        """The mean placed on 0 (lowest point) … 1 (highest point)."""
        if self.mean is None:
            return None
        return (self.mean - self.scale_min) / (self.scale_max - self.scale_min)


def scale_question(session: Session, target: uuid.UUID | str) -> Question | None:
    """The live scale question ``target`` names: a question id, a survey id (its first scale
    question) or a question text (search key)."""
    live_scale = (Question.deleted_at.is_(None), Question.kind == QuestionKind.SCALE.value)
    if isinstance(target, uuid.UUID):
        row = session.get(Question, target)
        if row is not None:
            return row if row.deleted_at is None and row.kind == QuestionKind.SCALE else None
        return session.scalars(select(Question).where(
            Question.survey_id == target, *live_scale)
            .order_by(Question.position, Question.id)).first()
    wanted = question_key(target)
    for row in session.scalars(select(Question).where(*live_scale)
                               .order_by(Question.created_at, Question.id)):
        if question_key(row.text) == wanted:
            return row
    return None


def survey_score(session: Session, target: uuid.UUID | str, date_from: date, date_to: date,
                 figure_filter: FigureFilter | None = None) -> SurveyScore | None:
    """The mean of the scale question ``target`` over the period and scope (see the module
    docstring); None when ``target`` names no live scale question."""
    question = scale_question(session, target)
    if question is None:
        return None
    key = question_key(question.text)
    same = [row.id for row in session.scalars(select(Question).where(
        Question.deleted_at.is_(None), Question.kind == QuestionKind.SCALE.value,
        Question.scale_min == question.scale_min, Question.points == question.points))
        if question_key(row.text) == key]
    values = session.scalars(
        select(Answer.value).select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Meeting, Meeting.id == Response.meeting_id)
        .join(Club, Club.id == Meeting.club_id)
        .where(Answer.question_id.in_(same), Answer.deleted_at.is_(None),
               Response.deleted_at.is_(None), Survey.deleted_at.is_(None),
               Meeting.deleted_at.is_(None), Club.deleted_at.is_(None),
               Meeting.date >= date_from, Meeting.date <= date_to,
               *meeting_scope(figure_filter or FigureFilter())))
    points = set(scale_values(question.scale_min, question.points))
    counted = [point for point in map(parse_point, values) if point in points]
    mean = sum(counted) / len(counted) if counted else None
    return SurveyScore(mean, len(counted), question.text, question.scale_min, question.points)
