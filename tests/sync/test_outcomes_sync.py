"""Matchings, stage history, KPIs and tags through bundles (issue 17): per-field merge,
conflicts kept, tombstones, records created twice meeting in one row, and the dump."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.kpis import KpiDraft
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.services.stages import StageMove
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.service import SyncService
from tests.sync.helpers import exchange


def _both_ways(a: Services, b: Services, folder: Path) -> None:
    exchange(a, b, folder, name="ab.kankei")
    exchange(b, a, folder, name="ba.kankei")


def _shared_matching(a: Services, b: Services, folder: Path) -> object:
    town = a.organizations.ensure_municipality("032093").id
    person = a.people.create(PersonDraft(family_name="中村", given_name="彩")).id
    row = a.matchings.create(MatchingDraft(kind="side_job", status="made", person_id=person,
                                           host_id=town, made_on=date(2021, 6, 1)))
    exchange(a, b, folder)
    return row.id


def _edit(services: Services, matching_id: object, **values: object) -> None:
    draft = MatchingDraft.of(services.matchings.get(matching_id))  # type: ignore[arg-type]
    for name, value in values.items():
        setattr(draft, name, value)
    services.matchings.update(matching_id, draft)  # type: ignore[arg-type]


def test_status_on_one_side_and_note_on_the_other_both_survive(replicas: list[Services],
                                                                tmp_path: Path) -> None:
    a, b, _c = replicas
    matching = _shared_matching(a, b, tmp_path)
    _edit(a, matching, status="ended", ended_on=date(2022, 3, 31))
    _edit(b, matching, note="2022年度も継続を相談中")
    _both_ways(a, b, tmp_path)
    for services in (a, b):
        row = services.matchings.get(matching)  # type: ignore[arg-type]
        assert (row.status, row.ended_on, row.note) == ("ended", date(2022, 3, 31),
                                                        "2022年度も継続を相談中")
    assert dump_text(a) == dump_text(b)
    assert SyncService(a).conflicts() == [] and SyncService(b).conflicts() == []  # noqa: PT018


def test_the_same_status_edited_on_both_sides_keeps_the_loser(replicas: list[Services],
                                                              tmp_path: Path) -> None:
    a, b, _c = replicas
    matching = _shared_matching(a, b, tmp_path)
    _edit(a, matching, status="ongoing", note="Aのメモ")
    _edit(b, matching, status="ended", ended_on=date(2021, 12, 31), note="Bのメモ")
    _both_ways(a, b, tmp_path)
    assert dump_text(a) == dump_text(b)
    winner = a.matchings.get(matching)  # type: ignore[arg-type]
    assert (winner.status, winner.ended_on, winner.note) == ("ended", date(2021, 12, 31),
                                                             "Bのメモ")
    logged = SyncService(a).conflicts() + SyncService(b).conflicts()
    losers = [entry.loser for entry in logged if entry.table == "matching"]
    # status and its dates lose together (one clock), the note on its own
    assert {"status": "ongoing", "made_on": "2021-06-01", "ended_on": None} in losers
    assert {"note": "Aのメモ"} in losers


def test_a_delete_travels_and_a_restore_brings_it_back(replicas: list[Services],
                                                       tmp_path: Path) -> None:
    a, b, _c = replicas
    matching = _shared_matching(a, b, tmp_path)
    a.matchings.delete(matching)  # type: ignore[arg-type]
    _both_ways(a, b, tmp_path)
    assert b.matchings.count() == 0
    b.matchings.restore(matching)  # type: ignore[arg-type]
    _both_ways(a, b, tmp_path)
    assert a.matchings.count() == 1


def test_the_same_matching_recorded_on_two_pcs_is_one_row(replicas: list[Services],
                                                          tmp_path: Path) -> None:
    a, b, _c = replicas
    town = a.organizations.ensure_municipality("032093").id
    person = a.people.create(PersonDraft(family_name="中村")).id
    exchange(a, b, tmp_path)
    for services in (a, b):
        services.matchings.create(MatchingDraft(kind="internship", person_id=person,
                                                host_id=town, made_on=date(2021, 8, 1)))
    _both_ways(a, b, tmp_path)
    assert a.matchings.count() == b.matchings.count() == 1


def test_a_stage_move_on_each_side_keeps_both_entries(replicas: list[Services],
                                                      tmp_path: Path) -> None:
    a, b, _c = replicas
    club = a.clubs.create(ClubDraft(name="鉾田共創", stage="theme")).id
    exchange(a, b, tmp_path)
    a.stages.move(club, StageMove("matching", date(2021, 7, 1), "カゴメ株式会社"))
    b.stages.move(club, StageMove("planning", date(2021, 9, 1), "施策の案"))
    _both_ways(a, b, tmp_path)
    for services in (a, b):
        history = services.stages.history(club)
        assert [(entry.stage, entry.output) for entry in history] == [
            ("matching", "カゴメ株式会社"), ("planning", "施策の案")]
        assert services.stages.current(club) == "planning"
        assert services.clubs.current_stages({club}) == {club: "planning"}
    assert dump_text(a) == dump_text(b)


def test_moves_on_the_same_day_are_ordered_alike_everywhere(replicas: list[Services],
                                                            tmp_path: Path) -> None:
    a, b, c = replicas
    club = a.clubs.create(ClubDraft(name="鉾田共創")).id
    exchange(a, b, tmp_path, name="1.kankei")
    exchange(a, c, tmp_path, name="2.kankei")
    a.stages.move(club, StageMove("pilot", date(2021, 7, 1)))
    b.stages.move(club, StageMove("evaluation", date(2021, 7, 1)))
    exchange(a, c, tmp_path, name="3.kankei")
    exchange(b, c, tmp_path, name="4.kankei")
    _both_ways(a, b, tmp_path)
    assert a.stages.current(club) == b.stages.current(club) == c.stages.current(club)


def test_tags_and_kpis_made_twice_meet_in_one_row(replicas: list[Services],
                                                  tmp_path: Path) -> None:
    a, b, _c = replicas
    person = a.people.create(PersonDraft(family_name="佐藤")).id
    club = a.clubs.create(ClubDraft(name="クラブ")).id
    exchange(a, b, tmp_path)
    for services, target in ((a, "30"), (b, "40")):
        services.tags.set_tags("person", person, ["高校生"])
        services.kpis.create(KpiDraft("unique_persons", 2021, club_id=club, target=target))
    _both_ways(a, b, tmp_path)
    for services in (a, b):
        assert [tag.name for tag in services.tags.find()] == ["高校生"]
        assert [tag.name for tag in services.tags.tags_of(person)] == ["高校生"]
        [kpi] = services.kpis.find(2021)
        assert kpi.target == "40"
    b.tags.set_tags("person", person, [])
    _both_ways(a, b, tmp_path)
    assert a.tags.tags_of(person) == []


def test_the_dump_holds_the_new_tables(replicas: list[Services], tmp_path: Path) -> None:
    a, b, _c = replicas
    matching = _shared_matching(a, b, tmp_path)
    club = a.clubs.create(ClubDraft(name="クラブ")).id
    a.stages.move(club, StageMove("pilot", date(2021, 7, 1), "実証の結果"))
    a.kpis.create(KpiDraft("manual", 2021, label="視察受入数", target="10", actual="4"))
    a.tags.set_tags("club", club, ["協定先"])
    data = json.loads(dump_text(a))
    assert [row["id"] for row in data["matching"]] == [matching.hex]  # type: ignore[attr-defined]
    assert data["stage_entry"][0]["output"] == "実証の結果"
    assert data["kpi"][0]["label"] == "視察受入数"
    assert data["tag"][0]["name"] == "協定先"
    assert data["tag_link"][0]["target_kind"] == "club"
    _both_ways(a, b, tmp_path)
    assert dump_text(a) == dump_text(b)
