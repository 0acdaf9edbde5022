"""The change log: the last local edits of each record, with old and new values.

A hook on every ORM flush of the file's sessions (beside the field clocks) writes one entry per
created, deleted or restored row and per changed data field, with the row's new clock and the
label of the user action it belonged to (:mod:`.journal`). Only the newest
:data:`KEPT_PER_RECORD` entries of a record are kept. The table is local: bundles never carry
it, and what another PC changed is told by the field clocks (:mod:`.field_clocks`).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from kankei_desktop.core.models import ChangeLog, Synced
from kankei_desktop.core.writes.journal import action_label
from kankei_desktop.core.writes.layout import layout_by_name

#: Entries kept per record (older ones are dropped when a new one is written).
KEPT_PER_RECORD = 50

CREATED = "created"
CHANGED = "changed"
DELETED = "deleted"
RESTORED = "restored"

_INSTALLED = "kankei_change_log_installed"
_PRUNE = text(
    "DELETE FROM change_log WHERE table_name = :t AND row_id = :r AND id <= ("
    " SELECT id FROM change_log WHERE table_name = :t AND row_id = :r"
    f" ORDER BY id DESC LIMIT 1 OFFSET {KEPT_PER_RECORD})")


def install_change_log(sessions: sessionmaker[Session]) -> None:
    """Log local edits on every flush of sessions made by ``sessions`` (once)."""
    if not getattr(sessions, _INSTALLED, False):
        event.listen(sessions, "before_flush", _before_flush)
        setattr(sessions, _INSTALLED, True)


def to_json(value: object) -> str:
    """A field value as JSON text (ids as hex, dates and times in ISO form)."""
    if isinstance(value, uuid.UUID):
        value = value.hex
    elif isinstance(value, date | time | datetime):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def from_json(table: str, field: str, stored: str) -> Any:
    """A logged value as the model's attribute type again."""
    value = json.loads(stored)
    if value is None:
        return None
    column = cast(Table, layout_by_name()[table].model.__table__).c[field]  # type: ignore[attr-defined]
    kind = column.type.python_type
    if kind is uuid.UUID:
        return uuid.UUID(hex=value)
    if kind in (date, time, datetime):
        return kind.fromisoformat(value)
    return value


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    entries: list[dict[str, Any]] = []
    label = action_label(session)
    for row in session.new:
        if isinstance(row, Synced):
            entries.append(_entry(row, CREATED, label))
    for row in session.dirty:
        if isinstance(row, Synced) and session.is_modified(row):
            entries.extend(_changes(row, label))
    if not entries:
        return
    session.execute(insert(ChangeLog), entries)
    touched = {(entry["table_name"], entry["row_id"].hex) for entry in entries}
    session.execute(_PRUNE, [{"t": table, "r": row_id} for table, row_id in touched])


def _entry(row: Synced, kind: str, label: str, field: str = "", old: object = None,
           new: object = None) -> dict[str, Any]:
    return {"table_name": str(row.__tablename__), "row_id": row.id,  # type: ignore[attr-defined]
            "at": row.updated_at, "hlc": row.hlc, "kind": kind, "field": field,
            "old_value": to_json(old), "new_value": to_json(new), "action": label[:200]}


def _changes(row: Synced, label: str) -> list[dict[str, Any]]:
    state = inspect(row)
    found = []
    life = state.attrs["deleted_at"].history
    if life.has_changes():
        was_deleted = bool(life.deleted and life.deleted[0] is not None)
        if row.deleted_at is not None and not was_deleted:
            found.append(_entry(row, DELETED, label))
        elif row.deleted_at is None and was_deleted:
            found.append(_entry(row, RESTORED, label))
    for name in layout_by_name()[str(row.__tablename__)].field_names:  # type: ignore[attr-defined]
        history = state.attrs[name].history
        if history.has_changes() and history.deleted:
            old, new = history.deleted[0], getattr(row, name)
            if old != new:
                found.append(_entry(row, CHANGED, label, name, old, new))
    return found
