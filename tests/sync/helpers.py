"""Shared helpers for the sync tests: replicas in temporary files and exchanges."""

from __future__ import annotations

import json
from pathlib import Path

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.rows import storage_rows
from kankei_desktop.sync.schema import table_specs
from kankei_desktop.sync.service import SyncService

_FULL_EXPORTS = [0]


def open_replica(path: Path | str) -> Services:
    """A replica: a database file (or a shared database's URL) with its services."""
    return Services(open_database(path))


def exchange(source: Services, target: Services, folder: Path, *, incremental: bool = True,
             name: str = "b.kankei") -> Path:
    """Export from ``source`` (for ``target`` when known) and import into ``target``."""
    path = folder / name
    sync = SyncService(source)
    known = {str(peer.replica_id) for peer in sync.peers()}
    peer = str(target.context.replica_id)
    full = not (incremental and peer in known)
    # full bundles alternate between JSON lines and the database image: both must converge
    _FULL_EXPORTS[0] += full
    sync.export(path, peer=None if full else peer, image=full and _FULL_EXPORTS[0] % 2 == 0)
    SyncService(target).import_(path, None, allow_unencrypted=True)
    return path


def full_state(services: Services) -> str:
    """Every row, tombstones included, with exchanged fields and causal length (no clocks),
    in storage text whatever the engine (so a file and a shared database compare)."""
    with services.context.reading() as session:
        connection = storage_rows(session)
        result = {}
        for spec in table_specs():
            names = ["id", "causal_length", *spec.field_names]
            result[spec.name] = [list(row) for row in connection.execute(
                f"SELECT {', '.join(names)} FROM {spec.name} ORDER BY id")]
        return json.dumps(result, ensure_ascii=False, sort_keys=True)


def all_lost_values(replicas: list[Services]) -> set[tuple[str, str, str, str]]:
    """(table, row id hex, field, value JSON) of every logged losing value, on any replica."""
    found = set()
    for services in replicas:
        for entry in SyncService(services).conflicts():
            for field, value in entry.loser.items():
                found.add((entry.table, entry.row_id.hex, field, json.dumps(value)))
    return found
