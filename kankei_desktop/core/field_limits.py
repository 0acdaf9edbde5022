"""The longest text each field accepts: one definition for every door a value comes through.

Forms (the services), spreadsheet and Zoom imports and sync bundles all check against these
limits, so a value one of them accepts is never refused by another: a 7-million-character
cell taken in from a spreadsheet used to make every later full bundle of the file refused by
colleagues as "damaged".

String columns take their length from the model (``String(200)``); text columns, which
SQLite would let grow without bound, take an explicit limit here. The module depends only on
the models, so any layer (the services, a write gateway, sync, imports) can call it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from sqlalchemy import String, Text

from kankei_desktop.core.i18n import N_, _
from kankei_desktop.core.models import Base

#: Free text (notes, an agenda, a follow-up's note): a long letter, not a book.
TEXT_LIMIT = 10_000
#: Text columns whose limit is not :data:`TEXT_LIMIT`.
TEXT_LIMITS: dict[tuple[str, str], int] = {}
#: Values stored outside the record tables (in ``meta``), by name.
OTHER_LIMITS: dict[str, int] = {
    "replica_name": 100,  # the name of a copy, sent to colleagues in each bundle
}

#: Names of fields for messages (the column name where none is given).
LABELS: dict[str, str] = {
    "name": N_("Name"), "reading": N_("Reading"), "family_name": N_("Family name"),
    "given_name": N_("Given name"), "family_reading": N_("Family name reading"),
    "given_reading": N_("Given name reading"), "job_title": N_("Job title"),
    "email": N_("E-mail"), "phone": N_("Phone"), "notes": N_("Notes"), "note": N_("Note"),
    "address": N_("Address"), "postal_code": N_("Postal code"), "website": N_("Website"),
    "contact_person": N_("Contact person"), "theme": N_("Theme"), "title": N_("Title"),
    "tool": N_("Tool"), "url": N_("URL"), "place": N_("Place"), "agenda": N_("Agenda"),
    "summary": N_("Summary"), "replica_name": N_("Name of this copy"),
}


@dataclass(frozen=True)
class TooLong:
    """A value longer than its field allows."""

    table: str
    field: str
    length: int
    limit: int

    @property
    def label(self) -> str:
        """The field's name for the user."""
        label = LABELS.get(self.field)
        return _(label) if label is not None else self.field

    @property
    def message(self) -> str:
        """What is wrong, for a sentence naming the field (and the row, where there is one)."""
        return _("{field} is too long ({count:,} characters; at most {limit:,}).").format(
            field=self.label, count=self.length, limit=self.limit)


@cache
def table_limits() -> dict[str, dict[str, int]]:
    """Table → text field → the longest value it accepts (every model, synced or not)."""
    limits: dict[str, dict[str, int]] = {}
    for table in Base.metadata.sorted_tables:
        fields: dict[str, int] = {}
        for column in table.columns:
            if isinstance(column.type, Text):
                fields[column.name] = TEXT_LIMITS.get((table.name, column.name), TEXT_LIMIT)
            elif isinstance(column.type, String) and column.type.length is not None:
                fields[column.name] = column.type.length
        limits[table.name] = fields
    return limits


def limit_of(table: str, field: str) -> int | None:
    """The longest value ``table.field`` accepts (None: not a text field)."""
    if table in OTHER_LIMITS and not field:
        return OTHER_LIMITS[table]
    return table_limits().get(table, {}).get(field)


def check_values(table: str, values: Mapping[str, object]) -> list[TooLong]:
    """Every text value of ``values`` (a row of ``table``) longer than its field allows."""
    limits = table_limits().get(table, {})
    problems = []
    for field, value in values.items():
        limit = limits.get(field)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            problems.append(TooLong(table, field, len(value), limit))
    return problems


def check_other(name: str, value: str) -> TooLong | None:
    """A value stored outside the record tables (:data:`OTHER_LIMITS`), if too long."""
    limit = OTHER_LIMITS[name]
    return TooLong("", name, len(value), limit) if len(value) > limit else None
