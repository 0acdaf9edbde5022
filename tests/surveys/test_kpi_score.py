"""A KPI of the measure 「アンケートの評点」 takes its actual from the surveys (issues 17, 19)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.kpis import KpiDraft
from tests.surveys.conftest import seed


def test_a_survey_score_kpi_shows_the_mean_answer_of_its_year_and_club(
        services: Services) -> None:
    first = seed(services, date(2021, 6, 1))
    later = seed(services, date(2022, 6, 1))  # another 年度: not in the 2021 KPI
    surveys = services.surveys
    for session_, points in ((first, [5, 4, 4]), (later, [1])):
        survey = surveys.create_for_meeting(session_.meeting_id, templates=("satisfaction",))
        question = surveys.questions(survey.id)[0]
        for point in points:
            surveys.save_response(survey.id, session_.meeting_id, {question.id: str(point)})
    [(question_id, wording)] = services.kpis.survey_questions()  # one wording, two surveys
    assert wording == question.text
    services.kpis.create(KpiDraft("survey_score", 2021, club_id=first.club_id,
                                  parameter=question_id, target="4.5"))
    services.kpis.create(KpiDraft("survey_score", 2023, club_id=first.club_id,
                                  parameter=question_id, target="4"))
    [result] = services.kpis.results(2021, club_id=first.club_id)
    assert result.actual == Decimal("4.33")  # (5 + 4 + 4) / 3, two decimals
    assert result.rate is not None
    assert result.rate < 1
    [nobody] = services.kpis.results(2023, club_id=first.club_id)
    assert nobody.actual is None  # no answers in that 年度: 「—」, not 0
