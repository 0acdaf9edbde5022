"""Per-field clocks of local changes.

A row's ``hlc`` is the clock of its latest change. When a local edit stamps a row anew, the
field groups it did *not* touch keep their previous clock in ``sync_field_clock``; the groups it
did touch lose any entry (their clock is the row's again). A hook on every ORM flush of the
file's sessions records this, so no service has to remember it; the bundle merge writes the
same table through :mod:`.bulk`.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import Table, and_, delete, event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from kankei_desktop.core.models import Synced, SyncFieldClock
from kankei_desktop.core.writes.layout import LIFE, layout_by_name

_CHANGED = "kankei_field_clocks_changed"
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


def insert_ignoring_duplicates(session: Session, table: Table) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` in the dialect of ``session``'s engine."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


def _record(session: Session, row: Synced, changed: dict[tuple[str, uuid.UUID], set[str]]
            ) -> None:
    layout = layout_by_name()[row.__tablename__]  # type: ignore[attr-defined]
    state = inspect(row)
    touched = changed.setdefault((layout.name, row.id), set())
    for name in layout.field_names:
        if state.attrs[name].history.has_changes():
            touched.add(layout.group_of(name))
    for name in ("causal_length", "deleted_at"):
        if state.attrs[name].history.has_changes():
            touched.add(LIFE)
    history = state.attrs["hlc"].history
    groups = [*layout.groups, LIFE]
    table = cast(Table, SyncFieldClock.__table__)
    if history.has_changes():
        old = history.deleted[0] if history.deleted else _stored_hlc(session, layout.name,
                                                                     row.id)
        keep = [group for group in groups if group not in touched]
        if old and keep:
            session.execute(
                insert_ignoring_duplicates(session, table),
                [{"table_name": layout.name, "row_id": row.id, "field": group, "hlc": old}
                 for group in keep],
            )
    cleared = [group for group in groups if group in touched]
    if cleared:
        session.execute(delete(table).where(and_(
            table.c.table_name == layout.name, table.c.row_id == row.id,
            table.c.field.in_(cleared))))


def _stored_hlc(session: Session, table_name: str, row_id: uuid.UUID) -> str:
    model = layout_by_name()[table_name].model
    value = session.execute(select(model.hlc).where(model.id == row_id)).scalar()
    return str(value or "")
