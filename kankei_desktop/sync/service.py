"""One facade over sync for the CLI and the 同期 page."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kankei_desktop.core.models import SyncHistory, SyncPeer
from kankei_desktop.core.services import Services
from kankei_desktop.sync import conflicts, duplicates
from kankei_desktop.sync.bundle import read_manifest
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.export import ExportResult, Progress, export_bundle
from kankei_desktop.sync.identity import replica_name
from kankei_desktop.sync.merge import ImportReport, import_bundle
from kankei_desktop.sync.scope import parse_scope


@dataclass(frozen=True)
class Peer:
    """A colleague's replica we have received a bundle from."""

    replica_id: uuid.UUID
    name: str
    last_import_at: datetime | None
    last_export_at: datetime | None
    vector: dict[str, str]


@dataclass(frozen=True)
class Exchange:
    """One line of the exchange history."""

    at: datetime
    direction: str
    peer_replica_id: str
    peer_name: str
    file_name: str
    summary: dict[str, Any]


class SyncService:
    """Bundles, peers, history, conflicts and duplicates of one open file."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @property
    def replica_id(self) -> uuid.UUID:
        """This file's replica id."""
        return self.services.context.replica_id

    def name(self) -> str:
        """The name colleagues see for this replica."""
        return replica_name(self.services)

    def export(self, path: Path, *, peer: str | None = None, passphrase: str | None = None,
               progress: Progress | None = None, scope: list[str] | None = None,
               image: bool = False) -> ExportResult:
        """Write a full bundle (``peer`` None) or an incremental one for ``peer``; ``scope``
        (``municipality:CODE``, ``club:NAME``) keeps it to those records; a full one as a
        database image (format 2) with ``image=True`` (see :mod:`.export`)."""
        chosen = None
        if scope:
            def club_id(name: str) -> str | None:
                club = self.services.clubs.find_by_name(name)
                return club.id.hex if club is not None else None
            chosen = parse_scope(scope, club_id)
        return export_bundle(self.services, path, peer=peer, passphrase=passphrase,
                             progress=progress, scope=chosen, image=image)

    def import_(self, path: Path, passphrase: str | None, *, dry_run: bool = False,
                accept_future: bool = False, allow_unencrypted: bool = False,
                progress: Progress | None = None, backup: bool = True) -> ImportReport:
        """Preview (``dry_run``) or apply a bundle (``backup=False``: benchmarks only);
        an unencrypted one only with ``allow_unencrypted``."""
        return import_bundle(self.services, path, passphrase, dry_run=dry_run,
                             accept_future=accept_future, allow_unencrypted=allow_unencrypted,
                             progress=progress, backup=backup)

    @staticmethod
    def inspect(path: Path) -> dict[str, Any]:
        """A bundle's manifest (no passphrase needed)."""
        return read_manifest(path)

    def peers(self) -> list[Peer]:
        """Colleagues heard from, by name."""
        with self.services.context.reading() as session:
            rows = session.scalars(select(SyncPeer).order_by(SyncPeer.name,
                                                             SyncPeer.replica_id))
            return [Peer(uuid.UUID(hex=row.replica_id), row.name, row.last_import_at,
                         row.last_export_at, json.loads(row.vector)) for row in rows]

    def history(self, limit: int = 200) -> list[Exchange]:
        """The latest exchanges, newest first."""
        with self.services.context.reading() as session:
            rows = session.scalars(select(SyncHistory).order_by(SyncHistory.at.desc())
                                   .limit(limit))
            return [Exchange(row.at, row.direction, row.peer_replica_id, row.peer_name,
                             row.file_name, json.loads(row.summary)) for row in rows]

    def conflicts(self, *, include_restored: bool = True) -> list[conflicts.ConflictEntry]:
        """The conflict log."""
        return conflicts.list_conflicts(self.services, include_restored=include_restored)

    def restore_conflict(self, conflict_id: uuid.UUID) -> None:
        """Put a losing value back (a new local edit)."""
        conflicts.restore_conflict(self.services, conflict_id)

    def duplicates(self, limit: int = duplicates.SHOWN_GROUPS) -> duplicates.DuplicateGroups:
        """Possible duplicate people (the first ``limit`` groups and the number of all)."""
        return duplicates.possible_duplicates(self.services, limit)

    def merge_people(self, keep_id: uuid.UUID, other_id: uuid.UUID) -> None:
        """Merge two people by hand."""
        duplicates.merge_people(self.services, keep_id, other_id)

    def dump(self) -> str:
        """The canonical JSON of all live records."""
        return dump_text(self.services)
