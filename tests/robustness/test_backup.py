"""Backups: consistent copies, rotation (last 10 + one per month), daily copy, restore."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage import backup
from kankei_desktop.core.storage.backup import (
    BackupCounts,
    RestoreError,
    backup_before,
    daily_backup,
    list_backups,
    restore_backup,
    rotate,
)
from kankei_desktop.core.storage.database import open_database
from tests.robustness.helpers import add_people, people_names


@pytest.fixture
def filled(db_path: Path) -> Path:
    """A closed file holding three people."""
    database = open_database(db_path)
    add_people(Services(database), 3)
    database.close()
    return db_path


def test_backup_is_a_consistent_standalone_copy_with_counts(filled: Path) -> None:
    copy = backup_before(filled, "import")

    assert copy.parent == filled.parent / "backups"
    assert copy.name.startswith("kankei-")
    assert copy.name.endswith("-import.sqlite3")
    assert people_names(copy) == people_names(filled)
    assert not list(copy.parent.glob("*-wal")), "a backup must be one self-contained file"
    [info] = list_backups(filled)
    assert info.path == copy
    assert info.reason == "import"
    assert info.counts == BackupCounts(people=3, sessions=0, attendance=0)


def test_backup_of_a_file_in_use_includes_committed_rows(db_path: Path) -> None:
    database = open_database(db_path)
    try:
        add_people(Services(database), 2)  # committed, possibly still only in the WAL
        copy = backup_before(db_path, "bundle-import")
    finally:
        database.close()
    assert people_names(copy) == {"試験0", "試験1"}


def test_rotation_keeps_last_ten_and_newest_of_each_month(filled: Path) -> None:
    start = datetime(2025, 1, 1, 9, 0)
    taken = [start + timedelta(days=3 * n) for n in range(60)]  # Jan 2025 → Jun 2025
    for moment in taken:
        backup_before(filled, "daily", now=moment)

    kept = sorted(info.taken_at for info in list_backups(filled, with_counts=False))

    newest_ten = taken[-10:]
    newest_per_month = {}
    for moment in taken:
        newest_per_month[(moment.year, moment.month)] = moment
    assert kept == sorted(set(newest_ten) | set(newest_per_month.values()))
    assert len(newest_per_month) == 6
    assert len(kept) < len(taken)


def test_rotation_ignores_other_files_and_removes_partial_copies(filled: Path) -> None:
    folder = filled.parent / "backups"
    for n in range(12):
        backup_before(filled, "import", now=datetime(2025, 3, 1) + timedelta(minutes=n))
    other = folder / "other-20200101-000000-000000-daily.sqlite3"
    other.write_bytes(b"not ours")
    note = folder / "README.txt"
    note.write_text("keep me")
    partial = folder / "kankei-20250301-000000-000000-import.sqlite3.partial"
    partial.write_bytes(b"half")

    rotate(filled)

    assert other.exists()
    assert note.exists()
    assert not partial.exists()
    assert len(list_backups(filled, with_counts=False)) == 10


def test_daily_backup_happens_once_per_day(filled: Path) -> None:
    morning = datetime(2025, 6, 2, 8, 30)

    first = daily_backup(filled, now=morning)
    again = daily_backup(filled, now=morning + timedelta(hours=9))
    next_day = daily_backup(filled, now=morning + timedelta(days=1))

    assert first is not None
    assert first.exists()
    assert again is None
    assert next_day is not None
    assert next_day != first
    assert [info.reason for info in list_backups(filled)] == ["daily", "daily"]


def test_daily_backup_counts_other_backups_of_the_day(filled: Path) -> None:
    backup_before(filled, "import", now=datetime(2025, 6, 2, 7, 0))
    assert daily_backup(filled, now=datetime(2025, 6, 2, 18, 0)) is None


def test_daily_backup_skips_a_missing_file_and_never_raises(
    tmp_path: Path, filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert daily_backup(tmp_path / "missing.sqlite3") is None

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_copy_database", disk_full)
    assert daily_backup(filled) is None


def test_restore_replaces_the_file_and_keeps_the_current_state(filled: Path) -> None:
    chosen = backup_before(filled, "import", now=datetime(2025, 1, 1))
    database = open_database(filled)
    add_people(Services(database), 2, prefix="後から")
    database.close()
    current = people_names(filled)

    safety = restore_backup(filled, chosen)

    assert people_names(filled) == {"試験0", "試験1", "試験2"}
    assert safety is not None
    assert safety.name.endswith("-before-restore.sqlite3")
    assert people_names(safety) == current
    assert chosen.exists(), "the restored copy stays available"
    reopened = open_database(filled)
    try:
        assert Services(reopened).people.count() == 3
    finally:
        reopened.close()


def test_restore_with_uncheckpointed_wal_loses_nothing(filled: Path) -> None:
    chosen = backup_before(filled, "import", now=datetime(2025, 1, 1))
    connection = sqlite3.connect(filled)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute("UPDATE person SET family_name = '変更後' WHERE family_name = '試験0'")
    connection.commit()
    wal = filled.with_name(filled.name + "-wal")
    assert wal.exists()
    # Leave the WAL behind as a crash would: copy the files while the connection is open.
    snapshot = {path: path.read_bytes() for path in (filled, wal)}
    connection.close()
    for path, content in snapshot.items():
        path.write_bytes(content)

    safety = restore_backup(filled, chosen)

    assert safety is not None
    assert "変更後" in people_names(safety)
    assert people_names(filled) == {"試験0", "試験1", "試験2"}
    assert not wal.exists()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(filled: Path) -> None:
    bad = filled.parent / "backups" / "kankei-20250101-000000-000000-import.sqlite3"
    bad.parent.mkdir(exist_ok=True)
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    before = filled.read_bytes()

    with pytest.raises(RestoreError) as caught:
        restore_backup(filled, bad)

    assert caught.value.message
    assert filled.read_bytes() == before
    assert not list(filled.parent.glob(".*restoring"))


def test_restore_refused_while_the_file_is_open(filled: Path) -> None:
    chosen = backup_before(filled, "import")
    database = open_database(filled)
    try:
        with pytest.raises(RestoreError):
            restore_backup(filled, chosen)
    finally:
        database.close()


def test_restore_failing_midway_leaves_the_current_file(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = backup_before(filled, "import", now=datetime(2025, 1, 1))
    before = people_names(filled)

    real_replace = os.replace

    def refuse_final_step(source: Path, target: Path) -> None:
        if Path(target) == filled.resolve():
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(backup.os, "replace", refuse_final_step)
    with pytest.raises(RestoreError):
        restore_backup(filled, chosen)
    monkeypatch.undo()

    assert people_names(filled) == before
    assert not list(filled.parent.glob(".*restoring"))
    reasons = [info.reason for info in list_backups(filled, with_counts=False)]
    assert "before-restore" in reasons
