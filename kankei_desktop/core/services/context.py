"""What every service needs: the open database, this replica's clock and the time."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from kankei_desktop.core.clock import HybridClock
from kankei_desktop.core.errors import NotFoundError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Synced
from kankei_desktop.core.storage.database import Database

RowT = TypeVar("RowT", bound=Synced)


def utc_now() -> datetime:
    """Naive UTC time, as stored in the file."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class ServiceContext:
    """Shared by all services of one open file."""

    database: Database
    clock: HybridClock = field(init=False)
    now: Callable[[], datetime] = utc_now

    def __post_init__(self) -> None:
        self.clock = HybridClock(self.database.replica_id)
        # Sync: record per-field clocks on every local change, and never issue a stamp below
        # one already stored (the PC's clock may have gone back since the last session).
        from kankei_desktop.sync.clocks import (
            adopt_former_replicas,
            highest_stamp,
            install_field_clocks,
        )

        install_field_clocks(self.database.sessions)
        with self.database.reading() as session:
            highest = highest_stamp(session)
        if highest:
            self.clock.observe(highest)
            if not self.database.read_only:  # a read-only copy writes nothing
                with self.database.transaction() as session:
                    adopt_former_replicas(session, highest)

    @property
    def replica_id(self) -> uuid.UUID:
        """This file's replica id."""
        return self.database.replica_id

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work for one user action."""
        with self.database.transaction() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only."""
        with self.database.reading() as session:
            yield session

    def stamp(self, row: Synced, *, new: bool = False) -> None:
        """Record that this replica changed ``row`` now."""
        moment = self.now()
        if new:
            row.created_at = moment
            row.causal_length = 1
        row.updated_at = moment
        row.replica_id = self.replica_id
        row.hlc = str(self.clock.now())

    def tombstone(self, row: Synced) -> None:
        """Mark ``row`` deleted (kept in the file; restorable)."""
        if row.deleted_at is None:
            row.deleted_at = self.now()
            if row.causal_length % 2 == 1:
                row.causal_length += 1
            self.stamp(row)

    def revive(self, row: Synced) -> None:
        """Bring a tombstoned row back."""
        if row.deleted_at is not None:
            row.deleted_at = None
            if row.causal_length % 2 == 0:
                row.causal_length += 1
            self.stamp(row)


def get_row(
    session: Session, model: type[RowT], row_id: uuid.UUID, *, include_deleted: bool = False
) -> RowT:
    """The row with ``row_id`` or a :class:`NotFoundError` the user can read."""
    row = session.get(model, row_id)
    if row is None or (row.deleted_at is not None and not include_deleted):
        raise NotFoundError(
            _("The record no longer exists (it may have been deleted). Refresh the list.")
        )
    return row


def live(model: type[Synced]) -> ColumnElement[bool]:
    """Filter for rows that are not tombstoned."""
    return model.deleted_at.is_(None)


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so the user's ``%`` or ``_`` match literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def apply_fields(row: object, values: dict[str, Any]) -> list[str]:
    """Set changed attributes; return the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def ids_of(rows: Sequence[Synced]) -> list[uuid.UUID]:
    """The ids of ``rows``."""
    return [row.id for row in rows]


__all__ = [
    "ServiceContext",
    "apply_fields",
    "escape_like",
    "get_row",
    "ids_of",
    "live",
    "select",
    "utc_now",
]
