"""Migration 0009_outcomes: a file of the previous version keeps its club targets, now as KPI
rows that two replicas upgrading the same data create identically."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage import migration
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.writes.natural_ids import kpi_measure_uuid

STAMP = "2026-01-01 00:00:00.000000"


def _old_file(path: Path, club: uuid.UUID) -> None:
    """A file at 0008_figure_rule with a club and its targets of two years (one deleted)."""
    engine = create_engine(f"sqlite:///{path}")
    config = migration.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0008_figure_rule")
    engine.dispose()
    replica = uuid.uuid4().hex
    db = sqlite3.connect(path)
    common = f"'{STAMP}', '{STAMP}', '{replica}', '1767225600000-00000-{replica}'"
    db.execute("INSERT INTO club (id, name, reading, host_municipality_id, theme, start_date, "
               "end_date, stage, coordinator_id, notes, search_key, sort_key, created_at, "
               "updated_at, replica_id, hlc, deleted_at, causal_length) VALUES "
               f"(?, 'クラブ', '', NULL, '', NULL, NULL, 'theme', NULL, '', '', '', {common}, "
               "NULL, 1)", (club.hex,))
    for year, values, gone in ((2021, (12, None, 30), None), (2022, (5, 50, None), STAMP)):
        db.execute("INSERT INTO kpi_target (id, club_id, fiscal_year, target_meetings, "
                   "target_person_times, target_unique_persons, notes, created_at, updated_at, "
                   "replica_id, hlc, deleted_at, causal_length) VALUES "
                   f"(?, ?, ?, ?, ?, ?, '各市2回以上', {common}, ?, ?)",
                   (uuid.uuid4().hex, club.hex, year, *values, gone, 2 if gone else 1))
    db.commit()
    db.close()


def test_club_targets_become_kpis(tmp_path: Path) -> None:
    club = uuid.uuid4()
    path = tmp_path / "old.sqlite3"
    _old_file(path, club)
    database = open_database(path)
    try:
        assert database.migrated_from == "0008_figure_rule"
        services = Services(database)
        [target] = services.clubs.targets(club)
        assert (target.fiscal_year, target.target_meetings, target.target_person_times,
                target.target_unique_persons, target.notes) == (2021, 12, None, 30, "各市2回以上")
        rows = {(row.fiscal_year, row.measure): row for row in services.kpis.find()}
        assert set(rows) == {(2021, "meetings_held"), (2021, "unique_persons")}
        assert rows[(2021, "meetings_held")].id == kpi_measure_uuid(club, 2021, "meetings_held")
        assert rows[(2021, "unique_persons")].notes == ""  # the shared remark once
        deleted = services.kpis.find(2022, deleted=True)
        assert {row.measure for row in deleted} == {"meetings_held", "person_times"}
        assert all(row.causal_length == 2 for row in deleted)
    finally:
        database.close()


def test_two_replicas_upgrading_the_same_data_agree(tmp_path: Path) -> None:
    club = uuid.uuid4()
    dumps = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.sqlite3"
        _old_file(path, club)
        database = open_database(path)
        try:
            dumps.append(sorted(
                (row.id, row.measure, row.target) for row in Services(database).kpis.find()))
        finally:
            database.close()
    assert dumps[0] == dumps[1]
