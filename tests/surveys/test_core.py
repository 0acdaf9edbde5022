"""Surveys in core: questionnaires, paper sheets, results, the survey score; invariants."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.survey_questions import QuestionDraft
from kankei_desktop.core.surveys.score import survey_score
from kankei_desktop.core.surveys.templates import STANDARD_SET

from .conftest import Session, seed

#: surveys on a shared database too (tests/engines.py)
BOTH_ENGINES = True


def test_a_session_survey_from_the_templates(seeded: Session) -> None:
    surveys = seeded.services.surveys
    survey = surveys.create_for_meeting(seeded.meeting_id, templates=STANDARD_SET)
    questions = surveys.questions(survey.id)
    assert [row.kind for row in questions] == ["scale", "multiple", "single", "text"]
    assert questions[0].text == "本日のセッションの満足度を教えてください。"
    assert (questions[0].low_label, questions[0].high_label) == ("不満", "満足")
    assert survey.title == "アンケート"
    with pytest.raises(ValidationError, match="すでにアンケートがあります"):
        surveys.create_for_meeting(seeded.meeting_id)
    surveys.delete(survey.id)
    again = surveys.create_for_meeting(seeded.meeting_id, "第3回アンケート")
    assert again.id == survey.id  # the session's own survey comes back, questions kept
    assert len(surveys.questions(again.id)) == 4
    assert again.title == "第3回アンケート"


def test_a_club_survey_serves_every_session_without_its_own(seeded: Session) -> None:
    surveys = seeded.services.surveys
    club = surveys.create_for_club(seeded.club_id, templates=("satisfaction",))
    assert surveys.in_use(seeded.meeting_id).id == club.id  # type: ignore[union-attr]
    own = surveys.create_for_meeting(seeded.meeting_id)
    assert surveys.in_use(seeded.meeting_id).id == own.id  # type: ignore[union-attr]
    rows = surveys.find(club_id=seeded.club_id)
    assert [row.meeting_id for row in rows] == [None, seeded.meeting_id]


def test_questions_are_validated_and_reordered(seeded: Session) -> None:
    surveys = seeded.services.surveys
    survey = surveys.create_for_meeting(seeded.meeting_id)
    with pytest.raises(ValidationError) as caught:
        surveys.add_question(survey.id, QuestionDraft(text="", kind="single"))
    assert caught.value.for_field("text")
    assert caught.value.for_field("options")
    with pytest.raises(ValidationError, match="同じ文"):
        surveys.add_question(survey.id, QuestionDraft("職業", "single", ["会社員", "会社員"]))
    with pytest.raises(ValidationError, match="2 から 11"):
        surveys.add_question(survey.id, QuestionDraft("満足度", "scale", points=12))
    first = surveys.add_question(survey.id, QuestionDraft("職業（任意）", "single",
                                                          ["会社員", "公務員", "学生"]))
    second = surveys.add_template(survey.id, "satisfaction")
    surveys.move_question(second.id, -1)
    assert [row.id for row in surveys.questions(survey.id)] == [second.id, first.id]
    assert surveys.questions(survey.id)[1].text == "職業（任意）"  # typed characters kept


def test_paper_sheets_are_checked_and_saved_whole(seeded: Session) -> None:
    surveys = seeded.services.surveys
    survey = surveys.create_for_meeting(seeded.meeting_id, templates=STANDARD_SET)
    scale, motive, intention, text = surveys.questions(survey.id)
    with pytest.raises(ValidationError) as caught:
        surveys.save_response(survey.id, seeded.meeting_id,
                              {scale.id: "6", intention.id: "たぶん", motive.id: "SNS"})
    assert len(caught.value.errors) == 2  # the scale point and the unknown option
    assert surveys.responses(survey.id, seeded.meeting_id) == []
    saved = surveys.save_response(survey.id, seeded.meeting_id,
                                  {scale.id: "５", motive.id: "SNS\nウェブサイト",
                                   intention.id: "ぜひ参加したい", text.id: "  良かった\r\n"},
                                  sheet=surveys.next_sheet(survey.id, seeded.meeting_id))
    [row] = surveys.responses(survey.id, seeded.meeting_id)
    assert row.sheet == 1
    assert row.answers == {scale.id: "5", motive.id: "SNS\nウェブサイト",
                           intention.id: "ぜひ参加したい", text.id: "良かった"}
    assert surveys.next_sheet(survey.id, seeded.meeting_id) == 2
    hlc = row_hlc(seeded.services, saved.id)
    surveys.save_response(survey.id, seeded.meeting_id, dict(row.answers), response_id=saved.id,
                          sheet=1)
    assert row_hlc(seeded.services, saved.id) == hlc  # the same sheet again changes nothing
    surveys.save_response(survey.id, seeded.meeting_id, {scale.id: "4", text.id: ""},
                          response_id=saved.id, sheet=1)
    [row] = surveys.responses(survey.id, seeded.meeting_id)
    assert row.answers[scale.id] == "4"
    assert text.id not in row.answers  # an emptied answer is removed


def row_hlc(services: Services, response_id: uuid.UUID) -> list[str]:
    from sqlalchemy import select

    from kankei_desktop.core.models import Answer

    with services.context.reading() as session:
        return sorted(session.scalars(select(Answer.hlc).where(
            Answer.response_id == response_id)))


def _sheets(services: Services, survey_id: uuid.UUID, meeting_id: uuid.UUID,
            points: list[int]) -> None:
    question = services.surveys.questions(survey_id)[0]
    for point in points:
        services.surveys.save_response(survey_id, meeting_id, {question.id: str(point)})


def test_the_survey_score_over_sessions_clubs_and_periods(services: Services) -> None:
    first = seed(services, date(2021, 6, 1))
    second = seed(services, date(2022, 6, 1))
    other_club = services.clubs.create(ClubDraft(name="別のクラブ"))
    third = seed(services, date(2021, 9, 1), club=other_club.name)
    surveys = services.surveys
    ids = []
    for session_, points in ((first, [5, 4]), (second, [1]), (third, [3, 3, 3])):
        survey = surveys.create_for_meeting(session_.meeting_id, templates=("satisfaction",))
        _sheets(services, survey.id, session_.meeting_id, points)
        ids.append(survey.id)
    fy2021 = (date(2021, 4, 1), date(2022, 3, 31))
    question = surveys.questions(ids[0])[0]
    score = surveys.score(question.id, *fy2021)
    assert score is not None
    assert score.mean == pytest.approx((5 + 4 + 3 * 3) / 5)  # the same question, two surveys
    assert score.answers == 5
    assert score.as_share() == pytest.approx((18 / 5 - 1) / 4)
    club_score = surveys.score(ids[0], *fy2021, FigureFilter(club_id=first.club_id))
    assert club_score is not None
    assert club_score.mean == pytest.approx(4.5)
    by_text = surveys.score("本日のセッションの満足度を教えてください。", date(2022, 4, 1),
                            date(2023, 3, 31))
    assert by_text is not None
    assert by_text.mean == 1
    nobody = surveys.score(question.id, date(2020, 4, 1), date(2021, 3, 31))
    assert nobody is not None
    assert nobody.mean is None
    assert surveys.score(uuid.uuid4(), *fy2021) is None
    with services.context.reading() as session:  # the function other code calls
        direct = survey_score(session, question.id, *fy2021)
    assert direct == score


def test_results_of_a_club_year_merge_the_same_question(services: Services) -> None:
    first = seed(services, date(2021, 6, 1))
    second = seed(services, date(2021, 7, 1))
    for session_, points in ((first, [5, 4]), (second, [2])):
        survey = services.surveys.create_for_meeting(session_.meeting_id,
                                                     templates=("satisfaction", "impressions"))
        _sheets(services, survey.id, session_.meeting_id, points)
    results = services.surveys.period_results(date(2021, 4, 1), date(2022, 3, 31),
                                              FigureFilter(club_id=first.club_id))
    assert results.responses == 3
    assert results.sessions == 2
    assert results.attendees == 20
    assert results.response_rate == pytest.approx(0.15)
    satisfaction, impressions = results.questions
    assert satisfaction.counts == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert satisfaction.mean == pytest.approx(11 / 3)
    assert impressions.answered == 0


kinds = st.sampled_from(["scale", "single", "multiple", "text"])
answer_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sheets=st.lists(st.tuples(st.integers(0, 6), st.lists(st.integers(0, 3), max_size=4),
                                 st.integers(-1, 3), answer_text), max_size=12))
def test_summary_counts_add_up(seeded: Session,
                               sheets: list[tuple[int, list[int], int, str]]) -> None:
    """Whatever is typed: a scale's and a single choice's counts add up to their answers,
    no option of a multiple choice counts more than its answers, the mean is on the scale."""
    surveys = seeded.services.surveys
    survey = surveys.in_use(seeded.meeting_id) or surveys.create_for_meeting(
        seeded.meeting_id, templates=STANDARD_SET)
    scale, motive, intention, text = surveys.questions(survey.id)
    options = motive.options.split("\n")
    choices = intention.options.split("\n")
    before = surveys.meeting_results(seeded.meeting_id).responses
    for point, picks, pick, free in sheets:
        surveys.save_response(survey.id, seeded.meeting_id, {
            scale.id: str(point) if 1 <= point <= 5 else "",
            motive.id: "\n".join(options[index] for index in picks),
            intention.id: choices[pick] if pick >= 0 else "", text.id: free})
    results = surveys.meeting_results(seeded.meeting_id)
    assert results.responses == before + len(sheets)
    for question in results.questions:
        assert 0 <= question.answered <= results.responses
        if question.kind in ("scale", "single"):
            assert sum(question.counts.values()) == question.answered
        if question.kind == "multiple":
            assert all(count <= question.answered for count in question.counts.values())
            assert sum(question.counts.values()) >= question.answered
        if question.kind == "scale":
            assert list(question.counts) == ["1", "2", "3", "4", "5"]
            if question.mean is not None:
                assert 1 <= question.mean <= 5
        if question.kind == "text":
            assert len(question.texts) == question.answered
            assert question.counts == {}



def test_the_same_question_with_or_without_closing_punctuation_is_one(
        services: Services) -> None:
    first = seed(services, date(2021, 6, 1))
    second = seed(services, date(2021, 7, 1))
    club = services.surveys.create_for_club(first.club_id, templates=("satisfaction",))
    _sheets(services, club.id, first.meeting_id, [5])
    own = services.surveys.create_for_meeting(second.meeting_id)
    services.surveys.add_question(own.id, QuestionDraft("本日のセッションの満足度を教えてください",
                                                        "scale"))
    _sheets(services, own.id, second.meeting_id, [3])
    results = services.surveys.period_results(date(2021, 4, 1), date(2022, 3, 31))
    [question] = results.questions
    assert question.answered == 2
    assert question.mean == 4
