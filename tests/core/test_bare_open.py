"""Opening a file on bare sqlite3 to read it (``core/storage/bare.py``, issue 25): the same
refusals and locks as :func:`open_database`, nothing ever written, and None wherever the usual
opening would change the file (an upgrade, a new replica id, the journal mode)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kankei_desktop.commands.cli import main
from kankei_desktop.core.errors import DatabaseInUseError, KankeiError
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage import revisions
from kankei_desktop.core.storage.bare import open_bare
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.filelock import DatabaseLock, Mode
from kankei_desktop.core.storage.fingerprint import replica_settled
from tests.core.test_database import overwrite_pages, page_of_table, sha256, stamped_revision


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "filled.sqlite3"
    database = open_database(path)
    try:
        services = Services(database)
        for number in range(200):
            services.people.create(PersonDraft(family_name=f"山田{number}",
                                               notes="打ち合わせのメモ" * 20))
    finally:
        database.close()
    return path


def _meta(path: Path) -> dict[str, str]:
    connection = sqlite3.connect(path)
    try:
        return dict(connection.execute("SELECT key, value FROM meta").fetchall())
    finally:
        connection.close()


def _newer(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()


def _text(path: Path) -> None:
    path.write_text("not a database", encoding="utf-8")


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _meta_page(path: Path) -> None:
    page = page_of_table(path, "meta")
    overwrite_pages(path, page, page)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("damage", [_newer, _text, _truncated, _meta_page, _empty])
def test_a_file_refused_there_is_refused_here_with_the_same_sentence(
        filled: Path, damage: Callable[[Path], None]) -> None:
    damage(filled)
    before = sha256(filled)
    with pytest.raises(KankeiError) as usual:
        open_database(filled).close()
    with pytest.raises(KankeiError) as bare:
        open_bare(filled)
    assert (type(bare.value), bare.value.message) == (type(usual.value), usual.value.message)
    assert sha256(filled) == before
    opened = open_database(filled.parent / "other.sqlite3")  # no lock left behind either
    opened.close()


def test_a_folder_is_refused_as_there(tmp_path: Path) -> None:
    with pytest.raises(KankeiError) as usual:
        open_database(tmp_path)
    with pytest.raises(KankeiError) as bare:
        open_bare(tmp_path)
    assert bare.value.message == usual.value.message


def test_reading_never_writes(filled: Path) -> None:
    before = _meta(filled)
    bare = open_bare(filled)
    assert bare is not None
    try:
        with pytest.raises(KankeiError):
            bare.run("INSERT INTO meta (key, value) VALUES ('x', 'y')", {})
        assert len(bare.run("SELECT id FROM person", {})) == 200
    finally:
        bare.close()
    assert _meta(filled) == before
    assert sorted(path.name for path in filled.parent.iterdir()) == [
        "filled.sqlite3", "filled.sqlite3.lock"]  # SQLite's -wal and -shm gone as always


def test_it_holds_the_file_as_a_command_does(filled: Path) -> None:
    """Beside the window and other commands; never beside a copy that needs the file to
    itself; released when closed."""
    window = open_database(filled, mode=Mode.WINDOW)
    try:
        bare = open_bare(filled)
        assert bare is not None
        with pytest.raises(DatabaseInUseError):
            open_database(filled, mode=Mode.EXCLUSIVE)
        bare.close()
    finally:
        window.close()
    holder = DatabaseLock(filled, Mode.EXCLUSIVE)
    holder.acquire()
    try:
        with pytest.raises(DatabaseInUseError):
            open_bare(filled)
    finally:
        holder.release()
    open_database(filled, mode=Mode.EXCLUSIVE).close()


def test_replica_settled_says_whether_opening_would_stamp_the_file(filled: Path,
                                                                   tmp_path: Path) -> None:
    meta = _meta(filled)
    assert replica_settled(meta, filled)
    open_database(filled).close()
    assert _meta(filled) == meta  # settled: the usual opening wrote nothing
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(filled, copy)
    assert not replica_settled(_meta(copy), copy)
    assert open_bare(copy) is None
    assert _meta(copy) == meta  # nothing written by asking
    open_database(copy).close()
    stamped = _meta(copy)
    assert stamped["replica_id"] != meta["replica_id"]
    assert not replica_settled({**stamped, "former_replicas_adopted": ""}, copy)
    assert replica_settled(stamped, copy)


def _older(path: Path) -> str:
    head = revisions.head_revision()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = ?", (revisions.chain()[head],))
    connection.commit()
    connection.close()
    return str(revisions.chain()[head])


def test_a_file_to_upgrade_is_left_to_the_usual_opening(filled: Path) -> None:
    older = _older(filled)
    before = sha256(filled)
    assert open_bare(filled) is None
    assert sha256(filled) == before
    assert stamped_revision(filled) == older


def test_stats_on_a_file_to_upgrade_that_another_copy_holds_says_so(
        filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    older = _older(filled)
    holder = DatabaseLock(filled, Mode.WINDOW)
    holder.acquire()
    set_language("en")
    try:
        assert main(["--db", str(filled), "--lang", "en", "stats", "--fy", "2025"]) == 1
    finally:
        holder.release()
        set_language("ja")
    assert "must be upgraded" in capsys.readouterr().err
    assert stamped_revision(filled) == older  # left as it was
