"""Checking every row of a bundle before anything is written.

A bundle is refused as a whole, with one sentence, when any row has a wrong type, a missing
required field, a malformed id or clock, a duplicate id, or a reference to a record that is
neither in the bundle nor in this file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from hashlib import sha1
from typing import Any

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import NATURAL_KEY_NAMESPACE
from kankei_desktop.core.writes.keys import key_columns
from kankei_desktop.core.writes.layout import LIFE
from kankei_desktop.core.writes.natural_ids import NATURAL_KEYS
from kankei_desktop.sync.bundle import Bundle, BundleError, FutureBundleError, damaged
from kankei_desktop.sync.schema import (
    HLC_RE,
    TableSpec,
    spec_by_name,
)

Check = Callable[[Sequence[Any]], bool]  # checks a whole column of a batch
def _hyphenated(hex_id: str) -> str:
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"


_NAMESPACE = NATURAL_KEY_NAMESPACE.bytes
#: The longest search or sort key accepted. Keys are made from fields within their limits
#: (``core.field_limits``): a collation key spells each character of a 200-character
#: reading on several levels, up to ~20 characters each (4,200 at worst), so twice that.
DERIVED_MAX = 8_000
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


def _strings(values: Sequence[Any], nullable: bool) -> Sequence[str] | None:
    """The non-null values when all are strings (None where that is not so).

    The batch checks below work on whole columns with C-level builtins (``map``, ``set``,
    one regular expression over the joined column) instead of a Python call per value: a
    full bundle has millions of values.
    """
    if None in values:
        if not nullable:
            return None
        values = [value for value in values if value is not None]
    if not set(map(type, values)) <= {str}:
        return None
    return values


def _is_str(limit: int | None, nullable: bool) -> Check:
    def check(values: Sequence[Any]) -> bool:
        present = _strings(values, nullable)
        if present is None:
            return False
        return limit is None or max(map(len, present), default=0) <= limit
    return check


def _fixed(run: re.Pattern[str], width: int, nullable: bool,
           parse: Callable[[str], object] | None = None) -> Check:
    """Strings of exactly ``width`` characters that together match ``run``."""
    def check(values: Sequence[Any]) -> bool:
        present = _strings(values, nullable)
        if present is None or not set(map(len, present)) <= {width}:
            return False
        if run.fullmatch("".join(present)) is None:
            return False
        if parse is not None:
            try:
                for value in set(present):
                    parse(value)
            except ValueError:
                return False
        return True
    return check


def _is_int(nullable: bool) -> Check:
    def check(values: Sequence[Any]) -> bool:
        if None in values:
            if not nullable:
                return False
            values = [value for value in values if value is not None]
        if not set(map(type, values)) <= {int}:
            return False
        return not values or (min(values) > -(2**62) and max(values) < 2**62)
    return check


_UUIDS = re.compile(r"[0-9a-f]*")
_DATES = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2})*")
_TIMES = re.compile(r"(?:[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6})*")
_DATETIMES = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6})*")
_HLCS = re.compile(r"(?:[0-9]{13}-[0-9]{5}-[0-9a-f]{32})*")
is_uuids = _fixed(_UUIDS, 32, False)
is_stamps = _fixed(_HLCS, 52, False)
is_moments = _fixed(_DATETIMES, 26, True)
_is_derived = _is_str(DERIVED_MAX, False)


def _column_check(kind: str, nullable: bool, limit: int | None) -> Check:
    if kind == "uuid":
        return _fixed(_UUIDS, 32, nullable)
    if kind == "int":
        return _is_int(nullable)
    if kind == "date":
        return _fixed(_DATES, 10, nullable, date.fromisoformat)
    if kind == "time":
        return _fixed(_TIMES, 15, nullable, time.fromisoformat)
    if kind == "datetime":
        return _fixed(_DATETIMES, 26, nullable)
    return _is_str(limit, nullable)


class NaturalIds:
    """The id (hex) a natural-key row of ``table`` must have; matches ``natural_uuid``.

    uuid5 written out (SHA-1 of namespace + name, version and variant bits) with the
    spelled-out halves remembered: it runs for every attendance row of a full bundle.
    """

    def __init__(self, table: str) -> None:
        self._spelled: dict[str | int, bytes] = {}
        self._prefix = _NAMESPACE + f"{table}|".encode()

    def __call__(self, first: str, second: str | int) -> str:
        cache = self._spelled
        head = cache.get(first)
        if head is None:
            head = cache[first] = _hyphenated(first).encode()
        tail = cache.get(second)
        if tail is None:
            tail = cache[second] = (str(second) if isinstance(second, int)
                                    else _hyphenated(second)).encode()
        digest = bytearray(sha1(self._prefix + head + b"|" + tail).digest()[:16])
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        return digest.hex()


class RowChecker:
    """Validates the rows of one table, a batch at a time (column by column, for speed)."""

    def __init__(self, spec: TableSpec, verified: Verified, now_ms: int,
                 accept_future: bool) -> None:
        self.spec = spec
        self.derived = len(key_columns(spec.name))
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
        self._natural_id = NaturalIds(spec.name)

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
        if not is_uuids(ids):
            raise invalid(name, "id")
        before = len(self.ids)
        self.ids.update(ids)
        if len(self.ids) != before + len(ids):
            raise invalid(name, "id")
        if not is_stamps(stamps):
            raise invalid(name, "hlc")
        highest = max(stamps)
        if self.limit and highest[:13] > self.limit:
            raise future()
        if highest > self.verified.highest:
            self.verified.highest = highest
        if not set(map(type, lengths)) <= {int} or min(lengths) < 1 or max(lengths) >= 2**62:
            raise invalid(name, "causal_length")
        if not is_moments(deleted):
            raise invalid(name, "deleted_at")
        if not all((when is None) == (length % 2 == 1)
                   for when, length in zip(deleted, lengths, strict=True)):
            raise invalid(name, "deleted_at")
        hlc_match = HLC_RE.match
        for row_clocks, stamp in zip(clocks, stamps, strict=True):
            if row_clocks is None:
                continue
            if type(row_clocks) is not dict or not all(
                    group in self.groups and type(clock) is str and hlc_match(clock)
                    and clock <= stamp for group, clock in row_clocks.items()):
                raise invalid(name, "clocks")
        for index, column, check in self.checks:
            if not check(columns[index]):
                raise invalid(name, column)
        for index in range(5 + len(self.spec.columns), width):
            if not _is_derived(columns[index]):
                raise invalid(name, "search_key")
        if self.natural is not None:
            first, second = self.natural
            if not all(self._natural_id(a, b) == row_id for a, b, row_id in zip(
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
                    key_columns(name)):
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
