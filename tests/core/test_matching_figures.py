"""マッチング figures (issue 17): made and active at the edges of a period, by kind, and under
the club, municipality (prefecture included), category and tag filters; ``stats --json``."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest

from kankei_desktop.commands.cli import main
from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database

FY2021 = (date(2021, 4, 1), date(2022, 3, 31))
FY2022 = (date(2022, 4, 1), date(2023, 3, 31))


class World:
    """Two towns of Iwate and one of Ibaraki, a company in 一関市, a club of 釜石市, people."""

    def __init__(self, services: Services) -> None:
        orgs = services.organizations
        self.services = services
        self.ichinoseki = orgs.ensure_municipality("032093").id
        self.kamaishi = orgs.ensure_municipality("032115").id
        self.hokota = orgs.ensure_municipality("082341").id
        self.iwate = orgs.ensure_municipality("030007").id
        self.inn = orgs.create(OrganizationDraft(kind="company", name="有限会社げんび山荘",
                                                 municipality_id=self.ichinoseki)).id
        self.kagome = orgs.create(OrganizationDraft(kind="company", name="カゴメ株式会社")).id
        self.club = services.clubs.create(ClubDraft(name="かまいし複業チャレンジ",
                                                    host_municipality_id=self.kamaishi)).id
        self.people = [services.people.create(PersonDraft(
            family_name=name, category=category)).id
            for name, category in (("中村", "company_staff"), ("佐藤", "student"),
                                   ("鈴木", "company_staff"))]

    def add(self, made: date | None, *, status: str = "made", kind: str = "side_job",
            person: int = 0, host: uuid.UUID | None = None, ended: date | None = None,
            club: uuid.UUID | None = None, organisation: uuid.UUID | None = None) -> uuid.UUID:
        draft = MatchingDraft(
            kind=kind, status=status, person_id=None if organisation else self.people[person],
            organization_id=organisation, host_id=host or self.ichinoseki, made_on=made,
            ended_on=ended, club_id=club)
        return self.services.matchings.create(draft).id

    def figures(self, period: tuple[date, date], **flt: object):  # type: ignore[no-untyped-def]
        return self.services.matchings.figures(*period, FigureFilter(**flt))  # type: ignore[arg-type]


@pytest.fixture
def world(services: Services) -> World:
    return World(services)


def test_made_on_31_march_and_1_april_fall_in_their_own_years(world: World) -> None:
    world.add(date(2022, 3, 31), person=0)
    world.add(date(2022, 4, 1), person=1)
    fy2021, fy2022 = world.figures(FY2021), world.figures(FY2022)
    assert (fy2021.made, fy2022.made) == (1, 1)
    assert fy2021.by_kind == {"side_job": 1, "internship": 0, "collaboration": 0,
                              "agreement": 0, "relocation": 0, "other": 0}
    # the one made on 31 March is still active in the next year; the other not before it
    assert (fy2021.active, fy2022.active) == (1, 2)


def test_ended_before_the_period_is_not_active(world: World) -> None:
    world.add(date(2020, 5, 1), status="ended", ended=date(2021, 3, 31), person=0)
    world.add(date(2020, 5, 1), status="ended", ended=date(2021, 4, 1), person=1)
    world.add(date(2020, 5, 1), status="ended", person=2)  # 終了 without 終了日
    world.add(date(2021, 5, 1), status="ended", person=2, kind="internship")
    fy2021 = world.figures(FY2021)
    assert fy2021.made == 1  # 終了 is made: it was made in the year
    assert fy2021.active == 2  # ended on 1 April, and the one made and ended in the year
    assert world.figures((date(2020, 4, 1), date(2021, 3, 31))).active == 3


def test_proposed_and_declined_never_count(world: World) -> None:
    world.add(None, status="proposed", person=0)
    world.add(date(2021, 6, 1), status="declined", person=1)
    world.add(date(2021, 6, 1), status="ongoing", person=2, kind="relocation")
    figures = world.figures(FY2021)
    assert (figures.made, figures.active) == (1, 1)
    assert figures.by_kind["relocation"] == 1
    assert sum(figures.by_kind.values()) == figures.made


def test_a_deleted_matching_or_party_does_not_count(world: World) -> None:
    kept = world.add(date(2021, 6, 1), person=0)
    gone = world.add(date(2021, 6, 2), person=1)
    world.services.matchings.delete(gone)
    world.add(date(2021, 6, 3), person=2)
    world.services.people.delete(world.people[2])
    assert world.figures(FY2021).made == 1
    world.services.matchings.restore(gone)
    assert world.figures(FY2021).made == 2
    assert kept


def test_filters(world: World) -> None:
    world.add(date(2021, 6, 1), person=0, host=world.ichinoseki)             # town itself
    world.add(date(2021, 6, 2), person=1, host=world.inn)                    # located there
    world.add(date(2021, 6, 3), person=2, host=world.kagome, club=world.club)  # club's town
    world.add(date(2021, 6, 4), organisation=world.kagome, host=world.hokota,
              kind="agreement")
    assert world.figures(FY2021).made == 4
    assert world.figures(FY2021, municipality_id=world.ichinoseki).made == 2
    assert world.figures(FY2021, municipality_id=world.kamaishi).made == 1
    assert world.figures(FY2021, municipality_id=world.iwate).made == 3  # the prefecture
    assert world.figures(FY2021, municipality_id=world.hokota).made == 1
    assert world.figures(FY2021, club_id=world.club).made == 1
    assert world.figures(FY2021, category="company_staff").made == 2
    tag = world.services.tags.create("協定先")
    world.services.tags.set_tags("organization", world.kagome, ["協定先"])
    assert world.figures(FY2021, tag_id=tag.id).made == 2  # party or host carries it


def test_stats_json_has_the_matching_keys(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "f.sqlite3"
    database = open_database(path)
    world = World(Services(database))
    world.add(date(2022, 3, 31), person=0, club=world.club)
    world.add(date(2022, 4, 1), person=1, kind="internship")
    database.close()
    assert main(["--db", str(path), "stats", "--fy", "2021", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["matchings_made"], payload["matchings_active"]) == (1, 1)
    assert set(payload["by_matching_kind"]) == {"side_job", "internship", "collaboration",
                                                "agreement", "relocation", "other"}
    assert payload["by_matching_kind"]["side_job"] == 1
    assert payload["meetings_held"] == 0  # the other keys stay
    assert main(["--db", str(path), "stats", "--fy", "2022", "--json", "--club",
                 "かまいし複業チャレンジ"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["matchings_made"], payload["matchings_active"]) == (0, 1)
    assert main(["--db", str(path), "stats", "--fy", "2022", "--json", "--municipality",
                 "032093"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["matchings_made"] == 1
    assert main(["--db", str(path), "stats", "--fy", "2022", "--tag", "無い"]) == 1
    assert "無い" in capsys.readouterr().err
