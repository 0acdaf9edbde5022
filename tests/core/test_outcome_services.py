"""The services of issue 17: matchings (validation, natural ids, lists), a club's stage
history, KPIs of any kind with their actuals, and tags."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.figures import kpi_actuals
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft, KpiValues
from kankei_desktop.core.services.kpis import KpiDraft, format_decimal, parse_number
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.services.stages import StageMove
from kankei_desktop.core.writes.natural_ids import matching_uuid


def fields_of(caught: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {field for field, _message in caught.value.errors}


@pytest.fixture
def parties(services: Services) -> tuple:  # type: ignore[type-arg]
    town = services.organizations.ensure_municipality("032093").id
    company = services.organizations.create(OrganizationDraft(kind="company",
                                                              name="株式会社パソナ")).id
    person = services.people.create(PersonDraft(family_name="中村", given_name="彩",
                                                organization_id=company)).id
    return town, company, person


# -- matchings ---------------------------------------------------------------------------


def test_a_matching_is_saved_under_its_natural_id(services: Services, parties: tuple) -> None:  # type: ignore[type-arg]
    town, _company, person = parties
    draft = MatchingDraft(kind="side_job", status="made", person_id=person, host_id=town,
                          made_on=date(2021, 6, 1), theme="  EC サイト ")
    row = services.matchings.create(draft)
    assert row.id == matching_uuid(person, town, "side_job", date(2021, 6, 1))
    assert row.theme == "EC サイト"
    with pytest.raises(ValidationError) as caught:
        services.matchings.create(draft)
    assert "made_on" in fields_of(caught)
    services.matchings.delete(row.id)
    again = services.matchings.create(draft)  # the same matching comes back
    assert again.id == row.id
    assert again.deleted_at is None
    [view] = services.matchings.views(services.matchings.find())
    assert (view.party, view.host) == ("中村 彩（株式会社パソナ）", "岩手県一関市")


@pytest.mark.parametrize(("changes", "field"), [
    ({"person_id": None}, "person_id"),
    ({"kind": "agreement"}, "person_id"),
    ({"host_id": None}, "host_id"),
    ({"made_on": None}, "made_on"),
    ({"ended_on": date(2021, 5, 1)}, "ended_on"),
    ({"status": "finished"}, "status"),
    ({"kind": "friendship"}, "kind"),
    ({"theme": "あ" * 301}, "theme"),
])
def test_matching_validation_names_the_field(services: Services, parties: tuple,  # type: ignore[type-arg]
                                             changes: dict[str, object], field: str) -> None:
    town, _company, person = parties
    draft = MatchingDraft(kind="side_job", person_id=person, host_id=town,
                          made_on=date(2021, 6, 1))
    for name, value in changes.items():
        setattr(draft, name, value)
    with pytest.raises(ValidationError) as caught:
        services.matchings.create(draft)
    assert field in fields_of(caught)
    assert services.matchings.count() == 0


def test_a_proposal_needs_no_date(services: Services, parties: tuple) -> None:  # type: ignore[type-arg]
    town, company, _person = parties
    row = services.matchings.create(MatchingDraft(kind="agreement", status="proposed",
                                                  organization_id=company, host_id=town))
    assert row.made_on is None


def test_matching_lists_by_person_organisation_club_and_tag(services: Services,
                                                             parties: tuple) -> None:  # type: ignore[type-arg]
    town, company, person = parties
    club = services.clubs.create(ClubDraft(name="いちのせき複業チャレンジ")).id
    other = services.organizations.create(OrganizationDraft(kind="company", name="東稲酒造")).id
    first = services.matchings.create(MatchingDraft(
        kind="side_job", person_id=person, host_id=other, made_on=date(2021, 6, 1),
        club_id=club)).id
    second = services.matchings.create(MatchingDraft(
        kind="agreement", organization_id=company, host_id=town, made_on=date(2022, 6, 1))).id
    assert [row.id for row in services.matchings.find()] == [second, first]
    assert [row.id for row in services.matchings.find(person_id=person)] == [first]
    # an organisation's matchings: as the party, the host or its person's
    assert {row.id for row in services.matchings.find(organization_id=company)} == {
        first, second}
    assert [row.id for row in services.matchings.find(organization_id=other)] == [first]
    assert [row.id for row in services.matchings.find(club_id=club)] == [first]
    assert [row.id for row in services.matchings.find("東稲")] == [first]
    assert [row.id for row in services.matchings.find(kind="agreement")] == [second]
    assert services.matchings.count(date_from=date(2022, 4, 1)) == 1
    services.tags.set_tags("club", club, ["複業"])
    tag = services.tags.find_by_name("複業")
    assert tag is not None
    assert [row.id for row in services.matchings.find(tag_id=tag.id)] == [first]


# -- stages ------------------------------------------------------------------------------


def test_stage_history_and_the_current_stage(services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="鉾田共創", stage="theme")).id
    assert services.stages.current(club) == "theme"
    assert services.stages.history(club) == []
    services.stages.move(club, StageMove("matching", date(2021, 7, 1), "カゴメ株式会社と連携"))
    services.stages.move(club, StageMove("planning", date(2021, 10, 1), "施策案"))
    back = services.stages.move(club, StageMove("matching", date(2022, 1, 5),
                                                "連携先を追加で募集"))
    assert [entry.stage for entry in services.stages.history(club)] == [
        "matching", "planning", "matching"]  # moving back is kept
    assert services.stages.current(club) == "matching"
    assert services.clubs.get(club).stage == "matching"
    # an entry dated earlier than the latest does not change the current stage
    services.stages.move(club, StageMove("pilot", date(2021, 12, 1)))
    assert services.stages.current(club) == "matching"
    services.stages.delete(back.id)
    assert services.stages.current(club) == "pilot"
    assert [c.id for c in services.clubs.find(stage="pilot")] == [club]
    assert services.clubs.current_stages({club}) == {club: "pilot"}
    with pytest.raises(ValidationError) as caught:
        services.stages.move(club, StageMove("done", None))
    assert fields_of(caught) == {"stage", "entered_on"}


def test_changing_the_stage_in_the_club_form_records_a_move(services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="鉾田共創")).id
    draft = ClubDraft.of(services.clubs.get(club), [])
    draft.stage = "pilot"
    services.clubs.update(club, draft)
    [entry] = services.stages.history(club)
    assert (entry.stage, entry.entered_on) == ("pilot", date.today())
    draft.theme = "野菜"
    services.clubs.update(club, draft)  # the stage did not change: no second move
    assert len(services.stages.history(club)) == 1


# -- KPIs --------------------------------------------------------------------------------


def test_kpis_of_any_kind_with_their_actuals(services: Services) -> None:
    town = services.organizations.ensure_municipality("032093").id
    company = services.organizations.create(OrganizationDraft(kind="company", name="A社")).id
    club = services.clubs.create(ClubDraft(name="クラブ", host_municipality_id=town)).id
    people = [services.people.create(PersonDraft(family_name=f"山田{i}",
                                                 organization_id=company if i else None)).id
              for i in range(3)]
    seminar = services.meetings.create(MeetingDraft(club_id=club, title="講座",
                                                    date=date(2021, 9, 1), kind="seminar",
                                                    status="held")).id
    services.meetings.create(MeetingDraft(club_id=club, title="定例", date=date(2021, 10, 1),
                                          status="held"))
    for person in people:
        services.attendance.set(seminar, person, "attended")
    services.matchings.create(MatchingDraft(kind="side_job", person_id=people[0],
                                            host_id=town, made_on=date(2021, 12, 1)))
    kpis = services.kpis
    for draft in (
        KpiDraft("meetings_held", 2021, club_id=club, target="4"),
        KpiDraft("sessions_of_kind", 2021, club_id=club, parameter="seminar", target="2"),
        KpiDraft("organizations_attending", 2021, target="2"),
        KpiDraft("matchings_made", 2021, target="5"),
        KpiDraft("matchings_made", 2021, parameter="internship", target="1"),
        KpiDraft("first_time_persons", 2021, club_id=club, target="３"),
        KpiDraft("survey_score", 2021, target="4.5", label="満足度"),
        KpiDraft("manual", 2021, label="返礼品の売上", unit="円", target="1,200,000",
                 actual="900000"),
    ):
        kpis.create(draft)
    results = {(row.name, row.club_name): row for row in kpis.results(2021)}
    actuals = {name: (format_decimal(row.target), format_decimal(row.actual),
                      None if row.rate is None else f"{row.rate * 100:.1f}")
               for (name, _club), row in results.items()}
    assert actuals["開催回数"] == ("4", "2", "50.0")
    assert actuals["開催回数（説明会・講座）"] == ("2", "1", "50.0")
    assert actuals["参加団体数"] == ("2", "1", "50.0")
    assert actuals["マッチング成立件数"] == ("5", "1", "20.0")
    assert actuals["マッチング成立件数（インターン）"] == ("1", "0", "0.0")
    assert actuals["新規参加者数"] == ("3", "3", "100.0")
    assert actuals["満足度"] == ("4.5", "—", None)  # no survey score yet
    assert actuals["返礼品の売上"] == ("1,200,000", "900,000", "75.0")
    [club_row] = [row for row in kpis.results(2021, club_id=club)
                  if row.kpi.measure == "meetings_held"]
    assert club_row.club_name == "クラブ"
    assert len(kpis.results(2021, programme=True)) == 5


def test_a_survey_provider_gives_the_score(services: Services,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    services.kpis.create(KpiDraft("survey_score", 2021, target="4", label="満足度"))
    monkeypatch.setattr(kpi_actuals, "SURVEY_SCORES",
                        [lambda _session, _kpi: Decimal("4.2")])
    [row] = services.kpis.results(2021)
    assert (row.actual, f"{row.rate:.3f}") == (Decimal("4.2"), "1.050")


def test_kpi_validation(services: Services) -> None:
    kpis = services.kpis
    with pytest.raises(ValidationError) as caught:
        kpis.create(KpiDraft("manual", 2021, target="たくさん"))
    assert fields_of(caught) == {"label", "target"}
    with pytest.raises(ValidationError) as caught:
        kpis.create(KpiDraft("sessions_of_kind", 21, parameter="party", target="-1"))
    assert fields_of(caught) == {"parameter", "fiscal_year", "target"}
    kpis.create(KpiDraft("unique_persons", 2021, target="10"))
    with pytest.raises(ValidationError):
        kpis.create(KpiDraft("unique_persons", 2021, target="12"))
    assert parse_number("１，２００．５０") == "1200.5"
    assert parse_number(" ") == ""


def test_the_older_targets_are_kpis(services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="クラブ")).id
    services.clubs.set_targets(club, 2021, KpiValues(meetings=12, unique_persons=30,
                                                     notes="各市2回以上"))
    measures = {row.measure: row for row in services.kpis.find(2021, club_id=club)}
    assert {name: row.target for name, row in measures.items()} == {
        "meetings_held": "12", "unique_persons": "30"}
    assert measures["meetings_held"].notes == "各市2回以上"
    [target] = services.clubs.targets(club, 2021)
    assert (target.target_meetings, target.target_person_times,
            target.target_unique_persons, target.notes) == (12, None, 30, "各市2回以上")


# -- tags --------------------------------------------------------------------------------


def test_tags_on_the_four_kinds_of_record(services: Services) -> None:
    person = services.people.create(PersonDraft(family_name="佐藤")).id
    org = services.organizations.create(OrganizationDraft(kind="school", name="鷹栖高校")).id
    club = services.clubs.create(ClubDraft(name="クラブ")).id
    meeting = services.meetings.create(MeetingDraft(club_id=club, title="会",
                                                    date=date(2021, 5, 1))).id
    tags = services.tags
    tags.set_tags("person", person, ["高校生", "UIターン希望"])
    tags.set_tags("organization", org, ["ｺｳｺｳｾｲ"])  # stored as コウコウセイ, its own tag
    tags.set_tags("club", club, ["協定先"])
    tags.set_tags("meeting", meeting, ["高校生"])
    assert [tag.name for tag in tags.tags_of(person)] == ["UIターン希望", "高校生"]
    high = tags.find_by_name("高校生")
    assert high is not None
    assert [p.id for p in services.people.find(tag_id=high.id)] == [person]
    assert [m.id for m in services.meetings.find(tag_id=high.id)] == [meeting]
    assert services.clubs.count(tag_id=high.id) == 0
    assert tags.usage()[high.id] == 2
    tags.set_tags("person", person, ["UIターン希望"])
    assert [tag.name for tag in tags.tags_of(person)] == ["UIターン希望"]
    assert tags.names_of({person, meeting}) == {person: ["UIターン希望"], meeting: ["高校生"]}
    with pytest.raises(ValidationError):
        tags.create("高校生")
    with pytest.raises(ValidationError):
        tags.set_tags("person", person, ["a、b"])
    tags.delete(high.id)
    assert tags.tags_of(meeting) == []
    tags.restore(high.id)
    assert [tag.name for tag in tags.tags_of(meeting)] == ["高校生"]


def test_split_tag_names() -> None:
    from kankei_desktop.core.services.tags import split_tag_names

    assert split_tag_names("高校生、 UIターン希望,高校生 ;協定先") == [
        "高校生", "UIターン希望", "協定先"]


def test_actuals_from_the_year_figures_equal_those_computed_per_club(services: Services) -> None:
    clubs = [services.clubs.create(ClubDraft(name=f"クラブ{i}")).id for i in range(3)]
    people = [services.people.create(PersonDraft(family_name=f"山田{i}")).id for i in range(3)]
    for index, club in enumerate(clubs[:2]):
        for day in range(index + 1):
            meeting = services.meetings.create(MeetingDraft(
                club_id=club, title="会", date=date(2021, 5, day + 1), status="held")).id
            for person in people[: day + 2]:
                services.attendance.set(meeting, person, "attended")
    for club in clubs:
        for measure in ("meetings_held", "person_times", "unique_persons",
                        "first_time_persons"):
            services.kpis.create(KpiDraft(measure, 2021, club_id=club, target="3"))
    services.kpis.create(KpiDraft("unique_persons", 2021, target="5"))
    plain = services.kpis.results(2021)
    seeded = services.kpis.results(2021, year_figures=services.figures.fiscal_year(2021))
    assert [(row.kpi.id, row.actual) for row in plain] == [
        (row.kpi.id, row.actual) for row in seeded]
    assert any(row.actual for row in plain)
