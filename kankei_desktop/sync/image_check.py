"""Checking every row of a received database image, as SQL over the image itself.

The same rules as a JSON bundle's rows (:mod:`.validate`): the types and formats of every
column, the field limits (:mod:`kankei_desktop.core.field_limits`), a tombstone exactly where
the causal length is even, clocks well formed and not far in the future, field clocks for rows
that exist, references that resolve (in the image or, for a merge, in this file), natural-key
ids that are the uuid5 of their key, and text that is valid UTF-8. Each rule is one condition
of one scan per table run by SQLite; what SQL cannot do runs in Python over just the columns
it needs: the natural ids (SHA-1) over the two key columns, the UTF-8 over the text columns
joined a block at a time. ``PRAGMA integrity_check`` first proves the b-trees and every
unique index consistent with their tables (so ids and natural keys are unique).

:class:`ImageCheck` runs in a thread on its own read-only connection: SQLite works without
Python's lock, so the check and the writing of the adopted file (:mod:`.adopt`) share the two
cores, and nothing is adopted before the check has passed.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from kankei_desktop.core.writes.keys import key_columns
from kankei_desktop.core.writes.layout import LIFE
from kankei_desktop.core.writes.natural_ids import NATURAL_KEYS
from kankei_desktop.sync.background_check import Verdict
from kankei_desktop.sync.bundle import BundleError, damaged
from kankei_desktop.sync.image import CLOCK_TABLE
from kankei_desktop.sync.schema import TableSpec, table_specs
from kankei_desktop.sync.validate import (
    DERIVED_MAX,
    FUTURE_LIMIT_MS,
    NaturalIds,
    future,
    invalid,
)

_D = "[0-9]"
_H = "[0-9a-f]"
HLC_GLOB = f"{_D * 13}-{_D * 5}-{_H * 32}"
DATE_GLOB = f"{_D * 4}-{_D * 2}-{_D * 2}"
TIME_GLOB = f"{_D * 2}:{_D * 2}:{_D * 2}.{_D * 6}"
DATETIME_GLOB = f"{DATE_GLOB} {TIME_GLOB}"
INT_LIMIT = 2**62
#: Rows whose text is joined and decoded at once in the UTF-8 check.
TEXT_BLOCK = 20_000


def condition(column: str, kind: str, *, nullable: bool = False,
              limit: int | None = None) -> str:
    """SQL true exactly when ``column`` holds a value of ``kind`` as the application stores
    it (``NULL`` where ``nullable``). Dates and times go through a no-op modifier: SQLite
    normalises only then (``date('2026-02-30')`` is returned as given)."""
    text = f"typeof({column}) = 'text'"
    size = f"length(CAST({column} AS BLOB))"  # bytes: length() of text stops at a NUL
    if kind == "uuid":
        rule = f"{text} AND {size} = 32 AND NOT {column} GLOB '*[^0-9a-f]*'"
    elif kind == "int":
        rule = (f"typeof({column}) = 'integer' AND {column} > -{INT_LIMIT} "
                f"AND {column} < {INT_LIMIT}")
    elif kind == "date":
        rule = (f"{text} AND {size} = 10 AND {column} GLOB '{DATE_GLOB}' "
                f"AND {column} >= '0001-01-01' AND date({column}, '+0 days') IS {column}")
    elif kind == "time":
        rule = (f"{text} AND {size} = 15 AND {column} GLOB '{TIME_GLOB}' "
                f"AND time(substr({column}, 1, 8), '+0 seconds') IS substr({column}, 1, 8)")
    elif kind == "datetime":
        rule = (f"{text} AND {size} = 26 AND {column} GLOB '{DATETIME_GLOB}' "
                f"AND {column} >= '0001-01-01' AND datetime(substr({column}, 1, 19), "
                f"'+0 seconds') IS substr({column}, 1, 19)")
    elif kind == "hlc":
        rule = f"{text} AND {size} = 52 AND {column} GLOB '{HLC_GLOB}'"
    elif limit is None:
        rule = text
    else:  # characters within the limit; with a NUL inside (length() stops there), bytes
        rule = (f"{text} AND (CASE WHEN instr(CAST({column} AS BLOB), x'00') = 0 "
                f"THEN length({column}) ELSE {size} END) <= {limit}")
    return f"({column} IS NULL OR ({rule}))" if nullable else f"({rule})"


def row_conditions(spec: TableSpec) -> list[tuple[str, str]]:
    """(column, condition) of every rule a row of ``spec`` must satisfy.

    Two spellings are left to checks that imply them (each costs a second per million
    values): a reference need only be text, as it must equal an id checked here or one found
    in this file (:func:`.merge.check_verdict`); a natural-key row's id must equal the uuid5
    of its key, spelled out in Python (:meth:`ImageCheck._check_natural_ids`).
    """
    natural = spec.name in NATURAL_KEYS
    rules = [
        ("id", _text("id", nullable=False) if natural else condition("id", "uuid")),
        ("hlc", condition("hlc", "hlc")),
        ("causal_length", condition("causal_length", "int") + " AND causal_length >= 1"),
        ("deleted_at", condition("deleted_at", "datetime", nullable=True)
         + " AND (deleted_at IS NULL) = (causal_length % 2 = 1)"),
        ("created_at", condition("created_at", "datetime")),
        ("updated_at", condition("updated_at", "datetime")),
        ("replica_id", condition("replica_id", "uuid")),
    ]
    rules += [(column.name, _text(column.name, nullable=column.nullable)
               if column.references is not None else
               condition(column.name, column.kind, nullable=column.nullable,
                         limit=column.max_length)) for column in spec.columns]
    rules += [(name, condition(name, "str", limit=DERIVED_MAX))
              for name in key_columns(spec.name)]
    return rules


def _text(column: str, *, nullable: bool) -> str:
    rule = f"typeof({column}) = 'text'"
    return f"({column} IS NULL OR {rule})" if nullable else f"({rule})"


def text_columns(spec: TableSpec) -> list[str]:
    """The columns that hold free text (the others are checked character by character)."""
    return [column.name for column in spec.columns if column.kind == "str"] + list(
        key_columns(spec.name))


class ImageCheck:
    """The whole check of an opened image (see the module docstring); :meth:`start` runs it
    in a thread once the connection's snapshot is taken, :meth:`verdict` waits for it."""

    def __init__(self, connection: sqlite3.Connection, manifest: dict[str, Any],
                 now_ms: int, accept_future: bool) -> None:
        self.connection = connection
        self.manifest = manifest
        self.limit = "" if accept_future else f"{now_ms + FUTURE_LIMIT_MS:013d}"
        self._thread: threading.Thread | None = None
        self._snapshot = threading.Event()
        self._result: Verdict | None = None
        self._error: BaseException | None = None
        #: Tombstoned rows per table (known once the check has run).
        self.deleted: dict[str, int] = {}

    def start(self) -> None:
        """Begin a read transaction (what the check sees, whatever is written to the file
        later), then check in a thread."""
        self.connection.execute("BEGIN")
        self.connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        self._thread = threading.Thread(target=self._run, name="kankei-image-check",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result = self.run()
        except BaseException as exc:  # handed to the caller by verdict()
            self._error = exc

    def verdict(self) -> Verdict:
        """The result; raises the refusal (one sentence) when the image is not acceptable."""
        if self._thread is None:
            self.start()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            if isinstance(self._error, sqlite3.DatabaseError):
                raise BundleError(damaged()) from self._error
            raise self._error
        assert self._result is not None
        return self._result

    def stop(self) -> None:
        """End a running check at once (the import failed elsewhere) and wait for it: its
        connection may be closed afterwards."""
        if self._thread is not None and self._thread.is_alive():
            self.connection.interrupt()
            self._thread.join()

    def run(self) -> Verdict:
        """Every check, in this thread (raises :class:`BundleError`)."""
        execute = self.connection.execute
        if execute("PRAGMA integrity_check(1)").fetchone() != ("ok",):
            raise BundleError(damaged())
        counts: dict[str, int] = {}
        highest = ""
        outside: dict[str, list[str]] = {}
        for spec in table_specs():
            rows, deleted = execute(f"SELECT count(*), total(causal_length % 2 = 0) "
                                    f"FROM {spec.name}").fetchone()
            counts[spec.name] = int(rows)
            self.deleted[spec.name] = int(deleted or 0)
            self._check_rows(spec)
            top = execute(f"SELECT max(hlc) FROM {spec.name}").fetchone()[0]
            highest = max(highest, top or "")
            self._check_clocks(spec)
            for column in spec.columns:
                if column.references is not None:
                    missing = [row[0] for row in execute(
                        f"SELECT DISTINCT c.{column.name} FROM {spec.name} c "
                        f"WHERE c.{column.name} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                        f"{column.references} p WHERE p.id = c.{column.name})")]
                    if missing:
                        outside.setdefault(column.references, []).extend(missing)
            self._check_text(spec)
            self._check_natural_ids(spec)
        self._check_clock_table()
        clocks_top = execute(f"SELECT max(hlc) FROM {CLOCK_TABLE}").fetchone()[0]
        highest = max(highest, clocks_top or "")
        if self.limit and highest[:13] > self.limit:
            raise future()
        wanted = {name: count for name, count in self.manifest["counts"].items() if count}
        if {name: count for name, count in counts.items() if count} != wanted:
            raise BundleError(damaged())
        return Verdict(counts, highest, {table: sorted(set(ids))
                                         for table, ids in outside.items()})

    def _check_rows(self, spec: TableSpec) -> None:
        rules = row_conditions(spec)
        every = " AND ".join(rule for _column, rule in rules)
        execute = self.connection.execute
        if execute(f"SELECT 1 FROM {spec.name} WHERE ({every}) IS NOT 1 LIMIT 1").fetchone():
            for column, rule in rules:  # which column: for the sentence
                if execute(f"SELECT 1 FROM {spec.name} WHERE ({rule}) IS NOT 1 "
                           "LIMIT 1").fetchone():
                    raise invalid(spec.name, column)
            raise invalid(spec.name, "*")  # pragma: no cover - one rule always fails

    def _check_clocks(self, spec: TableSpec) -> None:
        groups = sorted({*spec.groups, LIFE})
        marks = ",".join("?" * len(groups))
        found = self.connection.execute(
            f"SELECT 1 FROM {CLOCK_TABLE} f WHERE f.table_name = ? AND "
            f"(f.field NOT IN ({marks}) OR NOT EXISTS (SELECT 1 FROM {spec.name} r "
            "WHERE r.id = f.row_id AND f.hlc <= r.hlc)) LIMIT 1",
            (spec.name, *groups)).fetchone()
        if found:
            raise invalid(spec.name, "clocks")

    def _check_clock_table(self) -> None:
        names = [spec.name for spec in table_specs()]
        marks = ",".join("?" * len(names))
        rules = " AND ".join((f"table_name IN ({marks})", condition("row_id", "uuid"),
                              condition("field", "str", limit=40), condition("hlc", "hlc")))
        if self.connection.execute(f"SELECT 1 FROM {CLOCK_TABLE} WHERE ({rules}) IS NOT 1 "
                                   "LIMIT 1", names).fetchone():
            raise invalid(CLOCK_TABLE, "clocks")

    def _check_text(self, spec: TableSpec) -> None:
        """Valid UTF-8: each block of rows joined with a newline between values (an ASCII
        byte, so a broken sequence cannot be completed by the next value) and decoded."""
        columns = text_columns(spec)
        if not columns:
            return
        joined = " || x'0a' || ".join(f"CAST(coalesce({name}, '') AS BLOB)"
                                      for name in columns)
        cursor = self.connection.cursor()
        cursor.row_factory = None
        previous = self.connection.text_factory
        self.connection.text_factory = bytes
        try:
            for (block,) in cursor.execute(
                    f"SELECT group_concat({joined}, x'0a') FROM {spec.name} "
                    f"GROUP BY rowid / {TEXT_BLOCK}"):
                if block is not None:
                    bytes(block).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise invalid(spec.name, "text") from exc
        finally:
            self.connection.text_factory = previous

    def _check_natural_ids(self, spec: TableSpec) -> None:
        key = NATURAL_KEYS.get(spec.name)
        if key is None:
            return
        natural: Callable[[str, str | int], str] = NaturalIds(spec.name)
        cursor = self.connection.execute(f"SELECT id, {key[0]}, {key[1]} FROM {spec.name}")
        while True:
            rows = cursor.fetchmany(10_000)
            if not rows:
                return
            if not all(natural(first, second) == row_id for row_id, first, second in rows):
                raise invalid(spec.name, "id")
