"""A full bundle's payload as an SQLite database image of the exchanged tables.

A full bundle for a new colleague carries the whole programme (a million attendance rows on a
large file). As JSON lines every row is encoded, parsed, checked and inserted one by one; as a
database image the sender copies its tables page-ready (SQLite's transfer of whole records
and their unique indexes) and the receiver, when the file it imports into holds nothing yet,
adopts the checked image as its new file (:mod:`.adopt`) instead of inserting every row again.

The image holds exactly the synced tables (their ``CREATE TABLE`` statements as this version
writes them, so their unique indexes come with them) and the field clocks of their rows —
nothing local to the sender (peers, history, settings, kept figure tables, plain indexes).

The receiver never trusts it (:func:`open_image`): the file is read through a read-only,
defensive connection; its header must be an ordinary rollback-journal database in UTF-8 with
this application's id, its schema must equal the expected statements one by one (no trigger,
view, virtual table or other object can get in), ``quick_check`` must pass before any table is
read, and then :mod:`.image_check` checks every row (``integrity_check`` included).
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import suppress
from pathlib import Path

from kankei_desktop.core.i18n import _
from kankei_desktop.sync.bundle import BundleError, damaged
from kankei_desktop.sync.schema import table_specs

#: ``PRAGMA application_id`` of an image ("KNKI").
APPLICATION_ID = 0x4B4E4B49
#: The field clocks travel in the sender's own table, for the synced tables' rows only.
CLOCK_TABLE = "sync_field_clock"
SQLITE_HEADER = b"SQLite format 3\x00"

#: The private folders images are written to, beside the database or the bundle.
PREFIX = ".kankei-image-"
STALE_SECONDS = 24 * 60 * 60

Schema = list[tuple[str, str, str, str | None]]


def remove_stale(parent: Path) -> None:
    """Folders of images older than a day (an import or export that was killed): removed,
    as they may be as large as the file."""
    horizon = time.time() - STALE_SECONDS
    for stale in parent.glob(f"{PREFIX}*"):
        with suppress(OSError):
            if stale.is_dir() and not stale.is_symlink() and stale.stat().st_mtime < horizon:
                shutil.rmtree(stale, ignore_errors=True)


def image_tables() -> tuple[str, ...]:
    """The tables an image holds: the synced ones (parents first), then the field clocks."""
    return (*(spec.name for spec in table_specs()), CLOCK_TABLE)


def expected_schema(raw: sqlite3.Connection, schema: str = "main") -> Schema:
    """(type, name, table, sql) of everything an image may and must hold, as this file's
    own schema has it: each image table and the unique indexes its statement implies."""
    names = image_tables()
    marks = ",".join("?" * len(names))
    rows = raw.execute(
        f"SELECT type, name, tbl_name, sql FROM {schema}.sqlite_master "
        f"WHERE tbl_name IN ({marks}) AND (type = 'table' OR (type = 'index' AND sql IS NULL)) "
        "ORDER BY type, name", names).fetchall()
    return [(str(kind), str(name), str(table), sql) for kind, name, table, sql in rows]


def build_image(source: Path, target: Path) -> dict[str, int]:
    """Write the image of the file at ``source`` to the new file ``target``; return the rows
    per table.

    One read transaction over the source (a consistent snapshot while the window keeps
    working); each table is created from the source's own statement and filled with
    ``INSERT … SELECT *``, which SQLite runs as a transfer of whole records and index entries.
    """
    connection = sqlite3.connect(f"{target.resolve().as_uri()}?mode=rwc", uri=True,
                                 isolation_level=None)
    counts: dict[str, int] = {}
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA foreign_keys=OFF")  # else no record transfer
        connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
        connection.execute("ATTACH DATABASE ? AS source",
                           (f"{source.resolve().as_uri()}?mode=ro",))
        connection.execute("BEGIN")
        synced = [spec.name for spec in table_specs()]
        for name in image_tables():
            statement = connection.execute(
                "SELECT sql FROM source.sqlite_master WHERE type = 'table' AND name = ?",
                (name,)).fetchone()[0]
            connection.execute(statement)
            if name == CLOCK_TABLE:
                marks = ",".join("?" * len(synced))
                cursor = connection.execute(
                    f"INSERT INTO main.{name} SELECT * FROM source.{name} "
                    f"WHERE table_name IN ({marks}) ORDER BY table_name, row_id, field", synced)
            else:
                cursor = connection.execute(f"INSERT INTO main.{name} SELECT * FROM source.{name}")
            counts[name] = cursor.rowcount
        connection.execute("COMMIT")
        connection.execute("DETACH DATABASE source")
    finally:
        connection.close()
    return {name: count for name, count in counts.items() if name != CLOCK_TABLE}


def tables_differ(table: str) -> BundleError:
    """The refusal for an image whose tables are not this version's."""
    return BundleError(_("The bundle's tables do not match this version of Kankei Desktop "
                         "(table {table}). Make sure both sides use the same version; nothing "
                         "was changed.").format(table=table))


def _check_header(path: Path) -> None:
    with open(path, "rb") as handle:
        header = handle.read(100)
    # bytes 18 and 19: the file format's write and read versions, 1 = rollback journal
    if len(header) < 100 or header[:16] != SQLITE_HEADER or header[18:20] != b"\x01\x01":
        raise BundleError(damaged())


def open_image(path: Path, expected: Schema, *, page_size: int) -> sqlite3.Connection:
    """The received image, opened to read only and defensively, its header, schema and
    b-tree structure checked; :class:`BundleError` with one sentence otherwise."""
    _check_header(path)
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                     isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise BundleError(damaged()) from exc
    try:
        _defend(connection)
        _check_schema(connection, expected, page_size)
        if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BundleError(damaged())
    except sqlite3.Error as exc:
        connection.close()
        raise BundleError(damaged()) from exc
    except BaseException:
        connection.close()
        raise
    return connection


def _defend(connection: sqlite3.Connection) -> None:
    """Nothing in the file may run code or write: SQLite's defensive mode where Python
    offers it (3.12), functions in the schema untrusted, every cell's size checked, no
    memory-mapped reading, queries only."""
    setconfig = getattr(connection, "setconfig", None)
    defensive = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if setconfig is not None and defensive is not None:  # pragma: no cover - Python 3.12+
        setconfig(defensive, True)
    for pragma in ("trusted_schema=OFF", "cell_size_check=ON", "mmap_size=0",
                   "query_only=ON"):
        connection.execute(f"PRAGMA {pragma}")


def _check_schema(connection: sqlite3.Connection, expected: Schema, page_size: int) -> None:
    settings = {
        "encoding": connection.execute("PRAGMA encoding").fetchone()[0],
        "application_id": connection.execute("PRAGMA application_id").fetchone()[0],
        "page_size": connection.execute("PRAGMA page_size").fetchone()[0],
        "auto_vacuum": connection.execute("PRAGMA auto_vacuum").fetchone()[0],
    }
    if settings != {"encoding": "UTF-8", "application_id": APPLICATION_ID,
                    "page_size": page_size, "auto_vacuum": 0}:
        raise BundleError(damaged())
    found = connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    if [tuple(row) for row in found] == expected:
        return
    wanted = {row[1]: row for row in expected}
    for row in found:  # name the first table that differs
        if wanted.get(row[1]) != tuple(row):
            raise tables_differ(str(row[2]))
    missing = sorted({row[2] for row in expected} - {row[2] for row in found})
    raise tables_differ(missing[0] if missing else "?")
