"""Low-level helpers of the generator: stored value formats, stamps, natural ids and keys.

Values are written with the plain ``sqlite3`` driver for speed, so they must be spelled exactly
as SQLAlchemy stores them in SQLite: UUIDs as 32 hex digits, dates ``YYYY-MM-DD``, datetimes
``YYYY-MM-DD HH:MM:SS.ffffff`` and times ``HH:MM:SS.ffffff``. The search and sort keys come from the
write gateway's key functions (``core.writes.keys.derived_values``), so
searching and sorting behave as with data entered through the application.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import random
import sqlite3
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from multiprocessing.connection import Connection
from typing import Any, Protocol, cast

from kankei_desktop.core.models import (
    NATURAL_KEY_NAMESPACE,
    Base,
)
from kankei_desktop.core.writes.keys import derived_values
from kankei_desktop.core.writes.natural_ids import attendance_uuid, membership_uuid

_EPOCH = date(1970, 1, 1).toordinal()

# The programme's timeline, as day ordinals: meetings fall in FY2019–FY2026.
FIRST_DAY = date(2019, 4, 1).toordinal()
LAST_DAY = date(2027, 3, 31).toordinal()
LAST_CLUB_START = date(2025, 10, 1).toordinal()
_NAMESPACE = NATURAL_KEY_NAMESPACE.bytes

_BATCH = 10_000  # rows per message from the generator process

#: The columns every synced row ends with, in the order :meth:`Writer.synced` returns them.
SYNCED_COLUMNS = ("id", "created_at", "updated_at", "replica_id", "hlc", "deleted_at",
                  "causal_length")

Row = tuple[object, ...]


def random_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from ``rng`` (reproducible, unlike :func:`uuid.uuid4`)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def natural_prefix(kind: str, first: uuid.UUID) -> bytes:
    """The hashed prefix of ``natural_uuid(kind, first, second)`` (see :func:`natural_hex`)."""
    return _NAMESPACE + f"{kind}|{first}|".encode()


def natural_hex(prefix: bytes, second: bytes) -> str:
    """``natural_uuid(kind, first, second).hex`` without building UUID objects.

    uuid5 is SHA-1 of namespace + name with the version and variant bits set; ``second`` is
    ``str(uuid).encode()``. :func:`self_check` compares the two spellings.
    """
    digest = bytearray(hashlib.sha1(prefix + second).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    return digest.hex()


def self_check() -> None:
    """Fail early if the fast natural ids drift from the services' id functions."""
    first, second = uuid.UUID(int=12345, version=4), uuid.UUID(int=67890, version=4)
    for kind, service_id in (("attendance", attendance_uuid(first, second)),
                             ("membership", membership_uuid(first, second))):
        if natural_hex(natural_prefix(kind, first), str(second).encode()) != service_id.hex:
            raise RuntimeError(f"the generator's {kind} ids differ from the services' ids")


@functools.cache
def day_text(ordinal: int) -> str:
    """A date column value."""
    return date.fromordinal(ordinal).isoformat()


@functools.lru_cache(maxsize=1 << 16)
def moment_text(ordinal: int, second: int) -> str:
    """A datetime column value for ``second`` seconds into day ``ordinal``."""
    return (f"{date.fromordinal(ordinal).isoformat()} "
            f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000000")


def time_text(minutes: int) -> str:
    """A time column value."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00.000000"


class Stamper:
    """Stamps rows as this replica's services would (see ``ServiceContext.stamp``)."""

    def __init__(self, replica_id: uuid.UUID) -> None:
        self.replica = replica_id.hex
        self._sequence = 0

    def hlc(self, ordinal: int, second: int, counter: int | None = None) -> str:
        """A hybrid-logical-clock stamp (wall ms - counter - replica) for that moment."""
        if counter is None:
            self._sequence += 1
            counter = self._sequence
        wall = (ordinal - _EPOCH) * 86_400_000 + second * 1000
        return f"{wall:013d}-{counter % 100_000:05d}-{self.replica}"

    def hlcs(self, ordinal: int, second: int, first: int, count: int) -> list[str]:
        """``count`` stamps numbered from ``first`` for changes made at the same moment."""
        wall = (ordinal - _EPOCH) * 86_400_000 + second * 1000
        head, tail = f"{wall:013d}-", f"-{self.replica}"
        return [f"{head}{(first + offset) % 100_000:05d}{tail}" for offset in range(count)]

    def synced(self, row_id: str, ordinal: int, second: int, created: str | None = None,
               counter: int | None = None) -> Row:
        """The synced columns of a live row last changed at (ordinal, second)."""
        updated = moment_text(ordinal, second)
        return (row_id, created or updated, updated, self.replica,
                self.hlc(ordinal, second, counter), None, 1)


class Sink(Protocol):
    """Where the generator sends its rows, table by table in foreign-key order."""

    def insert(self, model: type[Base], columns: Sequence[str], rows: Iterable[Row]) -> None:
        """Store ``rows``; ``columns`` names every column of ``model``'s table."""


class Writer:
    """The sink that inserts into the database (executemany, one table at a time)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}  # per table: time spent inserting (or making)

    def insert(self, model: type[Base], columns: Sequence[str], rows: Iterable[Row]) -> None:
        """Insert into ``model``'s table."""
        self.insert_into(model.__tablename__, columns, rows)

    def insert_into(self, name: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        """executemany into table ``name``, after checking the columns against the schema."""
        table = Base.metadata.tables[name]
        expected = set(table.columns.keys())
        if set(columns) != expected or len(columns) != len(expected):
            raise RuntimeError(
                f"{name}: generator columns are out of date with the schema "
                f"(missing {sorted(expected - set(columns))}, unknown "
                f"{sorted(set(columns) - expected)})"
            )
        names = ", ".join(f'"{column}"' for column in columns)
        marks = ", ".join("?" for _ in columns)
        started = time.perf_counter()
        cursor = self.connection.executemany(
            f'INSERT INTO "{name}" ({names}) VALUES ({marks})', rows
        )
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
        self.counts[name] = self.counts.get(name, 0) + cursor.rowcount


class PipeSink:
    """The sink of a generator running in a child process: pickled batches to the parent.

    Messages: ``("rows", table, columns, rows)`` …, then ``("done", info)``; the parent feeds
    them to a :class:`Writer` (see :func:`receive`).
    """

    def __init__(self, sender: Connection) -> None:
        self.sender = sender

    def insert(self, model: type[Base], columns: Sequence[str], rows: Iterable[Row]) -> None:
        """Send ``rows`` in batches."""
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) == _BATCH:
                self._send(("rows", model.__tablename__, tuple(columns), batch))
                batch = []
        if batch:
            self._send(("rows", model.__tablename__, tuple(columns), batch))

    def finish(self, info: dict[str, Any]) -> None:
        """Tell the parent that everything was sent."""
        self._send(("done", info))
        self.sender.close()

    def _send(self, message: tuple[Any, ...]) -> None:
        self.sender.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))


def receive(receiver: Connection, writer: Writer) -> dict[str, Any]:
    """In the parent: insert what a :class:`PipeSink` sends; return its final info."""
    while True:
        try:
            message = pickle.loads(receiver.recv_bytes())
        except EOFError:
            raise RuntimeError("the generator process failed (see its error above)") from None
        if message[0] == "done":
            return cast(dict[str, Any], message[1])
        _, table, columns, rows = message
        writer.insert_into(table, columns, rows)


# -- keys: the write gateway's own key functions -------------------------


def joined_keys(*parts: str) -> str:
    """Non-empty search keys joined by newlines."""
    return "\n".join(part for part in parts if part)


def organization_keys(name: str, reading: str, lgcode: str | None) -> tuple[str, str]:
    """(search_key, sort_key) of an organisation."""
    search, sort = derived_values("organization",
                                  {"name": name, "reading": reading, "lgcode": lgcode})
    return search, sort


def club_keys(name: str, reading: str, theme: str) -> tuple[str, str]:
    """(search_key, sort_key) of a club."""
    search, sort = derived_values("club", {"name": name, "reading": reading, "theme": theme})
    return search, sort


def person_keys(family: str, given: str, family_reading: str, given_reading: str
                ) -> tuple[str, str]:
    """(search_key, sort_key) of a person without an e-mail address.

    People share a few thousand names, so the generator computes this once per name and adds
    the e-mail key itself: ``joined_keys(search_key, text.search_key(email))``, which is how
    the service ends the key (``benchmarks.run`` checks a sample against the service).
    """
    search, sort = derived_values("person", {
        "family_name": family, "given_name": given, "family_reading": family_reading,
        "given_reading": given_reading, "email": ""})
    return search, sort


def meeting_key(title: str, place: str) -> str:
    """search_key of a meeting."""
    return derived_values("meeting", {"title": title, "place": place})[0]
