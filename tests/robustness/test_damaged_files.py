"""Damaged, empty and unwritable database files (issue 23, items 7–9): no write path starts
on a file that fails SQLite's quick check, an empty file is never taken for a new one, and a
full disk or a read-only disk each get their own true sentence."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, suppress
from datetime import date
from pathlib import Path

import pytest

from kankei_desktop.core.errors import DamagedDatabaseError, NotADatabaseError
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage import migration
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.integrity import check_file
from kankei_desktop.sync.service import SyncService

ROOT = Path(__file__).resolve().parents[2]
PAGE = 4096


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KANKEI_LANG="en")
    return subprocess.run([sys.executable, "-m", "kankei_desktop.commands.cli", "--lang", "en",
                           *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=300, check=False)


def one_sentence(err: str) -> bool:
    return bool(err.strip()) and err.strip().count("\n") == 0 and "Traceback" not in err


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """A closed file whose attendance pages (which an import of people never reads) had one
    page overwritten with random bytes, as a failing disk or a bad copy leaves it."""
    path = tmp_path / "damaged.sqlite3"
    services = Services(open_database(path))
    club = services.clubs.create(ClubDraft(name="クラブ"))
    people = [services.people.create(PersonDraft(family_name=f"人{index}"))
              for index in range(60)]
    for day in range(1, 25):
        meeting = services.meetings.create(MeetingDraft(
            club_id=club.id, title=f"第{day}回", date=date(2026, 4, day), status="held"))
        for person in people:
            services.attendance.set(meeting.id, person.id, note="出席の記録" * 5)
    services.database.close()
    with closing(sqlite3.connect(path)) as connection:
        leaves = [row[0] for row in connection.execute(
            "SELECT pageno FROM dbstat WHERE name = 'attendance' AND pagetype = 'leaf' "
            "ORDER BY pageno")]
    assert len(leaves) > 10
    data = bytearray(path.read_bytes())
    page = leaves[len(leaves) // 2]
    rng = random.Random(12)
    data[(page - 1) * PAGE + 8:page * PAGE] = bytes(rng.randrange(256) for _ in range(PAGE - 8))
    path.write_bytes(bytes(data))
    assert not check_file(path).ok
    return path


def test_a_spreadsheet_import_never_starts_on_a_damaged_file(damaged: Path,
                                                              tmp_path: Path) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text("氏名,メール\n新しい 人,new@example.jp\n", encoding="utf-8")
    before = digest(damaged)
    result = cli("--db", str(damaged), "import", str(sheet))
    assert result.returncode == 1
    assert one_sentence(result.stderr), result.stderr
    assert "damaged" in result.stderr
    assert "nothing was imported" in result.stderr
    assert digest(damaged) == before
    assert not (damaged.parent / "backups").exists()  # no damaged copy pushed a good one out


def test_a_bundle_import_never_starts_on_a_damaged_file(damaged: Path, tmp_path: Path) -> None:
    source = Services(open_database(tmp_path / "source.sqlite3"))
    source.people.create(PersonDraft(family_name="同僚"))
    bundle = tmp_path / "b.kankei"
    SyncService(source).export(bundle, passphrase=None)
    source.database.close()
    before = digest(damaged)
    result = cli("--db", str(damaged), "bundle", "import", str(bundle), "--allow-unencrypted")
    assert result.returncode == 1
    assert one_sentence(result.stderr), result.stderr
    assert "damaged" in result.stderr
    assert digest(damaged) == before
    assert not (damaged.parent / "backups").exists()


def test_a_damaged_file_is_not_migrated(damaged: Path) -> None:
    set_language("en")
    with closing(sqlite3.connect(damaged)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?",
                           (migration._script().get_revision(migration.head_revision()).down_revision,))
        connection.commit()
    before = digest(damaged)
    with pytest.raises(DamagedDatabaseError) as refused:
        open_database(damaged)
    assert "upgrade" in refused.value.message or "damaged" in refused.value.message
    assert digest(damaged) == before
    assert not (damaged.parent / "backups").exists()


def test_the_damage_sentence_never_claims_an_unchanged_file_after_a_write(
        damaged: Path) -> None:
    result = cli("--db", str(damaged), "dump")  # reads every table, the damaged one too
    assert result.returncode == 1
    assert one_sentence(result.stderr), result.stderr
    assert "damaged" in result.stderr
    assert "has not been changed" not in result.stderr


# --- item 8: an empty file ----------------------------------------------------------------


def test_an_existing_empty_file_is_refused_not_initialised(tmp_path: Path) -> None:
    set_language("en")
    empty = tmp_path / "copied.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(NotADatabaseError) as refused:
        open_database(empty)
    assert "empty" in refused.value.message
    assert empty.stat().st_size == 0
    result = cli("--db", str(empty), "init")
    assert result.returncode == 1
    assert one_sentence(result.stderr)
    assert empty.stat().st_size == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["copied.sqlite3"]


def test_a_path_that_does_not_exist_is_still_created(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    open_database(path).close()
    assert path.stat().st_size > 0
    assert check_file(path).ok


# --- item 9: disk full, read-only disk ----------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs (skips where mounting is not permitted)."""
    mount_point = tmp_path / "usb"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount_point)],
                            capture_output=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        with suppress(OSError):
            subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_is_reported_as_full_not_as_damage(tiny_disk: Path, tmp_path: Path) -> None:
    db = tiny_disk / "kankei.sqlite3"
    services = Services(open_database(db))
    for index in range(3):
        services.people.create(PersonDraft(family_name=f"人{index}"))
    services.database.close()
    sheet = tmp_path / "people.csv"
    sheet.write_text("氏名,備考\n" + "".join(f"山田 {index},{'メモ' * 2000}\n"
                                           for index in range(300)), encoding="utf-8")
    filler = tiny_disk / "filler.bin"
    before = dump_of(db)
    for room in (2_000_000, 50_000):  # the import fills the disk; the backup cannot be made
        filler.unlink(missing_ok=True)
        filler.write_bytes(b"\0" * max(shutil.disk_usage(tiny_disk).free - room, 0))
        result = cli("--db", str(db), "import", str(sheet))
        assert result.returncode == 1
        assert one_sentence(result.stderr), result.stderr
        assert "full" in result.stderr, result.stderr
        assert "damaged" not in result.stderr
        assert "nothing was lost" in result.stderr or "intact" in result.stderr
    filler.unlink()
    assert check_file(db).ok
    assert dump_of(db) == before


def dump_of(path: Path) -> str:
    services = Services(open_database(path))
    try:
        return SyncService(services).dump()
    finally:
        services.database.close()


def test_check_on_a_read_only_disk_checks_instead_of_calling_it_damaged(
        tiny_disk: Path) -> None:
    db = tiny_disk / "kankei.sqlite3"
    services = Services(open_database(db))
    services.people.create(PersonDraft(family_name="読み取り"))
    services.database.close()
    remount = subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], capture_output=True,
                             check=False)
    if remount.returncode != 0:
        pytest.skip("cannot remount read-only here")
    result = cli("--db", str(db), "check")
    assert "damaged" not in result.stderr + result.stdout
    assert "Restore" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stderr
    assert "No problems" in result.stdout
    result = cli("--db", str(db), "stats", "--fy", "2026")
    assert result.returncode == 1
    assert "read-only" in result.stderr
    assert one_sentence(result.stderr)
