"""What sync exchanges of each table: the fields, their groups, types and references.

Derived from the SQLAlchemy models so a new column travels without extra code. Values are
exchanged in SQLite's storage text (UUIDs as 32 hex digits, dates ``YYYY-MM-DD``, times
``HH:MM:SS.ffffff``, date-times ``YYYY-MM-DD HH:MM:SS.ffffff``), which keeps export and
import to plain row copies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Date, DateTime, Integer, String, Text, Time, Uuid

from kankei_desktop.core.field_limits import limit_of
from kankei_desktop.core.models import Synced
from kankei_desktop.core.writes.layout import TableLayout, table_layouts

UUID_RE = re.compile(r"\A[0-9a-f]{32}\Z")
DATE_RE = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
TIME_RE = re.compile(r"\A\d{2}:\d{2}:\d{2}\.\d{6}\Z")
DATETIME_RE = re.compile(r"\A\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}\Z")
HLC_RE = re.compile(r"\A\d{13}-\d{5}-[0-9a-f]{32}\Z")


@dataclass(frozen=True)
class Column:
    """One exchanged column."""

    name: str
    kind: str  # uuid, str, int, date, time, datetime
    nullable: bool
    max_length: int | None  # from core.field_limits, the limit every way in checks
    references: str | None  # table name of a foreign key


@dataclass(frozen=True)
class TableSpec:
    """One synced table as sync sees it."""

    name: str
    model: type[Synced]
    columns: tuple[Column, ...]
    groups: dict[str, tuple[str, ...]]  # group name → field names (singletons included)

    @property
    def field_names(self) -> tuple[str, ...]:
        """The exchanged data columns, in payload order."""
        return tuple(column.name for column in self.columns)

    def group_of(self, field: str) -> str:
        """The clock group a field belongs to."""
        for group, fields in self.groups.items():
            if field in fields:
                return group
        raise KeyError(field)


def _kind(column_type: object) -> str:
    if isinstance(column_type, Uuid):
        return "uuid"
    if isinstance(column_type, Integer):
        return "int"
    if isinstance(column_type, DateTime):
        return "datetime"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Time):
        return "time"
    if isinstance(column_type, String | Text):
        return "str"
    raise TypeError(f"unsupported column type {column_type!r}")


def _spec(layout: TableLayout) -> TableSpec:
    table = layout.model.__table__  # type: ignore[attr-defined]
    columns: list[Column] = []
    for name in layout.field_names:
        column = table.columns[name]
        kind = _kind(column.type)
        length = limit_of(layout.name, name) if kind == "str" else None
        references = next((fk.column.table.name for fk in column.foreign_keys), None)
        columns.append(Column(column.name, kind, bool(column.nullable), length, references))
    return TableSpec(layout.name, layout.model, tuple(columns), layout.groups)


@cache
def table_specs() -> tuple[TableSpec, ...]:
    """Every synced table, parents before children."""
    return tuple(_spec(layout) for layout in table_layouts())


@cache
def spec_by_name() -> dict[str, TableSpec]:
    """Table name → spec."""
    return {spec.name: spec for spec in table_specs()}


def replica_of(hlc: str) -> str:
    """The replica (32 hex digits) that issued a clock stamp."""
    return hlc[-32:]


@cache
def schema_head() -> str:
    """The newest schema revision this version writes."""
    from kankei_desktop.core.storage import revisions

    return revisions.head_revision()


@cache
def known_revision(revision: str) -> bool:
    """Whether this version of the application knows ``revision`` (else it is newer)."""
    from kankei_desktop.core.storage import revisions

    return revisions.is_known_revision(revision)
