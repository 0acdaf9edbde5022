"""Full bundles carrying a database image (format 2, issue 25 item 3): adopted by an empty
file, merged into one with records, and every forged image refused with nothing changed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kankei_desktop.core.figures.triggers import KEPT_TABLES
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.sync.bundle import (
    IMAGE_FORMAT_VERSION,
    BundleError,
    open_bundle,
    write_image_bundle,
)
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.service import SyncService
from tests.sync.helpers import full_state, open_replica

PASSPHRASE = "画像の合言葉です"


def _fill(services: Services) -> None:
    club = services.clubs.create(ClubDraft(name="まちづくりクラブ"))
    people = [services.people.create(PersonDraft(family_name=f"関係{index}",
                                                 email=f"p{index}@example.jp"))
              for index in range(6)]
    for day in (1, 8):
        meeting = services.meetings.create(MeetingDraft(club_id=club.id, title=f"第{day}回",
                                                        date=date(2026, 5, day)))
        for person in people[: 3 + day % 3]:
            services.attendance.set(meeting.id, person.id)
    services.people.delete(people[-1].id)  # a tombstone travels too


@pytest.fixture
def source(tmp_path: Path) -> Services:
    set_language("en")
    services = open_replica(tmp_path / "source.sqlite3")
    _fill(services)
    return services


def _kept(services: Services) -> dict[str, list[list[object]]]:
    connection = sqlite3.connect(f"{services.database.path.as_uri()}?mode=ro", uri=True)
    try:
        return {table: sorted([list(row) for row in connection.execute(
            f"SELECT * FROM {table}")], key=repr) for table in KEPT_TABLES}
    finally:
        connection.close()


def test_a_full_bundle_is_an_image_and_an_empty_file_adopts_it(
        source: Services, tmp_path: Path) -> None:
    path = tmp_path / "full.kankei"
    SyncService(source).export(path, passphrase=PASSPHRASE, image=True)
    assert SyncService.inspect(path)["format_version"] == IMAGE_FORMAT_VERSION
    target = open_replica(tmp_path / "target.sqlite3")
    own_id = target.context.replica_id
    inode = target.database.path.stat().st_ino
    report = SyncService(target).import_(path, PASSPHRASE)
    assert target.database.path.stat().st_ino != inode  # adopted, not inserted row by row
    assert report.changes > 0
    assert dump_text(target) == dump_text(source)
    assert full_state(target) == full_state(source)
    assert _kept(target) == _kept(source)  # the figure tables filled as the sender's
    assert target.context.replica_id == own_id  # a new replica holding the sender's rows
    assert str(source.context.replica_id) in {
        str(peer.replica_id) for peer in SyncService(target).peers()}
    assert not list(tmp_path.glob(".kankei-image-*"))  # nothing left behind
    # the adopted file keeps working: a write, then an incremental exchange back
    target.people.create(PersonDraft(family_name="受け手の新人"))
    back = tmp_path / "back.kankei"
    SyncService(target).export(back, peer=str(source.context.replica_id),
                               passphrase=PASSPHRASE)
    SyncService(source).import_(back, PASSPHRASE)
    assert dump_text(target) == dump_text(source)
    assert target.database.path.stat().st_size > 0
    target.database.close()
    reopened = open_replica(tmp_path / "target.sqlite3")
    assert reopened.context.replica_id == own_id
    assert dump_text(reopened) == dump_text(source)
    reopened.database.close()


def test_an_image_merges_into_a_file_with_records_as_the_earlier_format_does(
        source: Services, tmp_path: Path) -> None:
    image, earlier = tmp_path / "image.kankei", tmp_path / "earlier.kankei"
    SyncService(source).export(image, passphrase=None, image=True)
    SyncService(source).export(earlier, passphrase=None)
    assert SyncService.inspect(earlier)["format_version"] == 1
    results = []
    for name, bundle in (("one", image), ("two", earlier)):
        target = open_replica(tmp_path / f"{name}.sqlite3")
        target.people.create(PersonDraft(family_name="既存"))
        preview = SyncService(target).import_(bundle, None, dry_run=True,
                                              allow_unencrypted=True)
        assert preview.changes > 0
        assert len(target.people.find()) == 1  # nothing written
        report = SyncService(target).import_(bundle, None, allow_unencrypted=True)
        results.append((json.loads(dump_text(target)), {
            table: counts.as_dict() for table, counts in report.counts.items()}))
        target.database.close()
    (dump_one, counts_one), (dump_two, counts_two) = results
    assert counts_one == counts_two
    mine = [person for person in dump_one["person"] if person["family_name"] == "既存"]
    assert len(mine) == 1
    assert len(dump_one["person"]) == len(dump_two["person"])


Forgery = Callable[[sqlite3.Connection], None]


def _first_id(connection: sqlite3.Connection, table: str) -> str:
    return str(connection.execute(f"SELECT id FROM {table} LIMIT 1").fetchone()[0])


FORGERIES: dict[str, Forgery] = {
    "a trigger": lambda c: c.execute(
        "CREATE TRIGGER evil AFTER INSERT ON person BEGIN DELETE FROM club; END"),
    "a view": lambda c: c.execute("CREATE VIEW evil AS SELECT * FROM person"),
    "an extra table": lambda c: c.execute("CREATE TABLE evil (x)"),
    "an extra index": lambda c: c.execute("CREATE INDEX evil ON person (email)"),
    "a dropped table": lambda c: c.execute("DROP TABLE sync_field_clock"),
    "a blob for a name": lambda c: c.execute(
        "UPDATE person SET family_name = x'e38182' WHERE id = ?", (_first_id(c, "person"),)),
    "a real number for a count": lambda c: c.execute(
        "UPDATE person SET causal_length = 1.5 WHERE id = ?", (_first_id(c, "person"),)),
    "an overlong name behind a NUL": lambda c: c.execute(
        "UPDATE person SET family_name = 'a' || char(0) || ? WHERE id = ?",
        ("x" * 5000, _first_id(c, "person"))),
    "an id with a NUL": lambda c: c.execute(
        "UPDATE club SET id = id || char(0) || 'x'"),
    "a blob id": lambda c: c.execute("UPDATE club SET id = CAST(id AS BLOB)"),
    "a malformed date": lambda c: c.execute("UPDATE meeting SET date = '2026-02-30'"),
    "a live row with a deletion date": lambda c: c.execute(
        "UPDATE person SET deleted_at = '2026-05-01 10:00:00.000000' "
        "WHERE causal_length % 2 = 1"),
    "a clock far ahead": lambda c: c.execute(
        "UPDATE person SET hlc = '9999999999999' || substr(hlc, 14) WHERE id = ?",
        (_first_id(c, "person"),)),
    "a reference in capitals": lambda c: c.execute("UPDATE meeting SET club_id = upper(club_id)"),
    "a reference as a blob": lambda c: c.execute(
        "UPDATE attendance SET person_id = CAST(person_id AS BLOB)"),
    "a natural id in capitals": lambda c: c.execute("UPDATE attendance SET id = upper(id)"),
    "a reference to nobody": lambda c: c.execute(
        "UPDATE meeting SET club_id = '0123456789abcdef0123456789abcdef'"),
    "a natural-key row with another id": lambda c: c.execute(
        "UPDATE attendance SET id = '0123456789abcdef0123456789abcdef' WHERE rowid = "
        "(SELECT min(rowid) FROM attendance)"),
    "a field clock of no row": lambda c: c.execute(
        "UPDATE sync_field_clock SET row_id = '0123456789abcdef0123456789abcdef' "
        "WHERE rowid = (SELECT min(rowid) FROM sync_field_clock)"),
    "invalid UTF-8": lambda c: c.execute(
        "UPDATE person SET family_name = CAST(x'e38182ff' AS TEXT) WHERE id = ?",
        (_first_id(c, "person"),)),
    "a row more than counted": lambda c: c.executescript(
        "CREATE TEMP TABLE copied AS SELECT * FROM club LIMIT 1; "
        "UPDATE copied SET id = '0123456789abcdef0123456789abcdef'; "
        "INSERT INTO club SELECT * FROM copied;"),
}


def _forged(good: Path, target: Path, forgery: Forgery) -> None:
    """The bundle ``good`` with its image changed by ``forgery`` and packed again, its
    manifest (counts, vector) as it was: what someone holding an unencrypted bundle can do."""
    opened = open_bundle(good, None, allow_unencrypted=True)
    image = target.with_suffix(".sqlite3")
    opened.write_image(image)
    with sqlite3.connect(image, isolation_level=None) as connection:
        connection.execute("PRAGMA foreign_keys=OFF")
        forgery(connection)
    connection.close()
    manifest = {key: value for key, value in opened.manifest.items()
                if not key.startswith("payload_") and key != "encryption"}
    write_image_bundle(target, manifest, image, None)
    image.unlink()


@pytest.mark.parametrize("empty", [True, False], ids=["adopting", "merging"])
def test_every_forged_image_is_refused_and_changes_nothing(
        source: Services, tmp_path: Path, empty: bool) -> None:
    good = tmp_path / "good.kankei"
    SyncService(source).export(good, passphrase=None, image=True)
    target = open_replica(tmp_path / "target.sqlite3")
    if not empty:
        target.people.create(PersonDraft(family_name="既存"))
    before, state = dump_text(target), full_state(target)
    sync = SyncService(target)
    for name, forgery in FORGERIES.items():
        forged = tmp_path / f"forged-{len(name)}.kankei"
        _forged(good, forged, forgery)
        try:
            sync.import_(forged, None, allow_unencrypted=True)
        except BundleError as refused:
            message = str(refused)
        else:
            pytest.fail(f"{name}: imported")
        assert "nothing" in message, name
        assert "\n" not in message, name
        assert dump_text(target) == before, name
        assert full_state(target) == state, name
        forged.unlink()
    assert not list(tmp_path.glob(".kankei-image-*"))
    # the untouched image still imports, repacked the same way
    repacked = tmp_path / "repacked.kankei"
    _forged(good, repacked, lambda connection: None)
    assert sync.import_(repacked, None, allow_unencrypted=True).changes > 0
    assert json.loads(dump_text(target))["person"]
    target.database.close()


def test_an_encrypted_image_is_authenticated(source: Services, tmp_path: Path) -> None:
    path = tmp_path / "sealed.kankei"
    SyncService(source).export(path, passphrase=PASSPHRASE, image=True)
    target = open_replica(tmp_path / "target.sqlite3")
    sync = SyncService(target)
    before = full_state(target)
    with pytest.raises(BundleError):
        sync.import_(path, "違う合言葉です")
    with pytest.raises(BundleError, match=r"NOT encrypted|passphrase"):
        sync.import_(path, None)
    good = path.read_bytes()
    for position in (len(good) // 3, len(good) // 2, len(good) - 40):
        data = bytearray(good)
        data[position] ^= 0x10
        path.write_bytes(bytes(data))
        with pytest.raises(BundleError):
            sync.import_(path, PASSPHRASE)
        assert full_state(target) == before
    path.write_bytes(good)
    assert sync.import_(path, PASSPHRASE).changes > 0
    target.database.close()


def test_every_column_of_an_image_is_checked() -> None:
    """The adopted rows are the image's as they are: no column may escape the row rules."""
    from sqlalchemy import inspect as sa_inspect

    from kankei_desktop.core.models import SYNCED_MODELS
    from kankei_desktop.sync.image_check import row_conditions
    from kankei_desktop.sync.schema import spec_by_name

    specs = spec_by_name()
    for model in SYNCED_MODELS:
        table = sa_inspect(model).local_table
        checked = {column for column, _rule in row_conditions(specs[table.name])}
        assert {column.name for column in table.columns} == checked, table.name
