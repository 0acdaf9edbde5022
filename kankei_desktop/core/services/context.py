"""What every service needs: the open database, its write gateway, the clock and the time."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
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
from kankei_desktop.core.storage.replica import highest_stamp
from kankei_desktop.core.writes.change_log import install_change_log
from kankei_desktop.core.writes.field_clocks import install_field_clocks
from kankei_desktop.core.writes.gateway import WriteGateway
from kankei_desktop.core.writes.journal import Journal

RowT = TypeVar("RowT", bound=Synced)


def utc_now() -> datetime:
    """Naive UTC time, as stored in the file."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class ServiceContext:
    """Shared by all services of one open file: its database, its write gateway and the
    time (``now`` can be replaced in tests)."""

    database: Database
    now: Callable[[], datetime] = utc_now
    writes: WriteGateway = field(init=False)
    _clock: HybridClock | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.writes = WriteGateway(self.database.replica_id, lambda: self.clock, self.now)
        install_field_clocks(self.database.sessions)
        observers = getattr(self.database, "clock_observers", None)
        if observers is not None:  # a shared database: stamp above what exports claimed
            observers.append(lambda stamp: self.clock.observe(stamp))
        install_change_log(self.database.sessions)
        self.writes.journal.install(self.database.sessions)

    @property
    def journal(self) -> Journal:
        """The undo journal of this open file (:mod:`kankei_desktop.core.writes.journal`)."""
        return self.writes.journal

    def action(self, label: str) -> AbstractContextManager[None]:
        """One undoable user action called ``label`` (「山田 太郎の編集」): every write made
        inside is undone together."""
        return self.journal.action(label)

    def undo(self) -> str:
        """Undo the newest action through the gateway; return its label."""
        return self.journal.undo(self.transaction, self.writes)

    def redo(self) -> str:
        """Redo the action undone last; return its label."""
        return self.journal.redo(self.transaction, self.writes)

    @property
    def clock(self) -> HybridClock:
        """This replica's hybrid logical clock, never behind a stamp already stored (the PC's
        clock may have gone back since the last session). The file is read for that on the
        first stamp, not on opening, so commands that only read never pay for it."""
        if self._clock is None:
            clock = HybridClock(self.database.replica_id)
            with self.database.reading() as session:
                highest = highest_stamp(session)
            if highest:
                clock.observe(highest)
            self._clock = clock
        return self._clock

    @property
    def replica_id(self) -> uuid.UUID:
        """This file's replica id."""
        return self.database.replica_id

    @contextmanager
    def transaction(self, *, immediate: bool = True,
                    exclusive: bool = False) -> Iterator[Session]:
        """One unit of work for one user action (see :meth:`Database.transaction`;
        ``exclusive``: no other user of a shared database writes meanwhile — a bundle import)."""
        with self.database.transaction(immediate=immediate, exclusive=exclusive) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only."""
        with self.database.reading() as session:
            yield session


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
