"""A read-only file or a full disk while saving: a sentence, and the last saved state intact.

Tests run as root, for whom ``chmod`` stops nothing. The read-only case therefore uses the
immutable attribute (``chattr +i``), which binds root too, and SQLite's ``query_only``; the
disk-full case uses a tiny tmpfs when mounting is allowed, and SQLite's ``max_page_count``
(the same SQLITE_FULL error the disk gives) everywhere.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from sqlalchemy import event

from kankei_desktop.core.errors import KankeiError, ReadOnlyLocationError
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import Database, open_database
from kankei_desktop.core.storage.integrity import check_file
from tests.robustness.helpers import add_people, people_names

BIG_NOTE = "記録" * 5_000  # about 30 kB of UTF-8 per person (the longest note accepted)


def with_pragma(database: Database, pragma: str) -> None:
    """Every new connection of ``database`` runs ``pragma``; pooled ones are dropped."""

    @event.listens_for(database.engine, "connect")
    def _apply(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(pragma)

    database.engine.dispose()


def save_person(database: Database, name: str, notes: str = "") -> None:
    Services(database).people.create(PersonDraft(family_name=name, notes=notes))


def save_until_refused(database: Database) -> None:
    """Save large records until the file or the disk is full (at most 200)."""
    for number in range(200):
        save_person(database, f"大きい{number}", BIG_NOTE)


def assert_sentence(message: str) -> None:
    assert message.strip()
    assert "Traceback" not in message
    assert "sqlite3." not in message


# --- read-only ---------------------------------------------------------------------------


def test_query_only_connection_refuses_with_a_read_only_sentence(db_path: Path) -> None:
    database = open_database(db_path)
    try:
        add_people(Services(database), 2)
        with_pragma(database, "PRAGMA query_only=ON")
        with pytest.raises(ReadOnlyLocationError) as caught:
            save_person(database, "保存できない")
        assert_sentence(caught.value.message)
    finally:
        database.close()
    assert people_names(db_path) == {"試験0", "試験1"}


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """``chattr +i`` on ``paths`` (skips the test where the attribute is unavailable)."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    done: list[Path] = []
    try:
        for path in paths:
            result = subprocess.run(["chattr", "+i", str(path)], capture_output=True,
                                    check=False)
            if result.returncode != 0:
                pytest.skip(f"chattr +i not permitted here: {result.stderr.decode().strip()}")
            done.append(path)
        yield
    finally:
        for path in done:
            subprocess.run(["chattr", "-i", str(path)], check=False)


def test_file_made_read_only_while_open_gives_a_sentence_and_keeps_saved_state(
    db_path: Path,
) -> None:
    database = open_database(db_path)
    try:
        add_people(Services(database), 3)
        database.engine.dispose()  # the next save opens the file afresh, as after a restart
        companions = [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm")]
        with immutable(db_path, *[path for path in companions if path.exists()]):
            with pytest.raises(KankeiError) as caught:
                save_person(database, "保存できない")
            assert_sentence(caught.value.message)
            assert isinstance(caught.value, ReadOnlyLocationError), caught.value.message
    finally:
        database.close()
    assert people_names(db_path) == {"試験0", "試験1", "試験2"}
    assert check_file(db_path).ok


def test_read_only_file_is_refused_at_open_even_for_root(db_path: Path) -> None:
    open_database(db_path).close()
    with immutable(db_path), pytest.raises(ReadOnlyLocationError) as caught:
        open_database(db_path)
    assert_sentence(caught.value.message)


# --- disk full ---------------------------------------------------------------------------


def test_page_limit_reached_gives_the_disk_full_sentence_and_keeps_saved_state(
    db_path: Path,
) -> None:
    database = open_database(db_path)
    try:
        add_people(Services(database), 2)
        with database.engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
        with_pragma(database, f"PRAGMA max_page_count={pages + 8}")
        with pytest.raises(KankeiError) as caught:
            save_until_refused(database)
        assert_sentence(caught.value.message)
        assert "full" in caught.value.message or "容量" in caught.value.message
        saved = people_names(db_path)
    finally:
        database.close()
    assert {"試験0", "試験1"} <= saved
    reopened = open_database(db_path)
    try:
        assert Services(reopened).people.count() == len(saved)
    finally:
        reopened.close()
    assert check_file(db_path).ok


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


def test_real_full_disk_gives_a_sentence_and_keeps_saved_state(tiny_disk: Path) -> None:
    db_path = tiny_disk / "kankei.sqlite3"
    database = open_database(db_path)
    filler = tiny_disk / "filler.bin"
    try:
        add_people(Services(database), 3)
        free = shutil.disk_usage(tiny_disk).free
        filler.write_bytes(b"\0" * max(free - 200_000, 0))
        with pytest.raises(KankeiError) as caught:
            save_until_refused(database)
        assert_sentence(caught.value.message)
        saved = people_names(db_path)
    finally:
        filler.unlink(missing_ok=True)  # space again, as after the user freed some
        database.close()
    assert {"試験0", "試験1", "試験2"} <= saved
    reopened = open_database(db_path)
    try:
        assert Services(reopened).people.count() == len(saved)
        save_person(reopened, "空きができた")  # works again once there is space
    finally:
        reopened.close()
    assert check_file(db_path).ok
