"""The undo journal: what each user action changed, so it can be undone and redone.

A user action (saving a form, deleting a record, an import, a merge of duplicates) is opened
with :meth:`Journal.action`. While it is open, every write of the gateway notes the row's
*before-image* — its data fields and whether it was deleted, or that it did not exist — once
per row; when the transaction commits, the row's clock after the action is noted too
(a rolled-back transaction leaves nothing behind). Writes made while no action is open (a
bundle import, the demo data) are not recorded.

Undo puts the before-images back **through the gateway**, as new, stamped local edits: what
the action created is tombstoned, what it deleted is revived, changed fields get their old
values. Sync therefore stays correct: an undo is just a newer edit that wins everywhere.
Before writing anything, undo checks that every row still carries the clock the action (or the
undo/redo after it) left; when a bundle import or another unrecorded write changed a row since,
the undo is refused with a sentence, because putting the old values back would silently drop
that change. Redo is the same operation with the images the undo captured.

The journal lives in memory for one open file (a new file, a new journal) and keeps the last
:data:`KEPT_ACTIONS` actions.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Synced
from kankei_desktop.core.writes.layout import layout_by_name

#: How many actions can be undone (the issue asks for at least 50).
KEPT_ACTIONS = 100
#: Rows loaded per statement when an action is undone (an import can hold thousands).
CHUNK = 500

_PENDING = "kankei_journal_pending"
_BULK = "kankei_journal_bulk"
_OWNER = "kankei_journal"
_LABEL = "kankei_action_label"
_INSTALLED = "kankei_journal_installed"

RowKey = tuple[str, uuid.UUID]


class UndoRefusedError(KankeiError):
    """The action cannot be undone (or redone) without losing a later change."""


@dataclass(frozen=True)
class Image:
    """A row's state: its data fields and whether it was deleted (``values`` None: the row
    did not exist) and the clock of that state (``""`` when it did not exist)."""

    values: dict[str, Any] | None
    deleted: bool
    hlc: str


MISSING = Image(None, False, "")


@dataclass
class RowChange:
    """One row of an action: the state to put back and the clock the row must carry now."""

    table: str
    row_id: uuid.UUID
    image: Image
    expected: str


@dataclass
class BulkRows:
    """Rows of one table an action created in bulk (an import), remembered compactly: their
    ids packed 16 bytes each and the range of the clocks the action left on them. A row still
    carries a clock of that range, issued by this replica, exactly when nothing changed it
    since (every later stamp is higher; another replica's stamp ends with its own id), so a
    million imported rows cost 16 MB to remember, not an object each.
    """

    table: str
    ids: bytearray = field(default_factory=bytearray)
    first: str = ""
    last: str = ""
    deleted: bool = False
    """False: the rows are alive (undo deletes them); True: an undo deleted them (redo
    brings them back)."""

    def add(self, row_id: uuid.UUID, stamp: str) -> None:
        """One more row and the clock it carries now."""
        self.ids += row_id.bytes
        self.first = min(self.first, stamp) if self.first else stamp
        self.last = max(self.last, stamp)

    def row_ids(self) -> list[uuid.UUID]:
        """The ids, unpacked."""
        return [uuid.UUID(bytes=bytes(self.ids[start:start + 16]))
                for start in range(0, len(self.ids), 16)]

    def unchanged(self, stamp: str) -> bool:
        """Whether a row carrying ``stamp`` was left as the action left it."""
        return self.first <= stamp <= self.last and stamp[-32:] == self.first[-32:]


@dataclass
class Action:
    """One user action: its label (「山田 太郎の編集」) and the rows it changed."""

    label: str
    changes: dict[RowKey, RowChange] = field(default_factory=dict)
    bulk: dict[str, BulkRows] = field(default_factory=dict)


@dataclass
class _Pending:
    change: RowChange
    row: Synced | None  # the ORM row, read for its clock at commit (None: bulk insert)


def image_of(row: Synced) -> Image:
    """The current state of ``row``."""
    layout = layout_by_name()[_table_of(row)]
    return Image({name: getattr(row, name) for name in layout.field_names},
                 row.deleted_at is not None, row.hlc)


class Journal:
    """The undo and redo stacks of one open file."""

    def __init__(self, kept: int = KEPT_ACTIONS) -> None:
        self._kept = kept
        self._undo: list[Action] = []
        self._redo: list[Action] = []
        self._open: Action | None = None
        self._depth = 0
        self._replaying = False
        self._lock = threading.RLock()
        self.listeners: list[Callable[[], None]] = []
        """Called after the stacks changed (menus update their text)."""

    # -- recording -------------------------------------------------------------------------

    @contextmanager
    def action(self, label: str) -> Iterator[None]:
        """Record the writes made inside as one undoable action called ``label``.

        Nested actions belong to the outermost one. Only committed transactions count: an
        action whose writes were all rolled back leaves nothing to undo.
        """
        with self._lock:
            self._depth += 1
            if self._depth == 1:
                self._open = Action(label)
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                done = self._open if self._depth == 0 else None
                if self._depth == 0:
                    self._open = None
            if done is not None and (done.changes or done.bulk):
                self._push(done)

    @property
    def recording(self) -> bool:
        """True while an action is open (and no undo is being written)."""
        return self._open is not None and not self._replaying

    def install(self, sessions: sessionmaker[Session]) -> None:
        """Hear of commits and rollbacks of the file's sessions (once per sessionmaker)."""
        if not getattr(sessions, _INSTALLED, False):
            event.listen(sessions, "after_commit", _after_commit)
            event.listen(sessions, "after_rollback", _after_rollback)
            setattr(sessions, _INSTALLED, True)

    def note(self, session: Session | None, row: Synced, *, new: bool = False) -> None:
        """The gateway is about to write ``row`` (``new``: it is being created)."""
        if session is None or not self.recording:
            return
        pending = self._pending(session)
        key = (_table_of(row), row.id)
        if key not in pending:
            image = MISSING if new else image_of(row)
            pending[key] = _Pending(RowChange(key[0], row.id, image, ""), row)

    def note_inserted(self, session: Session, table: str, rows: Iterable[Mapping[str, Any]]
                      ) -> None:
        """New rows inserted in bulk (values made by the gateway: id and hlc set)."""
        if not self.recording:
            return
        self._pending(session)  # the commit hook finds the journal through the session
        bulk: dict[str, BulkRows] = session.info.setdefault(_BULK, {})
        record = bulk.setdefault(table, BulkRows(table))
        for values in rows:
            record.add(values["id"], str(values["hlc"]))

    def _pending(self, session: Session) -> dict[RowKey, _Pending]:
        session.info[_OWNER] = self
        if self._open is not None:
            session.info[_LABEL] = self._open.label
        pending: dict[RowKey, _Pending] = session.info.setdefault(_PENDING, {})
        return pending

    def _committed(self, pending: dict[RowKey, _Pending],
                   bulk: dict[str, BulkRows] | None = None) -> None:
        with self._lock:
            action = self._open
            if action is None:
                return
            for table, record in (bulk or {}).items():
                known_bulk = action.bulk.get(table)
                if known_bulk is None:
                    action.bulk[table] = record
                else:
                    known_bulk.ids += record.ids
                    known_bulk.first = min(known_bulk.first, record.first)
                    known_bulk.last = max(known_bulk.last, record.last)
            for key, entry in pending.items():
                change = entry.change
                if entry.row is not None:
                    change.expected = entry.row.hlc
                known = action.changes.get(key)
                if known is not None:
                    known.expected = change.expected
                elif change.expected != change.image.hlc:  # a write that changed nothing
                    action.changes[key] = change

    def _push(self, action: Action) -> None:
        with self._lock:
            self._undo.append(action)
            del self._undo[:-self._kept]
            self._redo.clear()
        self._notify()

    # -- undo and redo -------------------------------------------------------------------------

    def undo_label(self) -> str | None:
        """What :meth:`undo` would undo (None: nothing)."""
        return self._undo[-1].label if self._undo else None

    def redo_label(self) -> str | None:
        """What :meth:`redo` would redo (None: nothing)."""
        return self._redo[-1].label if self._redo else None

    def labels(self) -> list[str]:
        """The labels of the actions that can be undone, newest first."""
        return [action.label for action in reversed(self._undo)]

    def undo(self, transaction: Callable[[], AbstractContextManager[Session]],
             writes: Writer) -> str:
        """Undo the newest action; return its label. Raises :class:`UndoRefusedError`."""
        return self._replay(self._undo, self._redo, transaction, writes, undoing=True)

    def redo(self, transaction: Callable[[], AbstractContextManager[Session]],
             writes: Writer) -> str:
        """Redo the action undone last; return its label."""
        return self._replay(self._redo, self._undo, transaction, writes, undoing=False)

    def clear(self) -> None:
        """Forget every action."""
        with self._lock:
            self._undo.clear()
            self._redo.clear()
        self._notify()

    def _replay(self, source: list[Action], target: list[Action],
                transaction: Callable[[], AbstractContextManager[Session]], writes: Writer,
                *, undoing: bool) -> str:
        with self._lock:
            if self._open is not None:
                raise UndoRefusedError(_("Finish the current action first."))
            if not source:
                raise UndoRefusedError(_("There is nothing to undo.") if undoing
                                       else _("There is nothing to redo."))
            action = source[-1]
            self._replaying = True
            try:
                with transaction() as session:
                    session.info[_LABEL] = (_("Undo: {action}") if undoing
                                            else _("Redo: {action}")).format(action=action.label)
                    counter, moved = _apply(session, writes, action, undoing=undoing)
            except UndoRefusedError:
                source.pop()  # it never can be: older actions become reachable again
                self._notify()
                raise
            finally:
                self._replaying = False
            source.pop()
            target.append(counter)
            for other in (*self._undo, *self._redo):
                if other is counter:
                    continue
                for key, (old, new) in moved.items():
                    change = other.changes.get(key)
                    if change is not None and change.expected == old:
                        change.expected = new
        self._notify()
        return action.label

    def _notify(self) -> None:
        for listener in list(self.listeners):
            listener()


class Writer(Protocol):
    """What the journal needs of the write gateway."""

    def tombstone(self, row: Synced) -> None:
        """Mark ``row`` deleted."""

    def revive(self, row: Synced) -> None:
        """Bring ``row`` back."""

    def change(self, row: Synced, values: Mapping[str, Any]) -> list[str]:
        """Set ``values`` on ``row``."""


def _apply(session: Session, writes: Writer, action: Action, *, undoing: bool
           ) -> tuple[Action, dict[RowKey, tuple[str, str]]]:
    """Put ``action``'s images back; return the action that puts the current states back,
    and for each row (the clock of the state put back, the row's new clock)."""
    def refused() -> UndoRefusedError:
        return UndoRefusedError(
            _("'{action}' cannot be undone: the same data was changed afterwards "
              "(by a bundle import or another change that cannot be undone). It was taken "
              "off the undo list; change the data by hand if needed.").format(
                  action=action.label)
            if undoing else
            _("'{action}' cannot be redone: the same data was changed afterwards. It was "
              "taken off the redo list; change the data by hand if needed.").format(
                  action=action.label))

    rows = _load(session, action.changes)
    for key, change in action.changes.items():
        row = rows.get(key)
        if (row.hlc if row is not None else "") != change.expected:
            raise refused()
    counter = Action(action.label)
    moved: dict[RowKey, tuple[str, str]] = {}
    for key, change in action.changes.items():
        row = rows[key]
        current = image_of(row)
        image = change.image
        if image.values is None:
            writes.tombstone(row)
        elif image.deleted:
            writes.change(row, image.values)
            writes.tombstone(row)
        else:
            writes.revive(row)
            writes.change(row, image.values)
        counter.changes[key] = RowChange(change.table, change.row_id, current, row.hlc)
        moved[key] = (image.hlc, row.hlc)
    session.flush()  # the rows above are written before the bulk rows are let go of
    for record in action.bulk.values():  # last: it lets go of the rows it loaded
        counter.bulk[record.table] = _apply_bulk(session, writes, record, refused)
    return counter, moved


def _apply_bulk(session: Session, writes: Writer, record: BulkRows,
                refused: Callable[[], UndoRefusedError]) -> BulkRows:
    """Delete (or bring back) rows created in bulk, a chunk at a time; the record that puts
    them back. Every row is checked before the first is written (the transaction is all or
    nothing anyway; checking first keeps a refusal quick)."""
    model = layout_by_name()[record.table].model
    ids = record.row_ids()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        stamps = {row_id: stamp for row_id, stamp in session.execute(
            select(model.id, model.hlc).where(model.id.in_(chunk)))}
        if len(stamps) != len(chunk) or not all(
                record.unchanged(str(stamp)) for stamp in stamps.values()):
            raise refused()
    counter = BulkRows(record.table, deleted=not record.deleted)
    for start in range(0, len(ids), CHUNK):
        for row in session.scalars(select(model).where(model.id.in_(ids[start:start + CHUNK]))):
            if record.deleted:
                writes.revive(row)
            else:
                writes.tombstone(row)
            counter.add(row.id, row.hlc)
        session.flush()
        session.expunge_all()  # a large import: only a chunk of rows in memory at a time
    return counter


def _load(session: Session, changes: Mapping[RowKey, RowChange]) -> dict[RowKey, Synced]:
    by_table: dict[str, list[uuid.UUID]] = {}
    for table, row_id in changes:
        by_table.setdefault(table, []).append(row_id)
    found: dict[RowKey, Synced] = {}
    for table, ids in by_table.items():
        model = layout_by_name()[table].model
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            for row in session.scalars(select(model).where(model.id.in_(chunk))):
                found[(table, row.id)] = row
    return found


def action_label(session: Session) -> str:
    """The label of the user action (or undo) that ``session`` writes for ("" when none)."""
    return str(session.info.get(_LABEL, ""))


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    bulk = session.info.pop(_BULK, None)
    owner = session.info.pop(_OWNER, None)
    session.info.pop(_LABEL, None)
    if (pending or bulk) and isinstance(owner, Journal):
        owner._committed(pending or {}, bulk)


def _after_rollback(session: Session) -> None:
    for key in (_PENDING, _BULK, _OWNER, _LABEL):
        session.info.pop(key, None)


def _table_of(row: object) -> str:
    return str(row.__tablename__)  # type: ignore[attr-defined]
