"""What every record service does the same way: create, update, delete, restore, get, and the
paging and counting of its filtered lists.

A service names its model and its draft, says how a draft becomes column values
(:meth:`RecordService._clean`, validation included) and how its list is filtered
(``_query``); the writes go through the context's write gateway, so every record is stamped
and keyed in one place.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Generic, TypeVar, cast

from sqlalchemy import Select, func
from sqlalchemy.orm import Session

from kankei_desktop.core.models import Synced
from kankei_desktop.core.services.context import ServiceContext, get_row

RowT = TypeVar("RowT", bound=Synced)
DraftT = TypeVar("DraftT")


class RecordService(Generic[RowT, DraftT]):
    """The common use cases of one kind of record."""

    model: ClassVar[type[Synced]]

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context
        self._writes = context.writes

    # -- writing -----------------------------------------------------------------------

    def create(self, draft: DraftT) -> RowT:
        """Validate and save a new record (nothing is saved when any field is invalid)."""
        with self._ctx.transaction() as session:
            return self.create_in(session, draft)

    def create_in(self, session: Session, draft: DraftT) -> RowT:
        """:meth:`create` inside the caller's transaction (with other writes, all or
        nothing)."""
        row = self._new_row(session, draft)
        self._after_save(session, row, draft)
        return row

    def update(self, row_id: uuid.UUID, draft: DraftT, *, expected: str | None = None
               ) -> RowT:
        """Validate and save changes; all or nothing. ``expected``: the version the draft was
        made from (:meth:`version`); a record changed since by someone else raises
        :class:`~kankei_desktop.core.writes.versions.EditConflictError`."""
        with self._ctx.transaction() as session:
            row = self._row(session, row_id)
            self._writes.change(row, self._clean(session, draft, row_id), expected=expected)
            self._after_save(session, row, draft)
            return row

    def version(self, row_id: uuid.UUID) -> str | None:
        """The record's current version (None when it does not exist)."""
        with self._ctx.reading() as session:
            row = session.get(self.model, row_id)
            return None if row is None else row.hlc

    def delete(self, row_id: uuid.UUID) -> None:
        """Tombstone the record (kept in the file; restorable)."""
        with self._ctx.transaction() as session:
            self._writes.tombstone(self._row(session, row_id))

    def restore(self, row_id: uuid.UUID) -> RowT:
        """Undo a delete."""
        with self._ctx.transaction() as session:
            row = self._row(session, row_id, include_deleted=True)
            self._before_restore(session, row)
            self._writes.revive(row)
            return row

    # -- reading -----------------------------------------------------------------------

    def get(self, row_id: uuid.UUID, *, include_deleted: bool = False) -> RowT:
        """One record (a :class:`NotFoundError` when it no longer exists)."""
        with self._ctx.reading() as session:
            return self._row(session, row_id, include_deleted=include_deleted)

    # -- for subclasses ------------------------------------------------------------------

    def _clean(self, session: Session, draft: DraftT, current_id: uuid.UUID | None
               ) -> dict[str, object]:
        """The draft's column values, validated (raise :class:`ValidationError`)."""
        raise NotImplementedError

    def _new_row(self, session: Session, draft: DraftT) -> RowT:
        """A new row from a valid draft, added through the gateway."""
        row: RowT = cast(Any, self.model)(id=uuid.uuid4(), **self._clean(session, draft, None))
        return self._writes.add(session, row)

    def _after_save(self, session: Session, row: RowT, draft: DraftT) -> None:
        """Write what belongs to the record besides its own row (partners, …)."""

    def _before_restore(self, session: Session, row: RowT) -> None:
        """Refuse a restore that would break a rule (raise :class:`ValidationError`)."""

    def _row(self, session: Session, row_id: uuid.UUID, *, include_deleted: bool = False
             ) -> RowT:
        return get_row(session, self.model, row_id,  # type: ignore[return-value]
                       include_deleted=include_deleted)

    def _page(self, query: Select[RowT], order: tuple[Any, ...],
              limit: int | None, offset: int) -> list[RowT]:
        """``query`` in ``order``, one page of it when ``limit`` is given."""
        query = query.order_by(*order)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with self._ctx.reading() as session:
            return list(session.scalars(query))

    def _count(self, query: Select[RowT]) -> int:
        """How many rows ``query`` returns."""
        with self._ctx.reading() as session:
            return int(session.scalar(
                query.with_only_columns(func.count(self.model.id))) or 0)
