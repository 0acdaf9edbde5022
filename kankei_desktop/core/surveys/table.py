"""Every response of a period as a table: one row per response, one column per question
(the raw answers the Excel export writes, survey by survey)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.figures.drilldown import meeting_scope
from kankei_desktop.core.japan.text import display_name
from kankei_desktop.core.models import Answer, Club, Meeting, Person, Question, Response, Survey


@dataclass(frozen=True)
class TableQuestion:
    """A column of the table."""

    id: uuid.UUID
    text: str
    kind: str


@dataclass
class ResponseLine:
    """One response: where and when, who (``""`` = anonymous) and the answers by column."""

    meeting_date: date
    meeting_title: str
    club_name: str
    submitted_at: datetime | None
    person: str
    source: str
    sheet: int | None
    answers: list[str]


@dataclass
class SurveyTable:
    """One survey's responses in the period."""

    survey_id: uuid.UUID
    title: str
    club_name: str
    meeting_title: str
    """The session's title for a session's own survey ("" for a club's survey)."""
    questions: list[TableQuestion] = field(default_factory=list)
    lines: list[ResponseLine] = field(default_factory=list)


def survey_tables(session: Session, date_from: date, date_to: date,
                  figure_filter: FigureFilter | None = None) -> list[SurveyTable]:
    """The surveys with responses in the period and scope, each with its responses."""
    conditions = [Response.deleted_at.is_(None), Meeting.deleted_at.is_(None),
                  Club.deleted_at.is_(None), Survey.deleted_at.is_(None),
                  Meeting.date >= date_from, Meeting.date <= date_to,
                  *meeting_scope(figure_filter or FigureFilter())]
    rows = session.execute(
        select(Response, Meeting.date, Meeting.title, Club.name, Person.family_name,
               Person.given_name)
        .join(Meeting, Meeting.id == Response.meeting_id)
        .join(Club, Club.id == Meeting.club_id)
        .join(Survey, Survey.id == Response.survey_id)
        .outerjoin(Person, Person.id == Response.person_id)
        .where(*conditions)
        .order_by(Meeting.date, Meeting.id, Response.sheet, Response.submitted_at,
                  Response.created_at, Response.id)).all()
    if not rows:
        return []
    tables: dict[uuid.UUID, SurveyTable] = {}
    column_of: dict[uuid.UUID, int] = {}
    by_response: dict[uuid.UUID, ResponseLine] = {}
    for response, day, title, club, family, given in rows:
        table = tables.get(response.survey_id)
        if table is None:
            table = tables[response.survey_id] = _table(session, response.survey_id)
            column_of.update((question.id, index)
                             for index, question in enumerate(table.questions))
        line = ResponseLine(day, title, club, response.submitted_at,
                            display_name(family or "", given or "") if family else "",
                            response.source, response.sheet, [""] * len(table.questions))
        table.lines.append(line)
        by_response[response.id] = line
    for response_id, question_id, value in session.execute(
            select(Answer.response_id, Answer.question_id, Answer.value)
            .join(Response, Response.id == Answer.response_id)
            .join(Meeting, Meeting.id == Response.meeting_id)
            .join(Club, Club.id == Meeting.club_id)
            .join(Survey, Survey.id == Response.survey_id)
            .where(Answer.deleted_at.is_(None), *conditions)):
        found = by_response.get(response_id)
        if found is not None and question_id in column_of:
            found.answers[column_of[question_id]] = value
    return list(tables.values())


def _table(session: Session, survey_id: uuid.UUID) -> SurveyTable:
    survey = session.get(Survey, survey_id)
    assert survey is not None
    club = session.get(Club, survey.club_id)
    meeting = session.get(Meeting, survey.meeting_id) if survey.meeting_id else None
    questions = session.scalars(select(Question).where(
        Question.survey_id == survey_id, Question.deleted_at.is_(None))
        .order_by(Question.position, Question.created_at, Question.id))
    return SurveyTable(survey_id, survey.title, club.name if club is not None else "",
                       meeting.title if meeting is not None else "",
                       [TableQuestion(row.id, row.text, row.kind) for row in questions])
