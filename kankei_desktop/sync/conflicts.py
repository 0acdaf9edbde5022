"""The conflict log: values that lost against a concurrent edit, and restoring them."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import NotFoundError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import SyncConflict
from kankei_desktop.core.services import Services
from kankei_desktop.sync.schema import replica_of, spec_by_name


@dataclass(frozen=True)
class ConflictEntry:
    """One logged conflict, ready to show."""

    id: uuid.UUID
    table: str
    row_id: uuid.UUID
    field: str
    record: str
    winner: dict[str, Any]
    loser: dict[str, Any]
    winner_replica: str
    loser_replica: str
    logged_at: datetime
    restored_at: datetime | None


def record_label(session: Session, table: str, row_id: uuid.UUID) -> str:
    """A short human name for a record (its name or title)."""
    spec = spec_by_name().get(table)
    row = session.get(spec.model, row_id) if spec else None
    if row is None:
        return f"{table} {row_id}"
    for attribute in ("name", "title", "summary"):
        value = getattr(row, attribute, None)
        if value:
            return str(value)
    family = getattr(row, "family_name", None)
    if family:
        return f"{family} {getattr(row, 'given_name', '')}".strip()
    return f"{table} {str(row_id)[:8]}"


def list_conflicts(services: Services, *, include_restored: bool = True,
                   table: str | None = None, row_id: uuid.UUID | None = None
                   ) -> list[ConflictEntry]:
    """Every logged conflict (of one record when ``table`` and ``row_id`` are given), newest
    first."""
    with services.context.reading() as session:
        query = select(SyncConflict).order_by(SyncConflict.logged_at.desc(), SyncConflict.id)
        if table is not None and row_id is not None:
            query = query.where(SyncConflict.table_name == table, SyncConflict.row_id == row_id)
        if not include_restored:
            query = query.where(SyncConflict.restored_at.is_(None))
        return [ConflictEntry(
            id=row.id, table=row.table_name, row_id=row.row_id, field=row.field,
            record=record_label(session, row.table_name, row.row_id),
            winner=json.loads(row.winner_value), loser=json.loads(row.loser_value),
            winner_replica=replica_of(row.winner_hlc), loser_replica=replica_of(row.loser_hlc),
            logged_at=row.logged_at, restored_at=row.restored_at,
        ) for row in session.scalars(query)]


def python_value(kind: str, value: Any) -> Any:
    """An exchanged (storage text) value as the ORM attribute type."""
    if value is None:
        return None
    if kind == "uuid":
        return uuid.UUID(hex=value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "time":
        return time.fromisoformat(value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    return value


def restore_conflict(services: Services, conflict_id: uuid.UUID) -> None:
    """Put the losing value back, as a new local edit (it then wins everywhere)."""
    context = services.context
    with context.action(_("Restore of a conflicting value")), \
            context.transaction() as session:
        entry = session.get(SyncConflict, conflict_id)
        if entry is None:
            raise NotFoundError(_("That conflict is no longer in the log. Refresh the list."))
        spec = spec_by_name()[entry.table_name]
        row = session.get(spec.model, entry.row_id)
        if row is None:
            raise NotFoundError(_("The record of that conflict no longer exists."))
        kinds = {column.name: column.kind for column in spec.columns}
        context.writes.change(row, {
            name: python_value(kinds[name], value)
            for name, value in json.loads(entry.loser_value).items() if name in kinds})
        entry.restored_at = context.now()
