"""No silent overwrite: a save of a record that changed since it was read is refused.

Several people work in one shared database at once; a form opened at 10:00 and saved at
10:05 must not wipe out what a colleague saved at 10:03. A save names the version it was
made from — the row's ``hlc``, the stamp of its latest change — and the gateway compares it
with the stored one under a row lock (PostgreSQL ``SELECT … FOR UPDATE``: a concurrent save
waits, then sees the new version). A mismatch raises :class:`EditConflictError`, which says
who changed the record and when, and carries the current version so the user can choose to
overwrite it (save again with that version) or reload.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Synced, SyncPeer


class EditConflictError(KankeiError):
    """The record was changed by someone else after it was read (nothing was saved)."""

    def __init__(self, message: str, *, table: str, row_id: uuid.UUID, changed_by: str,
                 changed_at: datetime, current_version: str) -> None:
        super().__init__(message)
        self.table = table
        self.row_id = row_id
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_version = current_version


def check_version(session: Session, row: Synced, expected: str | None,
                  replica_id: uuid.UUID) -> None:
    """Raise :class:`EditConflictError` unless ``row`` is still at version ``expected``
    (None: no check). Locks the row until the transaction ends."""
    if expected is None:
        return
    model = type(row)
    current = session.execute(
        select(model.hlc, model.updated_at, model.replica_id)
        .where(model.id == row.id).with_for_update()).one()
    stored, changed_at, replica = current
    if stored == expected:
        return
    table = str(row.__tablename__)  # type: ignore[attr-defined]
    who = _author(session, table, row.id, replica, replica_id)
    local = changed_at.replace(tzinfo=UTC).astimezone()
    raise EditConflictError(
        _("{who} changed this record at {time} after you opened it. Overwrite their changes "
          "with yours, or reload the record to see them (your changes are then "
          "dropped).").format(who=who, time=local.strftime("%Y-%m-%d %H:%M")),
        table=table, row_id=row.id, changed_by=who, changed_at=changed_at,
        current_version=str(stored))


def _author(session: Session, table: str, row_id: uuid.UUID, replica: uuid.UUID,
            own: uuid.UUID) -> str:
    """Who made the stored version: a login of the shared database, a colleague's replica
    (a bundle), or this computer."""
    if replica != own:
        peer = session.get(SyncPeer, replica.hex)
        name = peer.name if peer is not None and peer.name else str(replica)[:8]
        return _("A bundle from {name}").format(name=name)
    if session.get_bind().dialect.name == "postgresql":
        login = session.scalar(text("SELECT kankei_author_of(:t, :r)"),
                               {"t": table, "r": row_id})
        if login:
            return _("The user {login}").format(login=login)
    return _("Another window on this computer")
