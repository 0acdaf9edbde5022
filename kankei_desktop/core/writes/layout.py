"""Which columns of a synced table are data, bookkeeping or derived, and which data fields
share one clock.

A row's data fields are merged field group by field group (per-field last-writer-wins); fields
that must stay consistent together — a session's date and times, an address's postal code and
lines — form one group with one clock. The row's life (tombstone and causal length) is one more
pseudo-group, :data:`LIFE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kankei_desktop.core.models import SYNCED_MODELS, Synced
from kankei_desktop.core.writes.keys import key_columns

#: Columns every synced row has that are bookkeeping, not data.
BOOKKEEPING = ("id", "created_at", "updated_at", "replica_id", "hlc", "deleted_at",
               "causal_length")
#: Pseudo-group for a row's life (causal length + deleted_at): the larger causal length wins.
LIFE = "_cl"
#: Fields that must stay consistent together share one clock (merged as one unit).
CLOCK_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "meeting": {"when": ("date", "start_time", "end_time")},
    "organization": {"address": ("postal_code", "address")},
    # issue 17: a matching's party is one person or one organisation; its status goes with
    # its dates (成立 needs 成立日, 終了 may carry 終了日).
    "matching": {"party": ("person_id", "organization_id"),
                 "progress": ("status", "made_on", "ended_on")},
    "stage_entry": {"move": ("stage", "entered_on")},
    # Moving house changes the residence and the address together (issue 20).
    "person": {"residence": ("residence_id", "postal_code", "address")},
    "registration": {"term": ("registered_on", "renewal_due")},
}


@dataclass(frozen=True)
class TableLayout:
    """One synced table's data fields and their clock groups."""

    name: str
    model: type[Synced]
    field_names: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]  # group name → field names (singletons included)

    def group_of(self, field: str) -> str:
        """The clock group a field belongs to."""
        for group, fields in self.groups.items():
            if field in fields:
                return group
        raise KeyError(field)


def _layout(model: type[Synced]) -> TableLayout:
    table = model.__table__  # type: ignore[attr-defined]
    derived = key_columns(table.name)
    names = tuple(column.name for column in table.columns
                  if column.name not in BOOKKEEPING and column.name not in derived)
    grouped = CLOCK_GROUPS.get(table.name, {})
    in_group = {field for fields in grouped.values() for field in fields}
    groups: dict[str, tuple[str, ...]] = {}
    for name in names:
        if name not in in_group:
            groups[name] = (name,)
            continue
        for group, fields in grouped.items():
            if name == fields[0]:
                groups[group] = fields
    return TableLayout(table.name, model, names, groups)


@cache
def table_layouts() -> tuple[TableLayout, ...]:
    """Every synced table, parents before children."""
    return tuple(_layout(model) for model in SYNCED_MODELS)


@cache
def layout_by_name() -> dict[str, TableLayout]:
    """Table name → layout."""
    return {layout.name: layout for layout in table_layouts()}
