"""Residents' data is readable by its owner only (issue 23, item 15): the database, its
backups, the lock file, the rejected rows of an import and the error log are created 0600 in
0700 folders. Tests run as root, who reads everything: the mode bits are checked directly."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.backup import backup_before, restore_backup
from kankei_desktop.core.storage.crashlog import write_crash_log
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.paths import default_database_path, user_data_dir
from kankei_desktop.imports.importer import analyse, run_import

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX mode bits")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _usual_umask() -> object:
    """The umask most systems have (022): files would be 0644 and folders 0755 by default."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_database_and_its_companions_are_private(tmp_path: Path) -> None:
    path = tmp_path / "kankei.sqlite3"
    database = open_database(path)
    try:
        Services(database).people.create(PersonDraft(family_name="住民"))
        for companion in (path, path.with_name(path.name + "-wal"),
                          path.with_name(path.name + "-shm"),
                          path.with_name(path.name + ".lock")):
            if companion.exists():
                assert mode(companion) == 0o600, companion
    finally:
        database.close()
    assert mode(path) == 0o600


def test_the_default_data_folder_is_private() -> None:
    database = open_database(default_database_path())
    database.close()
    assert mode(user_data_dir()) == 0o700
    assert mode(default_database_path()) == 0o600


def test_backups_are_private_in_a_private_folder(tmp_path: Path) -> None:
    path = tmp_path / "kankei.sqlite3"
    open_database(path).close()
    copy = backup_before(path, "import")
    assert mode(copy) == 0o600
    assert mode(copy.parent) == 0o700
    safety = restore_backup(path, copy)
    assert safety is not None
    assert mode(safety) == 0o600
    assert mode(path) == 0o600  # the restored file too


def test_an_existing_backup_folder_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "kankei.sqlite3"
    open_database(path).close()
    (tmp_path / "backups").mkdir(mode=0o755)
    backup_before(path, "import")
    assert mode(tmp_path / "backups") == 0o700


def test_the_rejected_rows_file_is_private(services: Services, tmp_path: Path) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text("氏名,メール\n山田 太郎,t@example.jp\n佐藤 花子,not-an-address\n",
                     encoding="utf-8")
    summary = run_import(services, analyse(sheet), skip_invalid=True)
    assert summary.rejects_path is not None
    assert mode(summary.rejects_path) == 0o600
    summary.rejects_path.chmod(0o644)  # left from an earlier version: rewritten private
    summary = run_import(services, analyse(sheet), skip_invalid=True)
    assert summary.rejects_path is not None
    assert mode(summary.rejects_path) == 0o600


def test_the_error_log_is_private() -> None:
    log = write_crash_log(RuntimeError("試験"))
    assert mode(log) == 0o600
    assert mode(log.parent) == 0o700
