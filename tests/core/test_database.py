"""Opening database files: migrations, replica id, refusing bad files, locks and journal modes."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from kankei_desktop.core.errors import (
    DamagedDatabaseError,
    DatabaseInUseError,
    DatabaseOpenError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyLocationError,
)
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.models import Base
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage import migration, revisions
from kankei_desktop.core.storage.database import Database, open_database, read_meta
from kankei_desktop.core.storage.filelock import DatabaseLock, Mode

PAGE_SIZE = 4096
SENTENCE_ENDINGS = tuple(".。!！?？)）」")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_sentence(message: str) -> None:
    """A message for the user: a whole sentence, not a code or a traceback."""
    assert message.strip(), "empty message"
    assert len(message.strip()) >= 10, message
    assert message.rstrip().endswith(SENTENCE_ENDINGS), message
    assert "Traceback" not in message
    assert "[SQL:" not in message


def table_names(path: Path) -> set[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    finally:
        connection.close()


def stamped_revision(path: Path) -> str | None:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def pragma(database: Database, name: str) -> object:
    with database.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


@pytest.fixture
def filled_db_path(tmp_path: Path) -> Path:
    """A closed database file with enough people to span many pages."""
    path = tmp_path / "filled.sqlite3"
    database = open_database(path)
    try:
        services = Services(database)
        for number in range(300):
            services.people.create(
                PersonDraft(
                    family_name=f"山田{number}",
                    family_reading="やまだ",
                    notes="打ち合わせのメモ" * 20,
                )
            )
    finally:
        database.close()
    return path


def highest_root_page(path: Path) -> int:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT max(rootpage) FROM sqlite_master").fetchone()[0])
    finally:
        connection.close()


def overwrite_pages(path: Path, first_page: int, last_page: int) -> None:
    """Write garbage over pages ``first_page`` … ``last_page`` (1-based, inclusive)."""
    data = bytearray(path.read_bytes())
    start, end = (first_page - 1) * PAGE_SIZE, last_page * PAGE_SIZE
    assert end <= len(data)
    data[start:end] = b"\xde\xad\xbe\xef" * ((end - start) // 4)
    path.write_bytes(bytes(data))


def page_of_table(path: Path, table: str) -> int:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE type='table' AND name=?", (table,)
        ).fetchone()
    finally:
        connection.close()
    return int(row[0])


# --- creation and migrations -----------------------------------------------------------------


def test_fresh_file_gets_every_table_and_the_head_revision(db_path: Path) -> None:
    database = open_database(db_path)
    database.close()

    assert table_names(db_path) == set(Base.metadata.tables) | {"alembic_version"}
    assert stamped_revision(db_path) == migration.head_revision()


def test_fresh_file_is_not_backed_up_and_not_reported_as_migrated(db_path: Path) -> None:
    database = open_database(db_path)
    database.close()

    assert database.migrated_from is None
    assert database.backup_path is None
    assert not (db_path.parent / "backups").exists()


def test_opening_an_up_to_date_file_again_does_not_migrate(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(db_path).close()
    before = sha256(db_path)

    def no_upgrade(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an up-to-date file must not be migrated")

    monkeypatch.setattr(migration, "upgrade", no_upgrade)
    database = open_database(db_path)
    database.close()

    assert database.migrated_from is None
    assert database.backup_path is None
    assert not (db_path.parent / "backups").exists()
    assert stamped_revision(db_path) == migration.head_revision()
    assert sha256(db_path) == before


def test_replica_id_is_stable_across_opens(db_path: Path) -> None:
    first = open_database(db_path)
    replica = first.replica_id
    assert read_meta(first, "replica_id") == str(replica)
    first.close()

    second = open_database(db_path)
    try:
        assert second.replica_id == replica
    finally:
        second.close()


def test_each_new_file_is_its_own_replica(tmp_path: Path) -> None:
    one = open_database(tmp_path / "one.sqlite3")
    two = open_database(tmp_path / "two.sqlite3")
    try:
        assert isinstance(one.replica_id, uuid.UUID)
        assert one.replica_id != two.replica_id
    finally:
        one.close()
        two.close()


def test_data_survives_close_and_reopen(db_path: Path) -> None:
    database = open_database(db_path)
    person = Services(database).people.create(PersonDraft(family_name="山田"))
    database.close()

    again = open_database(db_path)
    try:
        assert Services(again).people.get(person.id).family_name == "山田"
    finally:
        again.close()


# --- files that are refused, unchanged --------------------------------------------------------


def test_text_file_named_sqlite3_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite3"
    path.write_text("会議メモ\n来週の予定を確認する。\n" * 50, encoding="utf-8")
    before = sha256(path)

    with pytest.raises(NotADatabaseError) as caught:
        open_database(path)

    assert_sentence(str(caught.value))
    assert sha256(path) == before


def test_foreign_sqlite_file_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other-program.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)")
    connection.execute("INSERT INTO invoices (amount) VALUES (1000), (2500)")
    connection.commit()
    connection.close()
    before = sha256(path)

    with pytest.raises(NotADatabaseError) as caught:
        open_database(path)

    assert_sentence(str(caught.value))
    assert sha256(path) == before
    assert table_names(path) == {"invoices"}


def test_folder_path_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data.sqlite3"
    folder.mkdir()

    with pytest.raises(NotADatabaseError) as caught:
        open_database(folder)

    assert_sentence(str(caught.value))
    assert folder.is_dir()
    assert list(folder.iterdir()) == []


def test_missing_file_without_create_is_refused(db_path: Path) -> None:
    with pytest.raises(NotADatabaseError) as caught:
        open_database(db_path, create=False)

    assert_sentence(str(caught.value))
    assert not db_path.exists()


def test_file_from_a_newer_version_is_refused_unchanged(db_path: Path) -> None:
    open_database(db_path).close()
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    before = sha256(db_path)

    with pytest.raises(NewerDatabaseError) as caught:
        open_database(db_path)

    assert_sentence(str(caught.value))
    assert sha256(db_path) == before
    assert stamped_revision(db_path) == "9999_future"
    assert not (db_path.parent / "backups").exists()


def test_refusing_a_file_leaves_no_new_files_beside_it(db_path: Path) -> None:
    open_database(db_path).close()
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    before = sorted(path.name for path in db_path.parent.iterdir())

    with pytest.raises(NewerDatabaseError):
        open_database(db_path)

    assert sorted(path.name for path in db_path.parent.iterdir()) == before


def test_broken_header_is_not_a_database(filled_db_path: Path) -> None:
    data = bytearray(filled_db_path.read_bytes())
    data[0:100] = b"\x00" * 100
    filled_db_path.write_bytes(bytes(data))
    before = sha256(filled_db_path)

    with pytest.raises(NotADatabaseError) as caught:
        open_database(filled_db_path)

    assert_sentence(str(caught.value))
    assert sha256(filled_db_path) == before


def test_truncated_database_is_reported_damaged_on_open(filled_db_path: Path) -> None:
    data = filled_db_path.read_bytes()
    filled_db_path.write_bytes(data[: len(data) // 2])
    before = sha256(filled_db_path)

    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(filled_db_path)

    assert_sentence(str(caught.value))
    assert sha256(filled_db_path) == before


def test_damaged_schema_version_page_is_reported_damaged_on_open(filled_db_path: Path) -> None:
    page = page_of_table(filled_db_path, "alembic_version")
    overwrite_pages(filled_db_path, page, page)
    before = sha256(filled_db_path)

    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(filled_db_path)

    assert_sentence(str(caught.value))
    assert sha256(filled_db_path) == before


def test_damaged_meta_page_is_reported_damaged_on_open(filled_db_path: Path) -> None:
    page = page_of_table(filled_db_path, "meta")
    overwrite_pages(filled_db_path, page, page)
    before = sha256(filled_db_path)

    try:
        open_database(filled_db_path).close()
    except DamagedDatabaseError as exc:
        assert_sentence(str(exc))
    else:  # pragma: no cover - the damage must be noticed
        pytest.fail("a database whose meta table is garbage was opened")
    assert sha256(filled_db_path) == before


def test_garbage_over_middle_pages_is_reported_damaged(filled_db_path: Path) -> None:
    pages = filled_db_path.stat().st_size // PAGE_SIZE
    first = max(highest_root_page(filled_db_path) + 1, pages // 2)
    last = pages * 3 // 4
    assert last > first
    overwrite_pages(filled_db_path, first, last)
    before = sha256(filled_db_path)

    # Found out: the open itself succeeds for this kind of damage; either way, the user must
    # get DamagedDatabaseError (a sentence) and never a raw SQLAlchemy error.
    try:
        database = open_database(filled_db_path)
    except DamagedDatabaseError as exc:
        assert_sentence(str(exc))
    else:
        try:
            with pytest.raises(DamagedDatabaseError) as caught:
                Services(database).people.find()
            assert_sentence(str(caught.value))
        finally:
            database.close()
    assert sha256(filled_db_path) == before


# --- where the file lives and who has it open ---------------------------------------------------


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: folder permissions are not enforced (see the os.access test)",
)
def test_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ReadOnlyLocationError) as caught:
            open_database(folder / "kankei.sqlite3")
        assert_sentence(str(caught.value))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: file permissions are not enforced",
)
def test_read_only_existing_file_is_refused_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    path = folder / "kankei.sqlite3"
    open_database(path).close()
    before = sha256(path)
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        with pytest.raises(ReadOnlyLocationError) as caught:
            open_database(path)
        assert_sentence(str(caught.value))
        assert sha256(path) == before
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_folder_that_cannot_be_written_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same check with the permission answer simulated (root ignores chmod)."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    real_access = os.access

    def access(path: os.PathLike[str] | str, mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(path) == folder:
            return False
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)

    with pytest.raises(ReadOnlyLocationError) as caught:
        open_database(folder / "kankei.sqlite3")

    assert_sentence(str(caught.value))
    assert not (folder / "kankei.sqlite3").exists()


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "kankei.sqlite3"

    with pytest.raises(DatabaseOpenError) as caught:
        open_database(path)

    assert isinstance(caught.value, ReadOnlyLocationError)
    assert_sentence(str(caught.value))
    assert not path.parent.exists()


def test_second_window_while_first_is_open_is_refused(db_path: Path) -> None:
    first = open_database(db_path, mode=Mode.WINDOW)
    try:
        with pytest.raises(DatabaseInUseError) as caught:
            open_database(db_path, mode=Mode.WINDOW)
        assert_sentence(str(caught.value))
        with pytest.raises(DatabaseInUseError):  # nor may anything have it to itself
            open_database(db_path, mode=Mode.EXCLUSIVE)
        # the first copy keeps working
        Services(first).people.create(PersonDraft(family_name="山田"))
        assert Services(first).people.count() == 1
    finally:
        first.close()

    again = open_database(db_path)
    try:
        assert Services(again).people.count() == 1
    finally:
        again.close()


def test_commands_open_the_file_beside_the_window_and_each_other(db_path: Path) -> None:
    window = open_database(db_path, mode=Mode.WINDOW)
    try:
        reader = open_database(db_path)
        writer = open_database(db_path)
        try:
            Services(writer).people.create(PersonDraft(family_name="山田"))
            assert Services(reader).people.count() == 1
            assert Services(window).people.count() == 1
        finally:
            reader.close()
            writer.close()
    finally:
        window.close()


def test_a_file_that_must_be_upgraded_needs_it_to_itself(db_path: Path) -> None:
    open_database(db_path).close()
    connection = sqlite3.connect(db_path)
    head = revisions.head_revision()
    connection.execute("UPDATE alembic_version SET version_num = ?",
                       (revisions.chain()[head],))
    connection.commit()
    connection.close()
    holder = DatabaseLock(db_path, Mode.SHARED)
    holder.acquire()
    set_language("en")  # the sentence is checked in English, whatever ran before
    try:
        with pytest.raises(DatabaseOpenError) as caught:
            open_database(db_path)
        assert "upgraded" in caught.value.message
    finally:
        holder.release()


def test_refused_open_does_not_keep_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "memo.sqlite3"
    path.write_text("not a database", encoding="utf-8")
    with pytest.raises(NotADatabaseError):
        open_database(path)
    path.unlink()

    database = open_database(path)  # a refused attempt must not leave the file locked
    database.close()


# --- connection settings -------------------------------------------------------------------------


def test_foreign_keys_are_on_and_local_file_uses_wal(database: Database) -> None:
    assert pragma(database, "foreign_keys") == 1
    assert str(pragma(database, "journal_mode")).lower() == "wal"


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(sqlalchemy.exc.IntegrityError), database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO membership (id, club_id, person_id, role, created_at, updated_at, "
                "replica_id, hlc, causal_length) VALUES (:id, :club, :person, 'member', "
                "'2021-04-01 00:00:00', '2021-04-01 00:00:00', :replica, '', 1)"
            ),
            {
                "id": uuid.uuid4().hex,
                "club": uuid.uuid4().hex,
                "person": uuid.uuid4().hex,
                "replica": uuid.uuid4().hex,
            },
        )


def test_network_share_uses_rollback_journal(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANKEI_ASSUME_NETWORK_SHARE", "1")
    database = open_database(db_path)
    try:
        assert str(pragma(database, "journal_mode")).lower() == "delete"
        assert pragma(database, "foreign_keys") == 1
        Services(database).people.create(PersonDraft(family_name="山田"))
        assert not db_path.with_name(db_path.name + "-wal").exists()
    finally:
        database.close()


def test_local_file_moved_to_a_share_switches_to_rollback_journal(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(db_path).close()
    monkeypatch.setenv("KANKEI_ASSUME_NETWORK_SHARE", "1")
    database = open_database(db_path)
    try:
        assert str(pragma(database, "journal_mode")).lower() == "delete"
    finally:
        database.close()

