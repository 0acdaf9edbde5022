"""A KPI of the measure 「アンケートの評価」 (survey score, issue 17) answered by the surveys.

The KPI's parameter names the scale question: its id (what the KPI dialog stores), its
survey's id, or its wording (the same question asked in several surveys counts together,
:func:`.score.survey_score`). The
actual is the mean over the KPI's 年度, for its club or the whole programme.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.figures import kpi_actuals
from kankei_desktop.core.figures.scope import FigureFilter
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.models import Kpi, Question
from kankei_desktop.core.surveys.score import survey_score
from kankei_desktop.core.surveys.values import question_key
from kankei_desktop.core.vocabulary import QuestionKind


def kpi_survey_score(session: Session, kpi: Kpi) -> Decimal | None:
    """The mean answer (two decimals) of the scale question the KPI names, or None."""
    wording = kpi.parameter.strip()
    if not wording:
        return None
    target: uuid.UUID | str
    try:
        target = uuid.UUID(wording)
    except ValueError:
        target = wording
    start, end = fiscal_year_range(kpi.fiscal_year)
    score = survey_score(session, target, start, end, FigureFilter(club_id=kpi.club_id))
    if score is None or score.mean is None:
        return None
    return Decimal(str(round(score.mean, 2)))


def register() -> None:
    """Let the KPI actuals ask the surveys (once, however many files are opened)."""
    if kpi_survey_score not in kpi_actuals.SURVEY_SCORES:
        kpi_actuals.SURVEY_SCORES.append(kpi_survey_score)


def scale_questions(session: Session) -> list[tuple[str, str]]:
    """(id as hex, wording) of the questions a survey-score KPI can name: every live scale
    question, one per wording (the same question in several surveys counts together), oldest
    first. The KPI keeps the id (its parameter is short); the wording is looked up again."""
    seen: dict[str, tuple[str, str]] = {}
    for question_id, text in session.execute(select(Question.id, Question.text).where(
            Question.deleted_at.is_(None), Question.kind == QuestionKind.SCALE.value)
            .order_by(Question.created_at, Question.id)):
        seen.setdefault(question_key(text), (question_id.hex, text))
    return list(seen.values())
