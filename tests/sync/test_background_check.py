"""A large bundle is checked in a child process while it is written.

The rows go into the open transaction before the check has finished; the commit waits for
the verdict. A refused bundle must leave the file exactly as it was, with the check's own
sentence, and SQLite's foreign-key enforcement (switched off for the write, every reference
being checked against the bundle and the file instead) must be back on afterwards.
The thresholds are lowered so the demo programme and small bundles take this path.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kankei_desktop.core.clock import wall_clock_ms
from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.i18n import current_language, set_language
from kankei_desktop.core.models import SYNCED_MODELS
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.integrity import check_file
from kankei_desktop.sync import background_check, merge
from kankei_desktop.sync.background_check import BackgroundCheck
from kankei_desktop.sync.bundle import BundleError, open_bundle, write_bundle
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.schema import spec_by_name
from kankei_desktop.sync.service import SyncService
from tests.sync.helpers import full_state, open_replica


@pytest.fixture
def large_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every import with rows takes the background-check and bulk paths."""
    monkeypatch.setattr(merge, "PARALLEL_ROWS", 1)
    monkeypatch.setattr(merge, "BULK_ROWS", 1)
    monkeypatch.setattr(merge, "BULK_TABLE_ROWS", 1)


@pytest.fixture
def demo_bundle(tmp_path: Path) -> tuple[Path, Services]:
    source = open_replica(tmp_path / "source.sqlite3")
    load_demo(source)
    path = tmp_path / "demo.kankei"
    SyncService(source).export(path, passphrase="試験用の合言葉です", image=False)
    return path, source


def _rewritten(path: Path, passphrase: str | None, target: Path,
               change: Any) -> Path:
    """The bundle at ``path`` with its rows changed by ``change(table, row)``."""
    opened = open_bundle(path, passphrase)
    items = [json.loads(line) for line in opened.lines()]
    table = ""
    for item in items:
        if isinstance(item, dict):
            table = item["table"]
            continue
        for row in item:
            change(table, row)
    manifest = {key: value for key, value in opened.manifest.items()
                if key not in ("payload_plain_bytes", "payload_sha256", "encryption")}
    write_bundle(target, manifest, [json.dumps(item, ensure_ascii=False).encode()
                                    for item in items], None)
    return target


def _foreign_keys_everywhere(services: Services) -> set[int]:
    """PRAGMA foreign_keys on every connection the pool hands out (several at once)."""
    sessions = [services.database.read() for _ in range(3)]
    try:
        return {session.connection().connection.driver_connection.execute(
            "PRAGMA foreign_keys").fetchone()[0] for session in sessions}
    finally:
        for session in sessions:
            session.close()


def test_a_large_bundle_checked_in_a_child_gives_the_same_data(
        demo_bundle: tuple[Path, Services], tmp_path: Path, large_path: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path, source = demo_bundle
    checks: list[BackgroundCheck] = []
    real = merge.BackgroundCheck

    def remembered(*args: Any, **kwargs: Any) -> BackgroundCheck:
        checks.append(real(*args, **kwargs))
        return checks[-1]

    monkeypatch.setattr(merge, "BackgroundCheck", remembered)
    target = open_replica(tmp_path / "target.sqlite3")
    report = SyncService(target).import_(path, "試験用の合言葉です")
    assert [check.ran_in_child for check in checks] == [True]
    assert dump_text(target) == dump_text(source)
    assert report.total("new") == sum(
        open_bundle(path, "試験用の合言葉です").manifest["counts"].values())
    assert _foreign_keys_everywhere(target) == {1}
    assert check_file(target.database.path).ok
    for year in (2019, 2025):
        assert target.figures.fiscal_year(year) == source.figures.fiscal_year(year)


def test_a_wrong_row_found_by_the_child_changes_nothing(
        demo_bundle: tuple[Path, Services], tmp_path: Path, large_path: None) -> None:
    path, _source = demo_bundle
    people = spec_by_name()["person"]
    position = 5 + people.field_names.index("family_name")

    done: list[int] = []

    def too_long_name(table: str, row: list[Any]) -> None:
        if table == "person" and not done:
            row[position] = "佐" * 5000  # SQLite would store it; the check refuses it
            done.append(1)

    bad = _rewritten(path, "試験用の合言葉です", tmp_path / "bad.kankei", too_long_name)
    target = open_replica(tmp_path / "target.sqlite3")
    target.people.create(PersonDraft(family_name="既存"))
    before = full_state(target)
    with pytest.raises(BundleError, match="person"):
        SyncService(target).import_(bad, None, allow_unencrypted=True)
    assert full_state(target) == before
    assert _foreign_keys_everywhere(target) == {1}


def test_a_reference_to_nobody_is_refused_although_sqlite_does_not_check_it(
        demo_bundle: tuple[Path, Services], tmp_path: Path, large_path: None) -> None:
    path, _source = demo_bundle
    position = 5 + spec_by_name()["person"].field_names.index("organization_id")
    done: list[int] = []

    def dangling(table: str, row: list[Any]) -> None:
        if table == "person" and not done:
            row[position] = "e" * 32  # an organisation nobody has; the row is well formed
            done.append(1)

    bad = _rewritten(path, "試験用の合言葉です", tmp_path / "bad.kankei", dangling)
    target = open_replica(tmp_path / "target.sqlite3")
    before = dump_text(target)
    with pytest.raises(BundleError, match="organization"):
        SyncService(target).import_(bad, None, allow_unencrypted=True)
    assert dump_text(target) == before
    assert check_file(target.database.path).ok


def test_the_refusal_from_the_child_is_in_the_users_language(
        demo_bundle: tuple[Path, Services], tmp_path: Path, large_path: None) -> None:
    path, _source = demo_bundle

    def negative_length(table: str, row: list[Any]) -> None:
        if table == "club":
            row[2] = -1

    bad = _rewritten(path, "試験用の合言葉です", tmp_path / "bad.kankei", negative_length)
    target = open_replica(tmp_path / "target.sqlite3")
    previous = current_language()
    set_language("ja")
    try:
        with pytest.raises(BundleError) as refused:
            SyncService(target).import_(bad, None, allow_unencrypted=True)
    finally:
        set_language(previous)
    assert "club" in refused.value.message
    assert "変更" in refused.value.message  # 「…何も変更していません」


def test_without_a_second_process_the_check_runs_here_before_the_commit(
        demo_bundle: tuple[Path, Services], tmp_path: Path, large_path: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path, source = demo_bundle

    class NoProcesses:
        def Pipe(self, duplex: bool) -> Any:
            return __import__("multiprocessing").Pipe(duplex)

        def Process(self, **_kwargs: Any) -> Any:
            raise OSError("no more processes")

    monkeypatch.setattr(background_check.multiprocessing, "get_context",
                        lambda _method: NoProcesses())
    target = open_replica(tmp_path / "target.sqlite3")
    SyncService(target).import_(path, "試験用の合言葉です")
    assert dump_text(target) == dump_text(source)


def test_sqlite_foreign_keys_and_the_sync_references_agree() -> None:
    """FK enforcement is off during a bulk import because the check looks up every
    reference the schema declares; that holds only while the two lists are the same."""
    for model in SYNCED_MODELS:
        table = model.__table__
        declared = {(key.parent.name, key.column.table.name)
                    for key in table.foreign_keys}  # type: ignore[attr-defined]
        spec = spec_by_name()[table.name]  # type: ignore[attr-defined]
        checked = {(column.name, column.references) for column in spec.columns
                   if column.references is not None}
        assert declared == checked, table.name  # type: ignore[attr-defined]


def test_damaged_rows_written_before_the_check_are_all_rolled_back(
        demo_bundle: tuple[Path, Services], tmp_path: Path, large_path: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each kind of wrong row, checked here after the rows were written (so no process is
    started per case): refused, and the receiver's data and schema exactly as before."""
    path, _source = demo_bundle
    monkeypatch.setattr(merge, "BackgroundCheck",
                        functools.partial(BackgroundCheck, in_child=False))
    target = open_replica(tmp_path / "target.sqlite3")
    target.people.create(PersonDraft(family_name="既存"))
    before = full_state(target)
    connection = sqlite3.connect(target.database.path)
    schema = sorted(connection.execute("SELECT type, name, sql FROM sqlite_master"))
    connection.close()
    people = spec_by_name()["person"]
    damages = {
        "id not hex": lambda row: row.__setitem__(0, "X" * 32),
        "clock in the future": lambda row: row.__setitem__(
            1, f"{wall_clock_ms() + 10 * 86_400_000:013d}-00000-{'a' * 32}"),
        "text for a number": lambda row: row.__setitem__(2, "1"),
        "deleted without a time": lambda row: row.__setitem__(2, 2),
        "clocks not an object": lambda row: row.__setitem__(4, ["x"]),
        "row too short": lambda row: row.pop(),
        "row too long": lambda row: row.append("extra"),
        "object for a name": lambda row: row.__setitem__(
            5 + people.field_names.index("family_name"), {"a": 1}),
    }
    for name, damage in damages.items():
        done: list[int] = []

        def once(table: str, row: list[Any], damage: Any = damage, done: list[int] = done
                 ) -> None:
            if table == "person" and len(done) < 1:
                damage(row)
                done.append(1)

        bad = _rewritten(path, "試験用の合言葉です", tmp_path / f"{len(done)}.kankei", once)
        with pytest.raises(BundleError):
            SyncService(target).import_(bad, None, allow_unencrypted=True)
        assert full_state(target) == before, name
    connection = sqlite3.connect(target.database.path)
    assert sorted(connection.execute("SELECT type, name, sql FROM sqlite_master")) == schema
    connection.close()
    assert _foreign_keys_everywhere(target) == {1}
