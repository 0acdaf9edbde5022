"""Damaged bundles: each one refused with a sentence, and the database left unchanged.

More than 500 variants of a valid bundle: truncated, bits flipped, wrong versions, bad JSON,
wrong types, references to unknown records, path entries, extra entries and oversized or
zip-bomb content.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.sync import bundle as bundle_module
from kankei_desktop.sync.bundle import BundleError, open_bundle, write_bundle
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.schema import spec_by_name
from kankei_desktop.sync.service import SyncService
from kankei_desktop.sync.validate import DERIVED_MAX
from tests.sync.helpers import full_state

Mutation = Callable[[dict[str, Any], list[Any]], tuple[dict[str, Any], list[bytes]]]


@pytest.fixture
def source_bundle(replicas: list[Services], tmp_path: Path) -> tuple[Path, Services]:
    """A valid unencrypted bundle from A; B (with its own data) is the receiver."""
    a, b, _c = replicas
    club = a.clubs.create(ClubDraft(name="クラブ"))
    meeting = a.meetings.create(MeetingDraft(club_id=club.id, title="第1回",
                                             date=date(2026, 5, 1)))
    for index in range(4):
        person = a.people.create(PersonDraft(family_name=f"人{index}", email=f"p{index}@x.jp"))
        a.attendance.set(meeting.id, person.id)
    b.people.create(PersonDraft(family_name="受信者"))
    path = tmp_path / "good.kankei"
    SyncService(a).export(path, passphrase=None, image=False)
    return path, b


def _parts(path: Path) -> tuple[dict[str, Any], list[Any]]:
    opened = open_bundle(path, None, allow_unencrypted=True)
    return opened.manifest, [json.loads(line) for line in opened.lines()]


def _lines(items: list[Any]) -> list[bytes]:
    return [json.dumps(item, ensure_ascii=False).encode() for item in items]


def _rows(items: list[Any]) -> Iterator[tuple[str, list[Any]]]:
    table = ""
    for item in items:
        if isinstance(item, dict):
            table = item["table"]
        else:
            for row in item:
                yield table, row


def _semantic_mutations(rng: random.Random) -> Iterator[tuple[str, Mutation]]:
    def manifest_change(key: str, value: Any) -> Mutation:
        def change(manifest: dict[str, Any], items: list[Any]) -> tuple[dict[str, Any],
                                                                           list[bytes]]:
            manifest = dict(manifest)
            manifest[key] = value
            return manifest, _lines(items)
        return change

    yield "newer format", manifest_change("format_version", 99)
    yield "format as text", manifest_change("format_version", "1")
    yield "newer schema", manifest_change("schema_version", "9999_future")
    yield "other format", manifest_change("format", "zip")
    yield "vector not a dict", manifest_change("vector", [1])
    yield "bad vector stamp", manifest_change("vector", {"0" * 32: "x"})
    yield "future vector", manifest_change("vector", {"1" * 32: f"{9 * 10**12:013d}-00000-"
                                                                 + "1" * 32})
    yield "wrong counts", manifest_change("counts", {"person": 999})
    yield "source not uuid", manifest_change("source_replica", "nobody")
    for index in range(300):
        yield f"row damage {index}", _row_damage(rng)

    def bad_json(manifest: dict[str, Any], items: list[Any]) -> tuple[dict[str, Any],
                                                                       list[bytes]]:
        lines = _lines(items)
        lines[rng.randrange(len(lines))] = b'{"table": "person", "columns": [ '
        return manifest, lines

    def unknown_table(manifest: dict[str, Any], items: list[Any]) -> tuple[dict[str, Any],
                                                                           list[bytes]]:
        return manifest, [b'{"table": "sqlite_master", "columns": []}', *_lines(items)]

    def rows_first(manifest: dict[str, Any], items: list[Any]) -> tuple[dict[str, Any],
                                                                        list[bytes]]:
        return manifest, _lines([item for item in items if isinstance(item, list)])

    def huge_line(manifest: dict[str, Any], items: list[Any]) -> tuple[dict[str, Any],
                                                                       list[bytes]]:
        return manifest, [*_lines(items), b" " * (bundle_module.MAX_LINE_BYTES + 10)]

    for index in range(20):
        yield f"bad json {index}", bad_json
    yield "unknown table", unknown_table
    yield "rows without table", rows_first
    yield "huge line", huge_line


def _invalid_value(rng: random.Random, table: str, position: int, row: list[Any]) -> Any:
    """A value that cannot be right for this column."""
    if position == 0:
        return rng.choice(["f" * 31, "G" * 32, 12345, None])
    if position == 1:
        return rng.choice(["yesterday", 7, None, "9" * 60])
    if position == 2:
        return rng.choice([0, -1, "1", True, 1.5, None])
    if position == 3:
        return rng.choice(["yesterday", 5, "2026-01-01"])
    if position == 4:
        return rng.choice([{"nonsense": row[1]}, {"_cl": "bad"}, "clock", 7,
                           {"_cl": "9" * 13 + row[1][13:]}])
    columns = spec_by_name()[table].columns
    if position - 5 >= len(columns):  # a derived search or sort key
        return rng.choice([None, 123, "x" * (DERIVED_MAX + 1), ["k"]])
    column = columns[position - 5]
    choices: list[Any] = [[1], {"a": 1}, 2.5]
    if not column.nullable:
        choices.append(None)
    if column.kind == "uuid":
        choices += ["zz", "0" * 33, 5]
    elif column.kind == "int":
        choices += ["12", True]
    elif column.kind == "date":
        choices += ["2026-13-45", "令和8年", 20260501]
    elif column.kind == "time":
        choices += ["25:99", "10:00", 1000]
    elif column.kind == "str":
        choices.append(123)
        if column.max_length:
            choices.append("あ" * (column.max_length + 1))
    return rng.choice(choices)


def _row_damage(rng: random.Random) -> Mutation:
    def damage(manifest: dict[str, Any], items: list[Any]) -> tuple[dict[str, Any],
                                                                    list[bytes]]:
        items = json.loads(json.dumps(items))
        rows = list(_rows(items))
        table, row = rng.choice(rows)
        kind = rng.randrange(10)
        if kind == 0:
            row.append("extra")
        elif kind == 1:
            row.pop()
        elif kind == 2:
            same = [other for name, other in rows if name == table and other is not row]
            row[0] = same[0][0] if same else rows[0][1][0] if row is not rows[0][1] \
                else rows[1][1][0]
        elif kind == 3:
            row[2] = 2  # deleted by length but without a deletion time
        else:
            position = rng.randrange(len(row))
            row[position] = _invalid_value(rng, table, position, row)
        return manifest, _lines(items)
    return damage


def _dangling_reference(manifest: dict[str, Any], items: list[Any]) -> tuple[dict[str, Any],
                                                                             list[bytes]]:
    items = json.loads(json.dumps(items))
    for table, row in _rows(items):
        if table == "attendance":
            row[5] = "e" * 32  # meeting_id of a session nobody has
            break
    return manifest, _lines(items)


def _difference(items: list[Any], path: Path) -> str:
    try:
        _manifest, changed = _parts(path)
    except BundleError:
        return "?"
    return str([(a, b) for a, b in zip(_rows(items), _rows(changed), strict=False) if a != b])


def _zip_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _structural(good: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    for index in range(120):
        yield f"truncated {index}", good[:rng.randrange(len(good))]
    for index in range(150):
        data = bytearray(good)
        for _flip in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        yield f"bit flip {index}", bytes(data)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        manifest = archive.read("manifest.json")
        payload = archive.read("payload.bin")
    yield "empty file", b""
    yield "not a zip", b"hello, this is not a bundle"
    yield "zip slip", _zip_with({"manifest.json": manifest, "../payload.bin": payload})
    yield "absolute path", _zip_with({"manifest.json": manifest, "/tmp/payload.bin": payload})
    yield "folder entry", _zip_with({"manifest.json": manifest, "data/payload.bin": payload})
    yield "extra entry", _zip_with({"manifest.json": manifest, "payload.bin": payload,
                                    "evil.exe": b"MZ"})
    yield "missing payload", _zip_with({"manifest.json": manifest})
    yield "huge manifest", _zip_with({"manifest.json": b" " * (5 * 1024 * 1024),
                                      "payload.bin": payload})
    bomb = zlib.compress(b"\0" * (64 * 1024 * 1024), 9)
    header = json.loads(manifest)
    header.update(payload_plain_bytes=100, payload_sha256=__import__("hashlib").sha256(
        bomb).hexdigest())
    yield "zip bomb payload", bundle_module.zip_bytes(
        json.dumps(header).encode(), bomb)
    header["payload_plain_bytes"] = bundle_module.MAX_PLAIN_BYTES * 4
    yield "declared too big", bundle_module.zip_bytes(json.dumps(header).encode(), bomb)


def test_damaged_bundles_are_refused_and_change_nothing(
        source_bundle: tuple[Path, Services], tmp_path: Path) -> None:
    good_path, receiver = source_bundle
    rng = random.Random(20261123)
    manifest, items = _parts(good_path)
    before_dump = dump_text(receiver)
    before_state = full_state(receiver)
    sync = SyncService(receiver)
    cases = 0
    target = tmp_path / "bad.kankei"
    variants: list[tuple[str, bytes | None, Mutation | None]] = [
        (name, data, None) for name, data in _structural(good_path.read_bytes(), rng)]
    variants += [(name, None, mutation) for name, mutation in _semantic_mutations(rng)]
    variants.append(("dangling reference", None, _dangling_reference))
    for name, data, mutation in variants:
        if mutation is not None:
            new_manifest, lines = mutation(manifest, items)
            for key in ("payload_plain_bytes", "payload_sha256", "encryption"):
                new_manifest.pop(key, None)
            write_bundle(target, new_manifest, lines, None)
        else:
            assert data is not None
            target.write_bytes(data)
        try:
            sync.import_(target, None, allow_unencrypted=True)
        except BundleError as refused:
            assert refused.message, name  # noqa: PT017
            assert "\n" not in refused.message, name  # noqa: PT017
        else:
            pytest.fail(f"accepted a damaged bundle: {name}: {_difference(items, target)}")
        cases += 1
    assert cases >= 500
    assert dump_text(receiver) == before_dump
    assert full_state(receiver) == before_state
    # the undamaged bundle still imports
    assert sync.import_(good_path, None, allow_unencrypted=True).changes > 0


def test_encrypted_bundle_damage_and_wrong_passphrase(
        source_bundle: tuple[Path, Services], tmp_path: Path, replicas: list[Services]) -> None:
    _good, receiver = source_bundle
    path = tmp_path / "secret.kankei"
    SyncService(replicas[0]).export(path, passphrase="正しい合言葉です。")
    before = full_state(receiver)
    sync = SyncService(receiver)
    with pytest.raises(BundleError):
        sync.import_(path, "まちがい")
    with pytest.raises(BundleError):
        sync.import_(path, None)
    rng = random.Random(7)
    good = path.read_bytes()
    for _index in range(12):
        data = bytearray(good)
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        with pytest.raises(BundleError):
            sync.import_(path, "正しい合言葉です。")
    assert full_state(receiver) == before
    path.write_bytes(good)
    manifest = SyncService.inspect(path)  # readable without the passphrase
    assert manifest["encryption"]["cipher"] == "AES-256-GCM"
    assert sync.import_(path, "正しい合言葉です。").changes > 0
