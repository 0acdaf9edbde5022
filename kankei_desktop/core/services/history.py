"""変更履歴: who changed what in a record and when, and putting an earlier value back.

Two sources (:mod:`kankei_desktop.core.writes.change_log` explains why): the change log holds
the last local edits with their values; the clocks of the row and of its field groups tell,
for every field, which PC changed it last and when — also when that was a colleague's edit
that arrived in a bundle.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from kankei_desktop.core.clock import Stamp
from kankei_desktop.core.errors import NotFoundError, ValidationError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import ChangeLog, SyncFieldClock
from kankei_desktop.core.services.context import ServiceContext
from kankei_desktop.core.writes.change_log import CHANGED, KEPT_PER_RECORD, from_json
from kankei_desktop.core.writes.layout import layout_by_name


@dataclass(frozen=True)
class HistoryEntry:
    """One local edit: ``kind`` created/changed/deleted/restored; ``field`` for a change."""

    id: int
    at: datetime
    replica: str
    kind: str
    field: str
    old: Any
    new: Any
    action: str

    @property
    def restorable(self) -> bool:
        """A changed field, whose earlier value can be put back."""
        return self.kind == CHANGED


@dataclass(frozen=True)
class FieldStamp:
    """When a field group was last changed and by which replica (its id in hex)."""

    group: str
    fields: tuple[str, ...]
    at: datetime
    replica: str


def stamp_time(hlc: str) -> datetime | None:
    """The wall time of a clock stamp (naive UTC, as stored), None for an empty one."""
    if not hlc:
        return None
    wall = Stamp.parse(hlc).wall_ms
    return datetime.fromtimestamp(wall / 1000, UTC).replace(tzinfo=None)


def stamp_replica(hlc: str) -> str:
    """The replica (hex) that made a stamp ("" for an empty one)."""
    return Stamp.parse(hlc).replica if hlc else ""


class HistoryService:
    """The history of one record at a time."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def entries(self, table: str, row_id: uuid.UUID) -> list[HistoryEntry]:
        """The record's logged local edits, newest first."""
        with self._ctx.reading() as session:
            rows = session.scalars(
                select(ChangeLog).where(ChangeLog.table_name == table,
                                        ChangeLog.row_id == row_id)
                .order_by(ChangeLog.id.desc()).limit(KEPT_PER_RECORD))
            return [HistoryEntry(
                row.id, row.at, stamp_replica(row.hlc), row.kind, row.field,
                from_json(table, row.field, row.old_value) if row.field else None,
                from_json(table, row.field, row.new_value) if row.field else None,
                row.action) for row in rows]

    def last_changes(self, table: str, row_id: uuid.UUID) -> list[FieldStamp]:
        """For every field group of the record: when it was last changed, and where."""
        layout = layout_by_name()[table]
        with self._ctx.reading() as session:
            row = session.get(layout.model, row_id)
            if row is None:
                return []
            clocks: dict[str, str] = {field: hlc for field, hlc in session.execute(
                select(SyncFieldClock.field, SyncFieldClock.hlc).where(
                    SyncFieldClock.table_name == table, SyncFieldClock.row_id == row_id))}
            found = []
            for group, fields in layout.groups.items():
                hlc = clocks.get(group, row.hlc)
                at = stamp_time(hlc)
                if at is not None:
                    found.append(FieldStamp(group, fields, at, stamp_replica(hlc)))
            return found

    def restore(self, entry_id: int, label: str) -> None:
        """Put the value a logged change replaced back, as a new edit (one undoable action
        called ``label``)."""
        with self._ctx.action(label), self._ctx.transaction() as session:
            entry = session.get(ChangeLog, entry_id)
            if entry is None or entry.kind != CHANGED:
                raise NotFoundError(_("That entry is no longer in the history. Open the "
                                      "record again."))
            model = layout_by_name()[entry.table_name].model
            row = session.get(model, entry.row_id)
            if row is None:
                raise NotFoundError(_("The record no longer exists."))
            if row.deleted_at is not None:
                raise ValidationError([("", _("The record is deleted. Restore it first, then "
                                             "put the earlier value back."))])
            value = from_json(entry.table_name, entry.field, entry.old_value)
            self._ctx.writes.change(row, {entry.field: value})
