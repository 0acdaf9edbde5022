"""Writing a bundle: every row (full) or what a peer is not known to have (incremental).

Bundles carry JSON lines (format 1). A full one can instead carry a database image of the
exchanged tables (``image=True``; :mod:`.image`, format 2), which every version from this one
imports — adopted as a whole by an empty file. It is not the default: measured on the full
benchmark set (benchmarks/README.md) the receiver spends as much CPU checking the image as
merging the JSON lines, and the image bundle is twice as large.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kankei_desktop import __version__
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import SyncHistory, SyncPeer
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.rows import StorageRows, is_sqlite, storage_rows
from kankei_desktop.core.writes.keys import KEY_VERSION, key_columns
from kankei_desktop.sync import encryption
from kankei_desktop.sync.bundle import (
    FORMAT,
    FORMAT_VERSION,
    BundleError,
    write_bundle,
    write_image_bundle,
)
from kankei_desktop.sync.clocks import covered, peer_vector, stored_vector
from kankei_desktop.sync.identity import replica_name
from kankei_desktop.sync.image import PREFIX, build_image, remove_stale
from kankei_desktop.sync.schema import TableSpec, schema_head, table_specs
from kankei_desktop.sync.scope import (
    Scope,
    included_rows,
    own_scope,
    peer_scope,
    set_peer_scope,
)

BATCH = 500
#: A payload line is cut before it passes this size, however few rows that leaves: rows at
#: their field limits are large (a session with a full agenda and notes is ~60 KB, or six
#: times that where every character needs a JSON escape), and a reader holds a line whole.
LINE_BYTES = 4 * 1024 * 1024
Progress = Callable[[int, int], None]


@dataclass
class ExportResult:
    """What was written."""

    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    encrypted: bool = True
    for_replica: str | None = None

    @property
    def total(self) -> int:
        """Rows in the bundle."""
        return sum(self.counts.values())


def parse_replica(text: str) -> str:
    """A replica id as 32 hex digits; :class:`BundleError` if it is not one."""
    try:
        return uuid.UUID(text.strip()).hex
    except (ValueError, AttributeError) as exc:
        raise BundleError(_("'{text}' is not a replica id. 'kankei bundle peers' lists the "
                            "colleagues' replica ids.").format(text=text)) from exc


def export_bundle(services: Services, path: Path, *, peer: str | None = None,
                  passphrase: str | None = None, progress: Progress | None = None,
                  scope: Scope | None = None, image: bool = False) -> ExportResult:
    """Write a full bundle, or one for ``peer`` (a replica id) with what it lacks.

    ``scope``: only the records of some municipalities or clubs (:mod:`.scope`); given with a
    ``peer`` it is remembered for that peer, and a peer's remembered scope applies when none
    is given. A scoped replica sends only its own scope. ``image``: a full, unscoped bundle of
    a file as a database image (format 2; a shared database and scoped bundles send rows).
    """
    context = services.context
    own = context.replica_id.hex
    target = parse_replica(peer) if peer is not None else None
    if target == own:
        raise BundleError(_("That is this file's own replica id. Give a colleague's replica id "
                            "(see 'kankei bundle peers')."))
    with _snapshot(services) as (session, claimed):
        known: dict[str, str] = {}
        if target is not None:
            found = peer_vector(session, target)
            if found is None:
                raise BundleError(_("No bundle from replica {replica} has been imported yet, so "
                                    "what it has is unknown. Send it a full bundle "
                                    "instead.").format(replica=uuid.UUID(target)))
            known = found
        vector = stored_vector(session)
        vector[own] = claimed
        holds = own_scope(session)
        if target is None and image and scope is None and holds is None \
                and not services.database.shared:
            session.close()
            return _export_image(services, Path(path), vector, passphrase, progress)
        raw = storage_rows(session)
        effective = scope or (peer_scope(session, target) if target is not None else None)
        if effective is None:
            effective = holds
        elif not effective.within(holds):
            raise BundleError(_("This copy holds only {own}, so it cannot send {scope}; "
                                "nothing was written.").format(
                own=holds.label() if holds else "", scope=effective.label()))
        only = (included_rows(raw, effective, known if target is not None else None,
                              own if holds is not None else None)
                if effective is not None else None)
        total = sum(raw.execute(f"SELECT count(*) FROM {spec.name}").fetchone()[0]
                    for spec in table_specs()) if target is None and only is None else \
            sum(map(len, only.values())) if only is not None else 0
        counts: dict[str, int] = {}
        lines = _lines(raw, known if target is not None else None, vector, counts, total,
                       progress, only)
        manifest: dict[str, Any] = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "schema_version": schema_head(), "app_version": __version__,
            "source_replica": str(context.replica_id), "source_name": replica_name(services),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "for_replica": str(uuid.UUID(target)) if target else None,
            "vector": vector, "counts": counts, "key_version": KEY_VERSION,
            "scope": effective.to_manifest() if effective is not None else None,
            "source_scope": holds.to_manifest() if holds is not None else None,
        }
        write_bundle(Path(path), manifest, _Deferred(lines, manifest, counts), passphrase)
    with context.transaction() as session:
        if target is not None and scope is not None:
            set_peer_scope(session, target, scope)
        if target is not None:
            row = session.get(SyncPeer, target)
            if row is not None:
                row.last_export_at = context.now()
        session.add(SyncHistory(at=context.now(), direction="export",
                                peer_replica_id=target or "", peer_name=_peer_name(session,
                                                                                  target),
                                file_name=str(path), summary=json.dumps(counts)))
    return ExportResult(Path(path), counts, passphrase is not None,
                        str(uuid.UUID(target)) if target else None)


def _snapshot(services: Services) -> AbstractContextManager[tuple[Session, str]]:
    """A reading session and the stamp this replica may claim to have sent everything up to.

    A file has one writer, so the clock's reading will do; a shared database's users write
    while the bundle is made, so the claim waits for the saves in flight and the snapshot
    holds every save stamped below it (``storage.postgres.claim_clock``).
    """
    context = services.context

    @contextmanager
    def snapshot() -> Iterator[tuple[Session, str]]:
        if services.database.shared:
            from kankei_desktop.core.storage.postgres import SharedDatabase, claim_clock

            assert isinstance(services.database, SharedDatabase)
            with claim_clock(services.database, lambda: str(context.clock.now())) as session:
                yield session, str(session.info["claimed"])
            return
        with context.reading() as session:
            yield session, str(context.clock.now())
    return snapshot()


def _export_image(services: Services, path: Path, vector: dict[str, str],
                  passphrase: str | None, progress: Progress | None) -> ExportResult:
    """A full bundle carrying the database image (built beside the bundle, then removed)."""
    context = services.context
    if passphrase is not None:  # refused before anything is built
        try:
            encryption.check_new_passphrase(passphrase)
        except encryption.EncryptionError as exc:
            raise BundleError(exc.message) from exc
    remove_stale(path.parent)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=path.parent))
    try:
        image = folder / "image.sqlite3"
        counts = build_image(services.database.path, image)
        total = sum(counts.values())
        if progress is not None:
            progress(total // 2, total)
        manifest: dict[str, Any] = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "schema_version": schema_head(), "app_version": __version__,
            "source_replica": str(context.replica_id), "source_name": replica_name(services),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "for_replica": None, "vector": vector, "counts": counts,
            "key_version": KEY_VERSION,
        }
        write_image_bundle(path, manifest, image, passphrase)
        if progress is not None:
            progress(total, total)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    with context.transaction() as session:
        session.add(SyncHistory(at=context.now(), direction="export", peer_replica_id="",
                                peer_name="", file_name=str(path), summary=json.dumps(counts)))
    return ExportResult(path, counts, passphrase is not None, None)


def _peer_name(session: Session, target: str | None) -> str:
    if target is None:
        return ""
    row = session.get(SyncPeer, target)
    return row.name if row is not None else ""


class _Deferred:
    """Iterates the payload lines; counts are filled in as rows go by (read after)."""

    def __init__(self, lines: Iterator[bytes], manifest: dict[str, Any],
                 counts: dict[str, int]) -> None:
        self._lines = lines
        self._manifest = manifest
        self._counts = counts

    def __iter__(self) -> Iterator[bytes]:
        yield from self._lines
        self._manifest["counts"] = dict(self._counts)


def _lines(raw: StorageRows, known: dict[str, str] | None, vector: dict[str, str],
           counts: dict[str, int], total: int, progress: Progress | None,
           only: dict[str, set[str]] | None = None) -> Iterator[bytes]:
    done = 0
    for spec in table_specs():
        derived = key_columns(spec.name)
        yield json.dumps({"table": spec.name, "columns": list(spec.field_names),
                          "derived": list(derived)}).encode()
        counts[spec.name] = 0
        batches: Iterator[tuple[int, bytes]]
        if only is not None:  # a scoped bundle: exactly these rows
            batches = (line for batch in _rows(raw, spec, None, {}, only=only[spec.name])
                       for line in _encoded(batch))
        else:
            batches = _full_rows(raw, spec) if known is None else (
                line for batch in _rows(raw, spec, known, vector) for line in _encoded(batch))
        for count, line in batches:
            counts[spec.name] += count
            done += count
            yield line
            if progress is not None:
                progress(done, total)


def _full_rows(raw: StorageRows, spec: TableSpec) -> Iterator[tuple[int, bytes]]:
    """Every row of a table. Rows without field clocks (nearly all) are encoded to JSON by
    SQLite itself, the few with field clocks by Python (every row on a shared database)."""
    if not is_sqlite(raw):
        for batch in _rows(raw, spec, None, {}, every=True):
            yield from _encoded(batch)
        return
    derived = key_columns(spec.name)
    columns = ", ".join(f"t.{name}" for name in (*spec.field_names, *derived))
    cursor = raw.execute(
        f"SELECT json_array(t.id, t.hlc, t.causal_length, t.deleted_at, NULL, {columns}) "
        f"FROM {spec.name} t WHERE t.id NOT IN "
        "(SELECT row_id FROM sync_field_clock WHERE table_name = ?)", (spec.name,))
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            break
        yield from _joined([row[0] for row in rows])
    for batch in _rows(raw, spec, None, {}):
        yield from _encoded(batch)


def _joined(texts: list[str]) -> Iterator[tuple[int, bytes]]:
    """Rows already in JSON as lines of at most :data:`LINE_BYTES` (one row a line at
    worst)."""
    if 3 * sum(map(len, texts)) + len(texts) + 2 <= LINE_BYTES:  # UTF-8: ≤ 3 bytes a char
        yield len(texts), ("[" + ",".join(texts) + "]").encode("utf-8")
        return
    line: list[bytes] = []
    size = 2
    for text in texts:
        encoded = text.encode("utf-8")
        if line and size + len(encoded) + 1 > LINE_BYTES:
            yield len(line), b"[" + b",".join(line) + b"]"
            line, size = [], 2
        line.append(encoded)
        size += len(encoded) + 1
    if line:
        yield len(line), b"[" + b",".join(line) + b"]"


def _encoded(batch: list[list[Any]]) -> Iterator[tuple[int, bytes]]:
    """A batch of rows as lines of at most :data:`LINE_BYTES` (halved until they fit)."""
    line = json.dumps(batch, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(line) <= LINE_BYTES or len(batch) == 1:
        yield len(batch), line
        return
    half = len(batch) // 2
    yield from _encoded(batch[:half])
    yield from _encoded(batch[half:])


def _rows(raw: StorageRows, spec: TableSpec, known: dict[str, str] | None,
          vector: dict[str, str], *, every: bool = False, only: set[str] | None = None
          ) -> Iterator[list[list[Any]]]:
    columns = ", ".join((*spec.field_names, *key_columns(spec.name)))
    select = f"SELECT id, hlc, causal_length, deleted_at, {columns} FROM {spec.name}"
    if only is not None:
        clocks = _clocks(raw, spec.name, None)
        chosen = sorted(only)
        picked: list[Any] = []
        for start in range(0, len(chosen), BATCH):
            chunk = chosen[start:start + BATCH]
            picked.extend(raw.execute(f"{select} WHERE id IN ({','.join('?' * len(chunk))})",
                                      chunk))
        cursor: Any = iter(picked)
    elif every:
        clocks = _clocks(raw, spec.name, None)
        cursor = raw.execute(select)
    elif known is None:  # the rows with field clocks (the others go by _full_rows)
        clocks = _clocks(raw, spec.name, None)
        cursor = raw.execute(f"{select} WHERE id IN (SELECT row_id FROM sync_field_clock "
                             "WHERE table_name = ?)", (spec.name,))
    else:
        low = min((known.get(replica, "") for replica in vector), default="")
        changed_ids = [row[0] for row in raw.execute(
            "SELECT DISTINCT row_id FROM sync_field_clock WHERE table_name = ? AND hlc > ?",
            (spec.name, low))]
        clocks = _clocks(raw, spec.name, low)
        rows = list(raw.execute(f"{select} WHERE hlc > ?", (low,)))
        seen = {row[0] for row in rows}
        extra = [row_id for row_id in changed_ids if row_id not in seen]
        for start in range(0, len(extra), BATCH):
            chunk = extra[start:start + BATCH]
            marks = ",".join("?" * len(chunk))
            rows.extend(raw.execute(f"{select} WHERE id IN ({marks})", chunk))
        cursor = iter(rows)
    batch: list[list[Any]] = []
    for row in cursor:
        row_clocks = clocks.get(row[0])
        if known is not None and covered(known, row[1]) and all(
            covered(known, stamp) for stamp in (row_clocks or {}).values()
        ):
            continue
        batch.append([row[0], row[1], row[2], row[3], row_clocks, *row[4:]])
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _clocks(raw: StorageRows, table: str, low: str | None) -> dict[str, dict[str, str]]:
    """Field clocks of a table's rows (for an incremental export: rows with a recent one)."""
    query = "SELECT row_id, field, hlc FROM sync_field_clock WHERE table_name = ?"
    parameters: tuple[str, ...] = (table,)
    if low is not None:
        query += (" AND row_id IN (SELECT row_id FROM sync_field_clock WHERE table_name = ? "
                  "AND hlc > ? UNION SELECT id FROM " + table + " WHERE hlc > ?)")
        parameters = (table, table, low, low)
    result: dict[str, dict[str, str]] = {}
    for row_id, name, stamp in raw.execute(query, parameters):
        result.setdefault(row_id, {})[name] = stamp
    return result
