"""Importing a bundle: verify everything, take a backup, merge in one transaction.

Merge rules (the same on every replica, so any exchange order converges):

* per field group, the value with the higher clock wins; when the losing value was written
  without knowledge of the winner (its clock is not covered by the other side's version
  vector), it goes to the conflict log, from which it can be restored;
* a row's life is decided by its causal length (odd = alive, even = deleted): the larger
  wins, ties by clock. **Edit versus delete: the delete wins** over edits made concurrently,
  but those edits are still merged into the deleted record, so restoring it (an explicit new
  "alive" step with a larger causal length) brings it back with them. A restore made after
  seeing a delete wins over that delete.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kankei_desktop.core.clock import wall_clock_ms
from kankei_desktop.core.field_limits import check_other
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import NATURAL_KEY_NAMESPACE, SyncHistory, SyncPeer
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.backup import backup_before
from kankei_desktop.core.storage.database import raw_connection
from kankei_desktop.core.storage.failures import WritePath, refuse_if_damaged
from kankei_desktop.core.storage.rows import StorageRows, storage_rows
from kankei_desktop.core.writes.bulk import RowWriter, foreign_keys_checked_by_caller
from kankei_desktop.core.writes.keys import KEY_VERSION, derived_values, key_columns
from kankei_desktop.core.writes.layout import LIFE
from kankei_desktop.sync import scope
from kankei_desktop.sync.background_check import BackgroundCheck, Verdict, summary
from kankei_desktop.sync.bundle import Bundle, BundleError, damaged, open_bundle
from kankei_desktop.sync.clocks import covered, merge_vector, stored_vector
from kankei_desktop.sync.schema import (
    HLC_RE,
    UUID_RE,
    TableSpec,
    known_revision,
    replica_of,
    spec_by_name,
)
from kankei_desktop.sync.validate import future, verify_rows

BATCH = 500
#: A bundle at least this large (rows) is checked in a child process while it is written.
PARALLEL_ROWS = 200_000
#: A bundle at least this large (rows) may be written with the figure triggers set aside.
BULK_ROWS = 20_000
#: A shared database's statistics are refreshed after an import of this many rows.
ANALYZE_ROWS = 1_000
#: A table empty before the import that receives at least this many rows is written without
#: its plain indexes (created again at the end).
BULK_TABLE_ROWS = 5_000
Progress = Callable[[int, int], None]


@dataclass
class TableCounts:
    """What an import does to one table."""

    new: int = 0
    changed: int = 0
    deleted: int = 0
    restored: int = 0
    conflicts: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        """For JSON and the history."""
        return dict(self.__dict__)


@dataclass
class ImportReport:
    """The preview (dry run) or the result of an import."""

    manifest: dict[str, Any]
    counts: dict[str, TableCounts] = field(default_factory=dict)
    dry_run: bool = False
    backup_path: Path | None = None

    def total(self, name: str) -> int:
        """The sum of one count over all tables."""
        return sum(getattr(counts, name) for counts in self.counts.values())

    @property
    def changes(self) -> int:
        """Rows added, changed, deleted or restored."""
        return sum(self.total(name) for name in ("new", "changed", "deleted", "restored"))


def check_manifest(services: Services, manifest: dict[str, Any], accept_future: bool) -> None:
    """Refuse bundles from this replica, from a newer schema, or stamped in the future."""
    try:
        source = uuid.UUID(manifest["source_replica"])
    except ValueError as exc:
        raise BundleError(damaged()) from exc
    if check_other("replica_name", manifest["source_name"]) is not None:
        raise BundleError(_("The bundle gives its sender a name longer than Kankei Desktop "
                            "ever writes, so it was altered; ask for it to be sent again, "
                            "nothing was changed."))
    if source == services.context.replica_id:
        raise BundleError(_("This bundle was exported from this same file (the same replica), "
                            "so there is nothing to import. Import bundles from colleagues; "
                            "nothing was changed."))
    if not known_revision(manifest["schema_version"]):
        raise BundleError(_("The bundle was made by a newer version of Kankei Desktop (schema "
                            "{version}). Update the application to import it; nothing was "
                            "changed.").format(version=manifest["schema_version"]))
    for replica, stamp in manifest["vector"].items():
        if UUID_RE.match(replica) is None or HLC_RE.match(stamp) is None \
                or replica_of(stamp) != replica:
            raise BundleError(damaged())
        if not accept_future and int(stamp[:13]) > wall_clock_ms() + 24 * 3600 * 1000:
            raise future()
    for name, count in manifest["counts"].items():
        if name not in spec_by_name() or type(count) is not int:
            raise BundleError(damaged())
    carried = scope.from_manifest(manifest.get("scope"))
    scope.from_manifest(manifest.get("source_scope"))
    with services.context.reading() as session:
        holds = scope.own_scope(session)
    if holds is not None and (carried is None or not carried.within(holds)):
        raise BundleError(_(
            "This copy holds only the records of {own}, and the bundle may carry others "
            "({scope}); nothing was changed. Ask the sender to export for this copy's replica "
            "id with --scope {own}.").format(
            own=holds.label(), scope=carried.label() if carried else _("everything")))


def verified(services: Services, bundle: Bundle, accept_future: bool) -> Verdict:
    """Check every row of an opened bundle here and now (nothing is written)."""
    verdict = summary(verify_rows(bundle, wall_clock_ms(), accept_future))
    with services.context.reading() as session:
        check_verdict(storage_rows(session), bundle.manifest, verdict)
    return verdict


def opened_bundle(services: Services, path: Path, passphrase: str | None,
                  accept_future: bool, *, allow_unencrypted: bool = False) -> Bundle:
    """The decrypted bundle, its manifest checked (its rows not yet)."""
    bundle = open_bundle(Path(path), passphrase, allow_unencrypted=allow_unencrypted)
    check_manifest(services, bundle.manifest, accept_future)
    return bundle


def check_verdict(raw: StorageRows, manifest: dict[str, Any], verdict: Verdict) -> None:
    """Refuse a bundle whose rows do not match its manifest's counts or that refers to
    records neither in it nor in this file."""
    if {k: v for k, v in verdict.counts.items() if v} != {
            k: v for k, v in manifest["counts"].items() if v}:
        raise BundleError(damaged())
    for target, missing in verdict.outside.items():
        for start in range(0, len(missing), BATCH):
            chunk = missing[start:start + BATCH]
            marks = ",".join("?" * len(chunk))
            found = {row[0] for row in raw.execute(
                f"SELECT id FROM {target} WHERE id IN ({marks})", chunk)}
            if len(found) != len(chunk):
                raise BundleError(_(
                    "The bundle refers to records that are neither in it nor in this file "
                    "({table}). Ask the sender for a full bundle; nothing was "
                    "changed.").format(table=target))


def import_bundle(services: Services, path: Path, passphrase: str | None, *,
                  dry_run: bool = False, accept_future: bool = False,
                  allow_unencrypted: bool = False, progress: Progress | None = None,
                  backup: bool = True) -> ImportReport:
    """Verify, preview (``dry_run``) or back up and apply a bundle in one transaction.

    An unencrypted bundle is refused unless ``allow_unencrypted`` (the user accepted the
    risk); see :func:`~kankei_desktop.sync.bundle.open_bundle`.

    A large bundle is checked in a child process while this one writes it (see
    :mod:`~kankei_desktop.sync.background_check`); the commit waits for the check.
    ``backup=False`` is for measurements only (the benchmark times the merge apart from
    the safety steps: the quick check of the file and its copy); the application always
    takes them.
    """
    bundle = opened_bundle(services, path, passphrase, accept_future,
                           allow_unencrypted=allow_unencrypted)
    if bundle.is_image and services.database.shared:
        raise BundleError(_("This bundle carries a copy of a whole file, which only a file "
                            "can take; a shared database takes bundles of records. Ask the "
                            "sender to export it again with this version; nothing was "
                            "changed."))
    if bundle.is_image:  # a full bundle of this version: an SQLite database image
        from kankei_desktop.sync.image_import import import_image

        return import_image(services, path, bundle, dry_run=dry_run,
                            accept_future=accept_future, progress=progress, backup=backup)
    total = sum(bundle.manifest["counts"].values())
    if dry_run or total < PARALLEL_ROWS:
        return apply_rows(services, path, bundle.manifest, lambda: _batches(bundle),
                          verified(services, bundle, accept_future), dry_run=dry_run,
                          progress=progress, backup=backup)
    background = BackgroundCheck(bundle, wall_clock_ms(), accept_future)
    try:
        return apply_rows(services, path, bundle.manifest, lambda: _batches(bundle),
                          background, dry_run=False, progress=progress, backup=backup)
    finally:
        background.close()


#: The rows of a bundle, table by table in batches: (spec, [[id, hlc, causal length,
#: deleted_at, field clocks or None, *fields, *keys], …]).
Batches = Callable[[], Iterator[tuple[TableSpec, list[list[Any]]]]]


def apply_rows(services: Services, path: Path, manifest: dict[str, Any], batches: Batches,
               check: Verdict | BackgroundCheck, *, dry_run: bool, progress: Progress | None,
               backup: bool) -> ImportReport:
    """Preview or merge the rows ``batches`` gives in one transaction (after the quick check
    of the file and its backup); ``check`` is, or will give, the rows' verdict."""
    report = ImportReport(manifest, dry_run=dry_run)
    context = services.context
    if not dry_run and backup and not services.database.shared:
        # never start writing into a damaged file; keep a copy (a shared database is the
        # server's to back up)
        with context.reading() as session:
            refuse_if_damaged(raw_connection(session), services.database.path,
                              WritePath.BUNDLE_IMPORT)
        report.backup_path = backup_before(services.database.path, "sync-import")
    incoming: dict[str, int] = manifest["counts"]
    total = sum(incoming.values())
    # exclusive on a shared database: saves wait, so the merge never overwrites one unread
    with context.transaction(immediate=False, exclusive=True) as session:
        writer = RowWriter(session)
        large = not dry_run and _is_large(writer, total)
        if large:  # every reference is checked against the bundle and this file instead
            foreign_keys_checked_by_caller(session)
        services.database.begin_write(session)
        raw = writer.raw
        if writer.sqlite:
            raw.execute("PRAGMA defer_foreign_keys = ON")
        else:  # references checked at the commit; the rows' author is the bundle's sender
            raw.execute("SET CONSTRAINTS ALL DEFERRED")
            raw.execute("SET LOCAL kankei.merging = 'on'")
        own = stored_vector(session)
        own[context.replica_id.hex] = "9" * 40
        merger = _Merger(writer, manifest, own, dry_run)
        with ExitStack() as bulk, writer.large_write(total):
            if large:
                writer.bulk_mode(bulk, [name for name, count in incoming.items()
                                        if count >= BULK_TABLE_ROWS and writer.is_empty(name)])
            elif not writer.sqlite and total >= ANALYZE_ROWS:
                # the planner's statistics now: autovacuum comes a minute later, and until
                # then the live figures of a freshly filled database take seconds
                bulk.callback(raw.execute, "ANALYZE")
            verdict = _merge_all(batches, merger, report, check, progress, total)
            # in this transaction: foreign keys may be off, so this is what keeps them
            check_verdict(raw, manifest, verdict)
        if dry_run:
            return report
        if _knowledge_shared(session, manifest):
            merge_vector(session, manifest["vector"])
        remember_peer(session, manifest, context.now())
        session.add(SyncHistory(
            at=context.now(), direction="import",
            peer_replica_id=uuid.UUID(manifest["source_replica"]).hex,
            peer_name=manifest["source_name"], file_name=str(path),
            summary=json.dumps({name: counts.as_dict()
                                for name, counts in report.counts.items()})))
    if verdict.highest:
        context.clock.observe(verdict.highest)
    for stamp in manifest["vector"].values():
        context.clock.observe(stamp)
    return report


#: Failures of the file or the machine, not of the bundle's content.
_NOT_THE_BUNDLE = (sqlite3.OperationalError, MemoryError, OSError)


def _merge_all(batches: Batches, merger: _Merger, report: ImportReport,
               check: Verdict | BackgroundCheck, progress: Progress | None,
               total: int) -> Verdict:
    """Merge every batch; with a background check, rows not yet checked are written too,
    and any failure they cause is judged by the check's verdict (still before the commit)."""
    done = 0
    failure: Exception | None = None
    try:
        for spec, rows in batches():
            counts = report.counts.setdefault(spec.name, TableCounts())
            merger.merge(spec, rows, counts)
            done += len(rows)
            if progress is not None:
                progress(done, total)
    except Exception as exc:
        if isinstance(check, Verdict):
            raise
        failure = exc
    if isinstance(check, Verdict):
        return check
    verdict = check.verdict()  # raises the check's refusal
    if failure is not None:
        if isinstance(failure, _NOT_THE_BUNDLE):
            raise failure
        raise BundleError(damaged()) from failure
    return verdict


def _is_large(writer: RowWriter, total: int) -> bool:
    """Large against what the file holds: a first full bundle, a merge of two big files."""
    if total < BULK_ROWS:
        return False
    held = writer.raw.execute("SELECT count(*) FROM attendance").fetchone()[0]
    return bool(total * 2 >= held)


def _knowledge_shared(session: Any, manifest: dict[str, Any]) -> bool:
    """Whether the bundle's version vector speaks for everything this replica holds (see
    :mod:`.scope`); a fresh replica filled by a scoped bundle takes its scope."""
    carried = scope.from_manifest(manifest.get("scope"))
    holds = scope.own_scope(session)
    if carried is None:
        return holds is None
    if holds is None and _is_fresh(session):
        scope.set_own_scope(session, carried)
        return True
    if session.get_bind().dialect.name == "postgresql":
        return False  # a scoped login's view; the shared database's vector is everyone's
    return holds is not None and carried.terms == holds.terms


def _is_fresh(session: Any) -> bool:
    """Nothing was ever received or written here but what this import brings."""
    from sqlalchemy import select

    return session.scalar(select(SyncPeer.replica_id).limit(1)) is None \
        and session.scalar(select(SyncHistory.id).limit(1)) is None


def remember_peer(session: Any, manifest: dict[str, Any], now: datetime) -> None:
    """Note the sender and what it has (its vector, its scope), or update what is known of it."""
    replica = uuid.UUID(manifest["source_replica"]).hex
    if "source_scope" in manifest:  # what the peer holds: our bundles for it stay within
        scope.set_peer_scope(session, replica, scope.from_manifest(manifest["source_scope"]))
    row = session.get(SyncPeer, replica)
    vector = dict(manifest["vector"])
    if row is None:
        session.add(SyncPeer(replica_id=replica, name=manifest["source_name"],
                             vector=json.dumps(vector, sort_keys=True), last_import_at=now))
        return
    known = json.loads(row.vector)
    for key, stamp in known.items():
        if stamp > vector.get(key, ""):
            vector[key] = stamp
    row.vector = json.dumps(vector, sort_keys=True)
    row.name = manifest["source_name"]
    row.last_import_at = now


def _batches(bundle: Bundle) -> Iterator[tuple[TableSpec, list[list[Any]]]]:
    specs = spec_by_name()
    spec: TableSpec | None = None
    for line in bundle.lines():
        item = json.loads(line)
        if isinstance(item, dict):
            spec = specs[item["table"]]
        elif spec is not None:
            yield spec, item


def conflict_id(table: str, row_id: str, group: str, loser: str) -> str:
    """Deterministic, so the same lost value is logged once wherever it is found."""
    return uuid.uuid5(NATURAL_KEY_NAMESPACE, f"conflict|{table}|{row_id}|{group}|{loser}").hex


class _Merger:
    """Merges batches of incoming rows into the open transaction."""

    def __init__(self, writer: RowWriter, manifest: dict[str, Any], own: dict[str, str],
                 dry_run: bool) -> None:
        self.writer = writer
        self.raw = writer.raw
        self.sender: dict[str, str] = manifest["vector"]
        self.own = own
        self.dry_run = dry_run
        # Keys made by another version of the key rules are made again here.
        self.rekey = manifest.get("key_version", 1) != KEY_VERSION
        self.now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        self.empty: dict[str, bool] = {}

    def merge(self, spec: TableSpec, rows: list[list[Any]], counts: TableCounts) -> None:
        name = spec.name
        if name not in self.empty:
            self.empty[name] = self.writer.is_empty(name)
        if self.empty[name] and not self.dry_run:
            self._insert_fresh(spec, rows, counts)
            return
        local: dict[str, tuple[Any, ...]] = {}
        clocks: dict[str, dict[str, str]] = {}
        if not self.empty[name]:
            local, clocks = self._local(spec, [row[0] for row in rows])
        derived = key_columns(name)
        columns = spec.field_names
        groups = [(group, [columns.index(f) for f in fields])
                  for group, fields in spec.groups.items()]
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        clock_rows: list[tuple[str, str, str, str]] = []
        cleared: list[tuple[str, str]] = []
        conflicts: list[tuple[Any, ...]] = []
        width = len(columns)
        for row in rows:
            row_id, stamp, length, deleted_at, row_clocks, *rest = row
            values, keys = rest[:width], rest[width:]
            row_clocks = row_clocks or {}
            current = local.get(row_id)
            if current is None:
                if derived and self.rekey:
                    keys = list(derived_values(name, dict(zip(columns, values, strict=True))))
                inserts.append((row_id, self.now, self.now, replica_of(stamp), stamp,
                                deleted_at, length, *values, *keys))
                clock_rows.extend((name, row_id, group, clock)
                                  for group, clock in row_clocks.items() if clock != stamp)
                if length % 2:
                    counts.new += 1
                else:
                    counts.deleted += 1
                continue
            l_stamp, l_length, l_deleted, *l_values = current
            l_clocks = clocks.get(row_id, {})
            merged = list(l_values)
            new_clocks: dict[str, str] = {}
            values_changed = False
            for group, indexes in groups:
                mine = l_clocks.get(group, l_stamp)
                theirs = row_clocks.get(group, stamp)
                mine_values = [l_values[i] for i in indexes]
                their_values = [values[i] for i in indexes]
                if theirs > mine:
                    new_clocks[group] = theirs
                    if mine_values != their_values:
                        for i in indexes:
                            merged[i] = values[i]
                        values_changed = True
                        if not covered(self.sender, mine):
                            conflicts.append(self._conflict(
                                spec, row_id, group, indexes, their_values, mine_values,
                                theirs, mine))
                else:
                    new_clocks[group] = mine
                    if theirs < mine and mine_values != their_values and \
                            not covered(self.own, theirs):
                        conflicts.append(self._conflict(
                            spec, row_id, group, indexes, mine_values, their_values, mine,
                            theirs))
            mine_life = l_clocks.get(LIFE, l_stamp)
            theirs_life = row_clocks.get(LIFE, stamp)
            new_length, new_deleted = l_length, l_deleted
            if (length, theirs_life) > (l_length, mine_life):
                new_length, new_deleted = length, deleted_at
                new_clocks[LIFE] = theirs_life
            else:
                new_clocks[LIFE] = mine_life
            new_stamp = max(new_clocks.values())
            old_clocks = {group: l_clocks.get(group, l_stamp) for group in new_clocks}
            if not values_changed and new_length == l_length and new_clocks == old_clocks:
                counts.unchanged += 1
                continue
            if l_length % 2 and not new_length % 2:
                counts.deleted += 1
            elif not l_length % 2 and new_length % 2:
                counts.restored += 1
            elif values_changed:
                counts.changed += 1
            else:
                counts.unchanged += 1
            keys = list(derived_values(name, dict(zip(columns, merged, strict=True)))
                        if derived else ())
            updates.append((self.now, replica_of(new_stamp), new_stamp, new_deleted,
                            new_length, *merged, *keys, row_id))
            cleared.append((name, row_id))
            clock_rows.extend((name, row_id, group, clock)
                              for group, clock in new_clocks.items() if clock != new_stamp)
        counts.conflicts += len(conflicts)
        if not self.dry_run:
            self._write(spec, inserts, updates, cleared, clock_rows, conflicts)

    def _insert_fresh(self, spec: TableSpec, rows: list[list[Any]], counts: TableCounts
                      ) -> None:
        """Rows for a table that held none before this import: nothing to merge, so the
        bundle's rows go in as they are (the statement picks the columns it needs)."""
        name = spec.name
        derived = key_columns(name)
        width = len(spec.field_names)
        clock_rows: list[tuple[str, str, str, str]] = []
        for row in rows:
            if row[4] is not None:  # per-field clocks: a few rows of a table at most
                clock_rows.extend((name, row[0], group, clock)
                                  for group, clock in row[4].items() if clock != row[1])
                row[4] = None
            if derived and self.rekey:
                row[5 + width:] = derived_values(
                    name, dict(zip(spec.field_names, row[5:5 + width], strict=True)))
        deleted = sum(1 for row in rows if not row[2] % 2)
        counts.new += len(rows) - deleted
        counts.deleted += deleted
        self.writer.insert_received(name, [*spec.field_names, *derived], rows, self.now)
        self.writer.put_field_clocks(clock_rows)

    def _conflict(self, spec: TableSpec, row_id: str, group: str, indexes: list[int],
                  winner: list[Any], loser: list[Any], winner_clock: str, loser_clock: str
                  ) -> tuple[Any, ...]:
        names = [spec.field_names[i] for i in indexes]
        return (conflict_id(spec.name, row_id, group, loser_clock), spec.name, row_id, group,
                json.dumps(dict(zip(names, winner, strict=True)), ensure_ascii=False),
                json.dumps(dict(zip(names, loser, strict=True)), ensure_ascii=False),
                winner_clock, loser_clock, self.now)

    def _local(self, spec: TableSpec, ids: list[str]
               ) -> tuple[dict[str, tuple[Any, ...]], dict[str, dict[str, str]]]:
        marks = ",".join("?" * len(ids))
        columns = ", ".join(spec.field_names)
        local = {row[0]: row[1:] for row in self.raw.execute(
            f"SELECT id, hlc, causal_length, deleted_at, {columns} FROM {spec.name} "
            f"WHERE id IN ({marks})", ids)}
        clocks: dict[str, dict[str, str]] = {}
        if local:
            for row_id, group, clock in self.raw.execute(
                    f"SELECT row_id, field, hlc FROM sync_field_clock WHERE table_name = ? "
                    f"AND row_id IN ({marks})", [spec.name, *ids]):
                clocks.setdefault(row_id, {})[group] = clock
        return local, clocks

    def _write(self, spec: TableSpec, inserts: list[tuple[Any, ...]],
               updates: list[tuple[Any, ...]], cleared: list[tuple[str, str]],
               clock_rows: list[tuple[str, str, str, str]],
               conflicts: list[tuple[Any, ...]]) -> None:
        columns = [*spec.field_names, *key_columns(spec.name)]
        self.writer.insert(spec.name, columns, inserts)
        self.writer.update(spec.name, columns, updates)
        self.writer.clear_field_clocks(cleared)
        self.writer.put_field_clocks(clock_rows)
        self.writer.log_conflicts(conflicts)
