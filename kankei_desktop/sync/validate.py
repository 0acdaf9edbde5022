"""Checking every row of a bundle before anything is written.

A bundle is refused as a whole, with one sentence, when any row has a wrong type, a missing
required field, a malformed id or clock, a duplicate id, or a reference to a record that is
neither in the bundle nor in this file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import NATURAL_KEY_NAMESPACE
from kankei_desktop.sync.bundle import Bundle, BundleError, FutureBundleError, damaged
from kankei_desktop.sync.derived import DERIVED_COLUMNS
from kankei_desktop.sync.schema import (
    DATE_RE,
    DATETIME_RE,
    HLC_RE,
    LIFE,
    TIME_RE,
    UUID_RE,
    TableSpec,
    spec_by_name,
)

Check = Callable[[Any], bool]
#: Tables whose ids derive from a natural key (see ``core.models.natural_uuid``).
NATURAL_KEYS: dict[str, tuple[str, str]] = {
    "attendance": ("meeting_id", "person_id"),
    "membership": ("club_id", "person_id"),
    "club_partner": ("club_id", "organization_id"),
    "interaction_person": ("interaction_id", "person_id"),
    "kpi_target": ("club_id", "fiscal_year"),
}


def _hyphenated(hex_id: str) -> str:
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"


def natural_id(table: str, first: str, second: str | int) -> str:
    """The id (hex) a natural-key row must have; matches ``natural_uuid`` in core.models.

    uuid5 written out (SHA-1 of namespace + name, version and variant bits) because it runs
    for every attendance row of a full bundle.
    """
    other = second if isinstance(second, int) else _hyphenated(second)
    name = f"{table}|{_hyphenated(first)}|{other}".encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    return digest.hex()


_NAMESPACE = NATURAL_KEY_NAMESPACE.bytes
DERIVED_MAX = 600
FUTURE_LIMIT_MS = 24 * 60 * 60 * 1000


@dataclass
class Verified:
    """What the first pass learnt: ids per table, the highest stamp, references to look up."""

    ids: dict[str, set[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    highest: str = ""
    references: dict[str, set[str]] = field(default_factory=dict)


def invalid(table: str, column: str) -> BundleError:
    """The refusal for a row that does not fit the schema."""
    return BundleError(_("The bundle contains a record that does not fit this database (table "
                         "{table}, field {column}); it was refused and nothing was "
                         "changed.").format(table=table, column=column))


def _is_str(limit: int | None, nullable: bool) -> Check:
    def check(value: Any) -> bool:
        if value is None:
            return nullable
        return type(value) is str and (limit is None or len(value) <= limit)
    return check


def _pattern(regex: Any, nullable: bool, parse: Callable[[str], object] | None = None) -> Check:
    def check(value: Any) -> bool:
        if value is None:
            return nullable
        if type(value) is not str or regex.match(value) is None:
            return False
        if parse is not None:
            try:
                parse(value)
            except ValueError:
                return False
        return True
    return check


def _is_int(nullable: bool) -> Check:
    def check(value: Any) -> bool:
        if value is None:
            return nullable
        return type(value) is int and -(2**62) < value < 2**62
    return check


def _column_check(kind: str, nullable: bool, limit: int | None) -> Check:
    if kind == "uuid":
        return _pattern(UUID_RE, nullable)
    if kind == "int":
        return _is_int(nullable)
    if kind == "date":
        return _pattern(DATE_RE, nullable, date.fromisoformat)
    if kind == "time":
        return _pattern(TIME_RE, nullable, time.fromisoformat)
    if kind == "datetime":
        return _pattern(DATETIME_RE, nullable)
    return _is_str(limit, nullable)


class RowChecker:
    """Validates the rows of one table, a batch at a time (column by column, for speed)."""

    def __init__(self, spec: TableSpec, verified: Verified, now_ms: int,
                 accept_future: bool) -> None:
        self.spec = spec
        self.derived = len(DERIVED_COLUMNS.get(spec.name, ()))
        self.width = 5 + len(spec.columns) + self.derived
        self.checks = [(5 + index, column.name, _column_check(column.kind, column.nullable,
                                                              column.max_length))
                       for index, column in enumerate(spec.columns)]
        self.references = [(5 + index, column.references) for index, column in
                           enumerate(spec.columns) if column.references is not None]
        self.groups = {*spec.groups, LIFE}
        names = spec.field_names
        key = NATURAL_KEYS.get(spec.name)
        self.natural = (5 + names.index(key[0]), 5 + names.index(key[1])) if key else None
        self.ids = verified.ids.setdefault(spec.name, set())
        self.verified = verified
        self.limit = "" if accept_future else f"{now_ms + FUTURE_LIMIT_MS:013d}"

    def check(self, rows: Any) -> None:
        """Raise :class:`BundleError` unless every row of the batch is well formed."""
        name = self.spec.name
        width = self.width
        if type(rows) is not list or not all(
                type(row) is list and len(row) == width for row in rows):
            raise invalid(name, "*")
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        ids, stamps, lengths, deleted, clocks = columns[:5]
        uuid_match, hlc_match, time_match = UUID_RE.match, HLC_RE.match, DATETIME_RE.match
        if not all(type(value) is str and uuid_match(value) for value in ids):
            raise invalid(name, "id")
        before = len(self.ids)
        self.ids.update(ids)
        if len(self.ids) != before + len(ids):
            raise invalid(name, "id")
        if not all(type(value) is str and hlc_match(value) for value in stamps):
            raise invalid(name, "hlc")
        highest = max(stamps)
        if self.limit and highest[:13] > self.limit:
            raise future()
        if highest > self.verified.highest:
            self.verified.highest = highest
        if not all(type(value) is int and 1 <= value < 2**62 for value in lengths):
            raise invalid(name, "causal_length")
        if not all(value is None or (type(value) is str and time_match(value))
                   for value in deleted):
            raise invalid(name, "deleted_at")
        if not all((when is None) == (length % 2 == 1)
                   for when, length in zip(deleted, lengths, strict=True)):
            raise invalid(name, "deleted_at")
        for row_clocks, stamp in zip(clocks, stamps, strict=True):
            if row_clocks is None:
                continue
            if type(row_clocks) is not dict or not all(
                    group in self.groups and type(clock) is str and hlc_match(clock)
                    and clock <= stamp for group, clock in row_clocks.items()):
                raise invalid(name, "clocks")
        for index, column, check in self.checks:
            if not all(map(check, columns[index])):
                raise invalid(name, column)
        for index in range(5 + len(self.spec.columns), width):
            if not all(type(value) is str and len(value) <= DERIVED_MAX
                       for value in columns[index]):
                raise invalid(name, "search_key")
        if self.natural is not None:
            first, second = self.natural
            if not all(natural_id(name, a, b) == row_id for a, b, row_id in zip(
                    columns[first], columns[second], ids, strict=True)):
                raise invalid(name, "id")
        for index, target in self.references:
            wanted = self.verified.references.setdefault(target, set())
            wanted.update(columns[index])
            wanted.discard(None)


def future() -> FutureBundleError:
    """The refusal for a bundle stamped far in the future."""
    return FutureBundleError(_(
        "The bundle contains changes dated more than a day in the future: the sender's PC clock "
        "is probably wrong. Ask them to correct the date and export again, or import with "
        "--accept-future if you are sure; nothing was changed."))


def verify_rows(bundle: Bundle, now_ms: int, accept_future: bool) -> Verified:
    """First pass over the payload: every line parsed and every row checked."""
    verified = Verified()
    checker: RowChecker | None = None
    specs = spec_by_name()
    for line in bundle.lines():
        try:
            item = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise BundleError(damaged()) from exc
        if type(item) is dict:
            name = item.get("table")
            if name not in specs or name in verified.counts:
                raise BundleError(damaged())
            spec = specs[name]
            if item.get("columns") != list(spec.field_names) or item.get("derived") != list(
                    DERIVED_COLUMNS.get(name, ())):
                raise BundleError(_("The bundle's tables do not match this version of Kankei "
                                    "Desktop (table {table}). Make sure both sides use the same "
                                    "version; nothing was changed.").format(table=name))
            checker = RowChecker(spec, verified, now_ms, accept_future)
            verified.counts[spec.name] = 0
        elif type(item) is list and checker is not None:
            checker.check(item)
            verified.counts[checker.spec.name] += len(item)
        else:
            raise BundleError(damaged())
    return verified
