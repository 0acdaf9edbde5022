"""The write gateway: stamps, keys and writes synced rows for every writer.

One row at a time (the services, the Zoom import, merges of duplicates) through the ORM:
:meth:`WriteGateway.add`, :meth:`~WriteGateway.change`, :meth:`~WriteGateway.tombstone`,
:meth:`~WriteGateway.revive`. Many new rows at once (the spreadsheet import):
:meth:`~WriteGateway.new_values` then :meth:`~WriteGateway.insert_many`. Rows as a bundle
brings them (the merge): :func:`.bulk.row_writer`. Every path stamps rows the same way and
takes its derived keys from :mod:`.keys`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from types import SimpleNamespace
from typing import Any, TypeVar, cast

from sqlalchemy.orm import Session, object_session

from kankei_desktop.core.clock import HybridClock
from kankei_desktop.core.models import Base, Synced
from kankei_desktop.core.writes import bulk
from kankei_desktop.core.writes.journal import Journal
from kankei_desktop.core.writes.keys import refresh_keys
from kankei_desktop.core.writes.versions import check_version

RowT = TypeVar("RowT", bound=Synced)


class WriteGateway:
    """Stamps and keys for one open file (its replica id, its clock, the time)."""

    def __init__(self, replica_id: uuid.UUID, clock: Callable[[], HybridClock],
                 now: Callable[[], datetime], journal: Journal | None = None) -> None:
        self._replica_id = replica_id
        self._clock = clock
        self._now = now
        self.journal = journal or Journal()
        """Notes the rows written while a user action is open (undo, :mod:`.journal`)."""

    # -- one row at a time (ORM) ---------------------------------------------------------

    def stamp(self, row: Synced, *, new: bool = False) -> None:
        """Record that this replica changed ``row`` now (``new``: created now)."""
        moment = self._now()
        if new:
            row.created_at = moment
            row.causal_length = 1
        row.updated_at = moment
        row.replica_id = self._replica_id
        row.hlc = str(self._clock().now())

    def add(self, session: Session, row: RowT) -> RowT:
        """A new row (its id set): keyed, stamped and added to ``session``."""
        refresh_keys(_table_of(row), row)
        self.stamp(row, new=True)
        self.journal.note(session, row, new=True)
        session.add(row)
        return row

    def change(self, row: Synced, values: Mapping[str, Any], *,
               expected: str | None = None) -> list[str]:
        """Set the values that differ; when any did, re-key and stamp the row.

        ``expected``: the version (``hlc``) the values were made from; a row changed since
        raises :class:`~.versions.EditConflictError` and nothing is set. Returns the names of
        the fields that changed.
        """
        if expected is not None:
            session = object_session(row)
            assert session is not None
            check_version(session, row, expected, self._replica_id)
        changed = []
        if self.journal.recording:
            self.journal.note(object_session(row), row)
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed.append(name)
        if changed:
            refresh_keys(_table_of(row), row)
            self.stamp(row)
        return changed

    def put(self, session: Session, model: type[RowT], row_id: uuid.UUID,
            values: Mapping[str, Any], *, keep: Mapping[str, Any] | None = None) -> RowT:
        """The row ``row_id`` (a natural id) holding ``values``: created when new, brought
        back when deleted and changed where it differs. ``keep`` values are set only on a new
        row (a membership's parents, …)."""
        row = session.get(model, row_id)
        if row is None:
            new: RowT = cast(Any, model)(id=row_id, **(keep or {}), **values)
            return self.add(session, new)
        self.revive(row)
        self.change(row, values)
        return row

    def tombstone(self, row: Synced) -> None:
        """Mark ``row`` deleted (kept in the file; restorable)."""
        if row.deleted_at is None:
            self.journal.note(object_session(row), row)
            row.deleted_at = self._now()
            if row.causal_length % 2 == 1:
                row.causal_length += 1
            self.stamp(row)

    def revive(self, row: Synced) -> None:
        """Bring a tombstoned row back."""
        if row.deleted_at is not None:
            self.journal.note(object_session(row), row)
            row.deleted_at = None
            if row.causal_length % 2 == 0:
                row.causal_length += 1
            self.stamp(row)

    # -- many new rows (imports) ---------------------------------------------------------

    def new_values(self, table: str, **values: Any) -> dict[str, Any]:
        """Column values of a new row of ``table``, stamped and keyed exactly as :meth:`add`
        would, without the cost of an ORM object per row."""
        row = SimpleNamespace(deleted_at=None, **values)
        self.stamp(cast(Synced, row), new=True)
        refresh_keys(table, row)
        return vars(row)

    def insert_many(self, session: Session, model: type[Base], rows: list[dict[str, Any]]
                    ) -> None:
        """Insert rows made by :meth:`new_values` in one statement per batch."""
        if rows:
            bulk.insert_values(session, model, rows)
            self.journal.note_inserted(session, str(model.__tablename__), rows)


def _table_of(row: object) -> str:
    return str(row.__tablename__)  # type: ignore[attr-defined]
