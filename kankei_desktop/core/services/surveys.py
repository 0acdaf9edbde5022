"""アンケート: questionnaires of sessions and clubs, their questions, paper responses typed
back, the results and the survey score (issue 19).

A session has at most one survey of its own and a club one that its sessions reuse; their ids
derive from the session or the club, so the same questionnaire made on two PCs is one row.
Online forms are imported by :mod:`kankei_desktop.imports.surveys`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Answer, Club, Meeting, Question, Response, Survey
from kankei_desktop.core.services.context import ServiceContext, get_row, live
from kankei_desktop.core.services.survey_questions import (
    QuestionDraft,
    checked_answers,
    clean_question,
    meeting_from_text,
)
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.surveys import results as survey_results
from kankei_desktop.core.surveys.score import SurveyScore, survey_score
from kankei_desktop.core.surveys.templates import template
from kankei_desktop.core.surveys.values import (
    multiline,
    one_line,
)
from kankei_desktop.core.vocabulary import ResponseSource
from kankei_desktop.core.writes.natural_ids import (
    answer_uuid,
    club_survey_uuid,
    meeting_survey_uuid,
)

TITLE_LIMIT = 200
INTRO_LIMIT = 2000


@dataclass(frozen=True)
class SurveyRow:
    """A survey as the list shows it."""

    id: uuid.UUID
    title: str
    club_id: uuid.UUID
    club_name: str
    meeting_id: uuid.UUID | None
    meeting_title: str
    meeting_date: date | None
    questions: int
    responses: int


@dataclass
class ResponseRow:
    """A response with its answers (question id → stored value)."""

    id: uuid.UUID
    sheet: int | None
    person_id: uuid.UUID | None
    submitted_at: datetime | None
    source: str
    answers: dict[uuid.UUID, str] = field(default_factory=dict)


class SurveyService:
    """Use cases for surveys, their questions and responses."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context
        self._writes = context.writes

    # -- surveys -------------------------------------------------------------------------

    def find(self, *, club_id: uuid.UUID | None = None, meeting_id: uuid.UUID | None = None
             ) -> list[SurveyRow]:
        """Live surveys (of a club, its sessions included, or of one session), club surveys
        first, then sessions by date."""
        with self._ctx.reading() as session:
            query = (select(Survey, Club.name, Meeting.title, Meeting.date)
                     .join(Club, Club.id == Survey.club_id)
                     .outerjoin(Meeting, Meeting.id == Survey.meeting_id)
                     .where(live(Survey), live(Club))
                     .order_by(Club.sort_key, Survey.meeting_id.is_not(None), Meeting.date,
                               Survey.id))
            if club_id is not None:
                query = query.where(Survey.club_id == club_id)
            if meeting_id is not None:
                query = query.where(Survey.meeting_id == meeting_id)
            rows = session.execute(query).all()
            ids = [row[0].id for row in rows]
            questions: dict[uuid.UUID, int] = {
                survey_id: count for survey_id, count in session.execute(
                    select(Question.survey_id, func.count()).where(
                        Question.survey_id.in_(ids), live(Question))
                    .group_by(Question.survey_id))} if ids else {}
            responses: dict[uuid.UUID, int] = {
                survey_id: count for survey_id, count in session.execute(
                    select(Response.survey_id, func.count()).where(
                        Response.survey_id.in_(ids), live(Response))
                    .group_by(Response.survey_id))} if ids else {}
            return [SurveyRow(survey.id, survey.title, survey.club_id, club_name,
                              survey.meeting_id, meeting_title or "", meeting_date,
                              questions.get(survey.id, 0), responses.get(survey.id, 0))
                    for survey, club_name, meeting_title, meeting_date in rows]

    def get(self, survey_id: uuid.UUID) -> Survey:
        """One live survey."""
        with self._ctx.reading() as session:
            return get_row(session, Survey, survey_id)

    def meeting(self, text: str) -> Meeting:
        """The session whose id is ``text`` (see :func:`meeting_from_text`)."""
        with self._ctx.reading() as session:
            return meeting_from_text(session, text)

    def in_use(self, meeting_id: uuid.UUID) -> Survey | None:
        """The survey a session uses: its own, else its club's."""
        with self._ctx.reading() as session:
            meeting = get_row(session, Meeting, meeting_id)
            return survey_results.survey_in_use(session, meeting)

    def create_for_meeting(self, meeting_id: uuid.UUID, title: str = "", intro: str = "",
                           templates: tuple[str, ...] = ()) -> Survey:
        """The session's own survey (with the questions of ``templates``)."""
        with self._ctx.transaction() as session:
            meeting = get_row(session, Meeting, meeting_id)
            return self.create_in(session, meeting.club_id, meeting.id, title, intro,
                                  templates)

    def create_for_club(self, club_id: uuid.UUID, title: str = "", intro: str = "",
                        templates: tuple[str, ...] = ()) -> Survey:
        """The club's survey, used by every session of the club without one of its own."""
        with self._ctx.transaction() as session:
            get_row(session, Club, club_id)
            return self.create_in(session, club_id, None, title, intro, templates)

    def create_in(self, session: Session, club_id: uuid.UUID, meeting_id: uuid.UUID | None,
                  title: str = "", intro: str = "", templates: tuple[str, ...] = ()) -> Survey:
        """Create (or bring back a deleted) survey inside the caller's transaction."""
        survey_id = (meeting_survey_uuid(meeting_id) if meeting_id is not None
                     else club_survey_uuid(club_id))
        existing = session.get(Survey, survey_id)
        if existing is not None and existing.deleted_at is None:
            raise ValidationError([("survey", _(
                "This session already has a questionnaire; edit it instead.")
                if meeting_id is not None else _(
                "This club already has a questionnaire; edit it instead."))])
        values = self._clean(title or _("Questionnaire"), intro)
        survey = self._writes.put(session, Survey, survey_id, values,
                                  keep={"club_id": club_id, "meeting_id": meeting_id})
        session.flush()
        for key in templates:
            self._add_question(session, survey.id, QuestionDraft.from_template(template(key)))
        return survey

    def rename(self, survey_id: uuid.UUID, title: str, intro: str) -> Survey:
        """Change a survey's title and introduction."""
        values = self._clean(title, intro)
        with self._ctx.transaction() as session:
            row = get_row(session, Survey, survey_id)
            self._writes.change(row, values)
            return row

    def delete(self, survey_id: uuid.UUID) -> None:
        """Tombstone a survey (its questions and responses stay in the file; restorable)."""
        with self._ctx.transaction() as session:
            self._writes.tombstone(get_row(session, Survey, survey_id))

    def restore(self, survey_id: uuid.UUID) -> Survey:
        """Undo a delete."""
        with self._ctx.transaction() as session:
            row = get_row(session, Survey, survey_id, include_deleted=True)
            self._writes.revive(row)
            return row

    @staticmethod
    def _clean(title: str, intro: str) -> dict[str, object]:
        check = Checker()
        title, intro = one_line(title), multiline(intro)
        check.required("title", title, _("Title"))
        check.max_length("title", title, TITLE_LIMIT, _("Title"))
        check.max_length("intro", intro, INTRO_LIMIT, _("Introduction"))
        check.raise_if_any()
        return {"title": title, "intro": intro}

    # -- questions -----------------------------------------------------------------------

    def questions(self, survey_id: uuid.UUID) -> list[Question]:
        """A survey's live questions in order."""
        with self._ctx.reading() as session:
            return questions_of(session, survey_id)

    def add_question(self, survey_id: uuid.UUID, draft: QuestionDraft) -> Question:
        """A new question at the end."""
        with self._ctx.transaction() as session:
            get_row(session, Survey, survey_id)
            return self._add_question(session, survey_id, draft)

    def add_template(self, survey_id: uuid.UUID, key: str) -> Question:
        """The template question ``key`` (see :mod:`kankei_desktop.core.surveys.templates`)."""
        return self.add_question(survey_id, QuestionDraft.from_template(template(key)))

    def _add_question(self, session: Session, survey_id: uuid.UUID, draft: QuestionDraft,
                      question_id: uuid.UUID | None = None) -> Question:
        values = clean_question(draft)
        last = session.scalar(select(func.max(Question.position)).where(
            Question.survey_id == survey_id, live(Question)))
        return self._writes.add(session, Question(
            id=question_id or uuid.uuid4(), survey_id=survey_id,
            position=(last or 0) + 1, **values))

    def update_question(self, question_id: uuid.UUID, draft: QuestionDraft) -> Question:
        """Change a question (its answers stay; they are read by the new kind)."""
        values = clean_question(draft)
        with self._ctx.transaction() as session:
            row = get_row(session, Question, question_id)
            self._writes.change(row, values)
            return row

    def delete_question(self, question_id: uuid.UUID) -> None:
        """Tombstone a question (its answers are no longer counted; restorable)."""
        with self._ctx.transaction() as session:
            self._writes.tombstone(get_row(session, Question, question_id))

    def move_question(self, question_id: uuid.UUID, offset: int) -> None:
        """Move a question up (``-1``) or down (``+1``) in its survey."""
        with self._ctx.transaction() as session:
            row = get_row(session, Question, question_id)
            rows = questions_of(session, row.survey_id)
            index = next(i for i, item in enumerate(rows) if item.id == question_id)
            target = index + offset
            if not 0 <= target < len(rows):
                return
            rows.insert(target, rows.pop(index))
            for position, item in enumerate(rows, start=1):
                self._writes.change(item, {"position": position})

    # -- responses -----------------------------------------------------------------------

    def responses(self, survey_id: uuid.UUID, meeting_id: uuid.UUID) -> list[ResponseRow]:
        """The live responses to a survey at a session, in sheet/arrival order."""
        with self._ctx.reading() as session:
            found = list(session.scalars(select(Response).where(
                Response.survey_id == survey_id, Response.meeting_id == meeting_id,
                live(Response)).order_by(Response.sheet, Response.submitted_at,
                                         Response.created_at, Response.id)))
            rows = {row.id: ResponseRow(row.id, row.sheet, row.person_id, row.submitted_at,
                                        row.source) for row in found}
            if rows:
                for response_id, question_id, value in session.execute(
                        select(Answer.response_id, Answer.question_id, Answer.value)
                        .join(Response, Response.id == Answer.response_id)
                        .where(Response.survey_id == survey_id,
                               Response.meeting_id == meeting_id, live(Answer))):
                    if response_id in rows:
                        rows[response_id].answers[question_id] = value
            return list(rows.values())

    def next_sheet(self, survey_id: uuid.UUID, meeting_id: uuid.UUID) -> int:
        """The number the next paper sheet gets (1 for the first)."""
        with self._ctx.reading() as session:
            last = session.scalar(select(func.max(Response.sheet)).where(
                Response.survey_id == survey_id, Response.meeting_id == meeting_id,
                live(Response)))
            return (last or 0) + 1

    def save_response(self, survey_id: uuid.UUID, meeting_id: uuid.UUID,
                      answers: Mapping[uuid.UUID, str], *, response_id: uuid.UUID | None = None,
                      sheet: int | None = None, person_id: uuid.UUID | None = None,
                      source: str = ResponseSource.PAPER.value) -> Response:
        """Save a paper sheet (new, or ``response_id`` changed): all answers or none.

        Raises :class:`ValidationError` naming the question whose answer does not fit.
        """
        with self._ctx.transaction() as session:
            survey = get_row(session, Survey, survey_id)
            meeting = get_row(session, Meeting, meeting_id)
            if survey.meeting_id not in (None, meeting.id) or survey.club_id != meeting.club_id:
                raise ValidationError([("survey", _(
                    "This questionnaire belongs to another session or club."))])
            questions = {row.id: row for row in questions_of(session, survey_id)}
            values = checked_answers(questions, answers)
            if response_id is None:
                response = self._writes.add(session, Response(
                    id=uuid.uuid4(), survey_id=survey_id, meeting_id=meeting_id,
                    person_id=person_id, submitted_at=None, source=source, sheet=sheet))
            else:
                response = get_row(session, Response, response_id)
                self._writes.change(response, {"person_id": person_id, "sheet": sheet})
            session.flush()
            self.put_answers(session, response.id, values)
            return response

    def put_answers(self, session: Session, response_id: uuid.UUID,
                    values: Mapping[uuid.UUID, str]) -> int:
        """Make a response's answers exactly ``values`` (an empty value removes the answer),
        changing only what differs; returns how many answer rows changed."""
        changed = 0
        for question_id, value in values.items():
            row_id = answer_uuid(response_id, question_id)
            row = session.get(Answer, row_id)
            if not value:
                if row is not None and row.deleted_at is None:
                    self._writes.tombstone(row)
                    changed += 1
                continue
            if row is not None and row.deleted_at is None and row.value == value:
                continue
            self._writes.put(session, Answer, row_id, {"value": value},
                             keep={"response_id": response_id, "question_id": question_id,
                                   "featured": 0})
            changed += 1
        return changed

    def delete_response(self, response_id: uuid.UUID) -> None:
        """Tombstone a response (restorable)."""
        with self._ctx.transaction() as session:
            self._writes.tombstone(get_row(session, Response, response_id))

    def set_featured(self, answer_id: uuid.UUID, featured: bool) -> None:
        """Choose a free text for the reports (or take it out again)."""
        with self._ctx.transaction() as session:
            self._writes.change(get_row(session, Answer, answer_id),
                                {"featured": 1 if featured else 0})

    # -- results -------------------------------------------------------------------------

    def meeting_results(self, meeting_id: uuid.UUID) -> survey_results.SurveyResults:
        """The results of one session."""
        with self._ctx.reading() as session:
            return survey_results.meeting_results(session, meeting_id)

    def period_results(self, date_from: date, date_to: date,
                       figure_filter: FigureFilter | None = None, *,
                       survey_id: uuid.UUID | None = None) -> survey_results.SurveyResults:
        """The results of a club or the programme over a period (of one survey's responses
        there, with ``survey_id``)."""
        with self._ctx.reading() as session:
            return survey_results.period_results(session, date_from, date_to, figure_filter,
                                                 survey_id=survey_id)

    def score(self, target: uuid.UUID | str, date_from: date, date_to: date,
              figure_filter: FigureFilter | None = None) -> SurveyScore | None:
        """The survey score (:func:`kankei_desktop.core.surveys.score.survey_score`)."""
        with self._ctx.reading() as session:
            return survey_score(session, target, date_from, date_to, figure_filter)


def questions_of(session: Session, survey_id: uuid.UUID) -> list[Question]:
    """A survey's live questions in order."""
    return list(session.scalars(select(Question).where(
        Question.survey_id == survey_id, live(Question))
        .order_by(Question.position, Question.created_at, Question.id)))
