"""The version vector: what this file and each colleague are known to have.

Field clocks of local changes are recorded by the write gateway
(:mod:`kankei_desktop.core.writes.field_clocks`); this module reads them with the vector.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.models import SyncPeer, SyncVector
from kankei_desktop.sync.schema import replica_of


def stored_vector(session: Session) -> dict[str, str]:
    """The version vector as stored (replica hex → highest stamp seen from it)."""
    return {row.replica_id: row.hlc for row in session.scalars(select(SyncVector))}


def merge_vector(session: Session, vector: dict[str, str]) -> None:
    """Raise the stored vector to at least ``vector``."""
    current = stored_vector(session)
    for replica, stamp in vector.items():
        if stamp > current.get(replica, ""):
            row = session.get(SyncVector, replica)
            if row is None:
                session.add(SyncVector(replica_id=replica, hlc=stamp))
            else:
                row.hlc = stamp


def covered(vector: dict[str, str], stamp: str) -> bool:
    """Whether a replica with ``vector`` has seen the change stamped ``stamp``."""
    return vector.get(replica_of(stamp), "") >= stamp


def peer_vector(session: Session, replica: str) -> dict[str, str] | None:
    """What the peer ``replica`` is known to have, or None if never heard from."""
    row = session.get(SyncPeer, replica)
    if row is None:
        return None
    value: Any = json.loads(row.vector)
    return {str(key): str(stamp) for key, stamp in dict(value).items()}
