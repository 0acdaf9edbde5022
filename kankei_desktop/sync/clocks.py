"""Per-field clocks for local changes, the version vector and this file's highest stamp.

A row's ``hlc`` is the clock of its latest change. When a local edit stamps a row anew, the
field groups it did *not* touch keep their previous clock in ``sync_field_clock``; the
groups it did touch lose any entry (their clock is the row's again). The hook sees every
ORM flush, so every service records clocks without knowing about sync.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, cast

from sqlalchemy import Table, and_, delete, event, func, inspect, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from kankei_desktop.core.models import Meta, Synced, SyncFieldClock, SyncPeer, SyncVector
from kankei_desktop.sync.schema import LIFE, replica_of, spec_by_name, table_specs

_CHANGED = "kankei_sync_changed"
_INSTALLED = "kankei_field_clocks_installed"


def install_field_clocks(sessions: sessionmaker[Session]) -> None:
    """Record field clocks on every flush of sessions made by ``sessions`` (once).

    The marker lives on the sessionmaker itself: ``event.contains`` answers by ``id()`` and
    says yes for a new sessionmaker that reuses the address of a discarded one, which left
    files opened later in a long-running process without field clocks.
    """
    if not getattr(sessions, _INSTALLED, False):
        event.listen(sessions, "before_flush", _before_flush)
        setattr(sessions, _INSTALLED, True)


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    changed: dict[tuple[str, uuid.UUID], set[str]] = session.info.setdefault(_CHANGED, {})
    for row in list(session.dirty):
        if isinstance(row, Synced) and session.is_modified(row):
            _record(session, row, changed)


def _record(session: Session, row: Synced, changed: dict[tuple[str, uuid.UUID], set[str]]
            ) -> None:
    spec = spec_by_name()[row.__tablename__]  # type: ignore[attr-defined]
    state = inspect(row)
    touched = changed.setdefault((spec.name, row.id), set())
    for name in spec.field_names:
        if state.attrs[name].history.has_changes():
            touched.add(spec.group_of(name))
    for name in ("causal_length", "deleted_at"):
        if state.attrs[name].history.has_changes():
            touched.add(LIFE)
    history = state.attrs["hlc"].history
    groups = [*spec.groups, LIFE]
    table = cast(Table, SyncFieldClock.__table__)
    if history.has_changes():
        old = history.deleted[0] if history.deleted else _stored_hlc(session, spec.name, row.id)
        keep = [group for group in groups if group not in touched]
        if old and keep:
            session.execute(
                sqlite_insert(table).on_conflict_do_nothing(),
                [{"table_name": spec.name, "row_id": row.id, "field": group, "hlc": old}
                 for group in keep],
            )
    cleared = [group for group in groups if group in touched]
    if cleared:
        session.execute(delete(table).where(and_(
            table.c.table_name == spec.name, table.c.row_id == row.id,
            table.c.field.in_(cleared))))


def _stored_hlc(session: Session, table_name: str, row_id: uuid.UUID) -> str:
    model = spec_by_name()[table_name].model
    value = session.execute(select(model.hlc).where(model.id == row_id)).scalar()
    return str(value or "")


def highest_stamp(session: Session) -> str:
    """The highest clock stamp stored in this file ("" for an empty file)."""
    stamps = [session.scalar(select(func.max(spec.model.hlc))) for spec in table_specs()]
    stamps.append(session.scalar(select(func.max(SyncFieldClock.hlc))))
    stamps.append(session.scalar(select(func.max(SyncVector.hlc))))
    return max((stamp for stamp in stamps if stamp), default="")


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


def adopt_former_replicas(session: Session, highest: str) -> None:
    """After a copy got a new replica id, claim the old id's changes up to the copy.

    Every change the file holds from its former replica id happened before the copy, so the
    version vector may say so (at the highest stamp stored); otherwise colleagues would
    resend everything the original had made. Done once per former id.
    """
    former = session.get(Meta, "former_replica_ids")
    if former is None or not highest:
        return
    done_row = session.get(Meta, "former_replicas_adopted")
    done = set(done_row.value.split()) if done_row is not None else set()
    pending = [value for value in former.value.split() if value not in done]
    if not pending:
        return
    for value in pending:
        replica = uuid.UUID(value).hex
        merge_vector(session, {replica: f"{highest[:20]}{replica}"})
    text = " ".join(sorted(done | set(pending)))
    if done_row is None:
        session.add(Meta(key="former_replicas_adopted", value=text))
    else:
        done_row.value = text
