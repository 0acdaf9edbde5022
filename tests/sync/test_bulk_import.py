"""A large bundle is written with the figure triggers and fresh indexes set aside.

The thresholds are lowered so the demo programme takes the bulk path; the result must be
what the row-by-row path gives: the same figures, the same first attendances, and the
triggers and indexes all back. A failure half-way leaves the file as it was.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.figures import triggers
from kankei_desktop.core.services import Services
from kankei_desktop.core.writes import bulk
from kankei_desktop.sync import merge
from kankei_desktop.sync.bundle import BundleError
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.service import SyncService
from tests.sync.helpers import open_replica


def _schema(services: Services) -> list[tuple[str, str, str]]:
    connection = sqlite3.connect(f"{services.database.path.as_uri()}?mode=ro", uri=True)
    try:
        return sorted(connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "AND sql IS NOT NULL"))
    finally:
        connection.close()


def _first_attendance(services: Services) -> list[tuple[str, str, str]]:
    connection = sqlite3.connect(f"{services.database.path.as_uri()}?mode=ro", uri=True)
    try:
        return sorted(connection.execute("SELECT * FROM first_attendance"))
    finally:
        connection.close()


def _recomputed(services: Services) -> list[tuple[str, str, str]]:
    select = triggers.fill_first_dates_statements()[0].split("first_date)", 1)[1]
    connection = sqlite3.connect(f"{services.database.path.as_uri()}?mode=ro", uri=True)
    try:
        return sorted(connection.execute(select))
    finally:
        connection.close()


@pytest.fixture
def demo_bundle(tmp_path: Path) -> tuple[Path, Services]:
    source = open_replica(tmp_path / "source.sqlite3")
    load_demo(source)
    path = tmp_path / "demo.kankei"
    SyncService(source).export(path, passphrase=None, image=False)
    return path, source


def test_a_bulk_import_gives_the_same_figures_and_keeps_triggers_and_indexes(
        demo_bundle: tuple[Path, Services], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path, source = demo_bundle
    monkeypatch.setattr(merge, "BULK_ROWS", 1)
    monkeypatch.setattr(merge, "BULK_TABLE_ROWS", 1)
    suspended = []
    real = bulk.figure_triggers_suspended
    monkeypatch.setattr(bulk, "figure_triggers_suspended",
                        lambda raw: suspended.append(1) or real(raw))
    target = open_replica(tmp_path / "target.sqlite3")
    schema_before = _schema(target)
    SyncService(target).import_(path, None, allow_unencrypted=True)
    assert suspended == [1]  # the bulk path was really taken
    assert _schema(target) == schema_before
    assert _first_attendance(target) == _first_attendance(source) == _recomputed(target)
    assert _first_attendance(target)  # the demo has attendance
    for year in (2019, 2020, 2025):
        assert target.figures.fiscal_year(year) == source.figures.fiscal_year(year)
    assert dump_text(target) == dump_text(source)


def test_the_triggers_work_again_after_a_bulk_import(
        demo_bundle: tuple[Path, Services], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path, _source = demo_bundle
    monkeypatch.setattr(merge, "BULK_ROWS", 1)
    target = open_replica(tmp_path / "target.sqlite3")
    SyncService(target).import_(path, None, allow_unencrypted=True)
    before = target.figures.fiscal_year(2019)
    meeting = target.meetings.find(date_from=before.date_from, date_to=before.date_to,
                                   status="held", limit=1)[0]
    target.meetings.delete(meeting.id)
    after = target.figures.fiscal_year(2019)
    assert after.total.meetings_held == before.total.meetings_held - 1
    assert _first_attendance(target) == _recomputed(target)


def test_a_bulk_import_that_fails_half_way_changes_nothing(
        demo_bundle: tuple[Path, Services], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path, _source = demo_bundle
    monkeypatch.setattr(merge, "BULK_ROWS", 1)
    monkeypatch.setattr(merge, "BULK_TABLE_ROWS", 1)
    target = open_replica(tmp_path / "target.sqlite3")
    schema_before = _schema(target)
    dump_before = dump_text(target)
    real_merge = merge._Merger.merge
    calls = []

    def failing(self: merge._Merger, *args: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise BundleError("simulated failure")
        real_merge(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(merge._Merger, "merge", failing)
    with pytest.raises(BundleError):
        SyncService(target).import_(path, None, allow_unencrypted=True)
    assert _schema(target) == schema_before
    assert dump_text(target) == dump_before


def test_years_kept_before_a_bulk_import_are_filled_again(
        demo_bundle: tuple[Path, Services], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The bulk path sets the triggers aside, so the kept years and first dates must not
    survive it stale: the figures after it equal the sender's and the live computation."""
    from kankei_desktop.core.figures.compute import fiscal_year_figures

    path, source = demo_bundle
    monkeypatch.setattr(merge, "BULK_ROWS", 1)
    target = open_replica(tmp_path / "target.sqlite3")
    years = (2019, 2025, 2026)
    for year in years:  # kept while the file is still empty
        assert target.figures.fiscal_year(year).total.person_times == 0
    SyncService(target).import_(path, None, allow_unencrypted=True)
    for year in years:
        figures = target.figures.fiscal_year(year)
        assert figures == source.figures.fiscal_year(year)
        with target.database.reading() as session:
            assert figures == fiscal_year_figures(session, year, use_kept=False)
    assert target.figures.fiscal_year(2019).total.first_time_persons > 0


def test_small_tables_are_searched_by_index_after_a_bulk_import(
        demo_bundle: tuple[Path, Services], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The field clocks hold a few rows after a full import and grow later: statistics taken
    then must not make every later lookup a scan of the whole table."""
    path, _source = demo_bundle
    monkeypatch.setattr(merge, "BULK_ROWS", 1)
    target = open_replica(tmp_path / "target.sqlite3")
    SyncService(target).import_(path, None, allow_unencrypted=True)
    connection = sqlite3.connect(target.database.path)
    try:
        plan = " ".join(row[3] for row in connection.execute(
            "EXPLAIN QUERY PLAN DELETE FROM sync_field_clock "
            "WHERE table_name = 'person' AND row_id = 'x'"))
        analysed = {row[0] for row in connection.execute("SELECT tbl FROM sqlite_stat1")}
    finally:
        connection.close()
    assert "SCAN" not in plan, plan
    assert "sync_field_clock" not in analysed
