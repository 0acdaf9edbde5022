"""Importing a full bundle that carries a database image (format 2).

The image is decompressed into a private folder beside the database (so the adopted file is
renamed, not copied, into place) and opened defensively (:func:`.image.open_image`). Into a
file that holds nothing yet it is adopted (:mod:`.adopt`); otherwise — rows already there, a
window or command beside it, a preview, other key rules — its rows are checked
(:mod:`.image_check`) and merged like any bundle's (:func:`.merge.apply_rows`). Nothing is left
behind in the folder, whatever happens.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kankei_desktop.core.clock import wall_clock_ms
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import raw_connection
from kankei_desktop.core.storage.private import private_folder
from kankei_desktop.core.writes.keys import key_columns
from kankei_desktop.sync.adopt import adopt, can_adopt
from kankei_desktop.sync.bundle import Bundle
from kankei_desktop.sync.image import (
    CLOCK_TABLE,
    PREFIX,
    expected_schema,
    open_image,
    remove_stale,
)
from kankei_desktop.sync.image_check import ImageCheck
from kankei_desktop.sync.merge import BATCH, ImportReport, Progress, apply_rows
from kankei_desktop.sync.schema import TableSpec, table_specs


def import_image(services: Services, path: Path, bundle: Bundle, *, dry_run: bool,
                 accept_future: bool, progress: Progress | None, backup: bool) -> ImportReport:
    """Preview, adopt or merge the image bundle ``bundle`` (read from ``path``)."""
    database = services.database
    remove_stale(database.path.parent)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=database.path.parent))
    try:
        private_folder(folder)
        image = folder / "image.sqlite3"
        bundle.write_image(image)
        with database.reading() as session:
            raw = raw_connection(session)
            expected = expected_schema(raw)
            page_size = int(raw.execute("PRAGMA page_size").fetchone()[0])
        connection = open_image(image, expected, page_size=page_size)
        check = ImageCheck(connection, bundle.manifest, wall_clock_ms(), accept_future)
        try:
            if not dry_run and can_adopt(services, bundle):
                _to_wal(image)  # the check reads its snapshot while the adopted file is made
                report = adopt(services, path, bundle, image, check, backup=backup,
                               progress=progress)
                if report is not None:
                    return report
            verdict = check.verdict()
            return apply_rows(services, path, bundle.manifest,
                              lambda: image_batches(connection), verdict, dry_run=dry_run,
                              progress=progress, backup=backup)
        finally:
            check.stop()
            connection.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _to_wal(image: Path) -> None:
    with sqlite3.connect(image, isolation_level=None) as switching:
        switching.execute("PRAGMA journal_mode=WAL")
    switching.close()


def image_batches(connection: sqlite3.Connection) -> Iterator[tuple[TableSpec, list[list[Any]]]]:
    """The image's rows as a JSON bundle carries them, table by table in batches."""
    for spec in table_specs():
        clocks: dict[str, dict[str, str]] = {}
        for row_id, group, clock in connection.execute(
                f"SELECT row_id, field, hlc FROM {CLOCK_TABLE} WHERE table_name = ?",
                (spec.name,)):
            clocks.setdefault(row_id, {})[group] = clock
        columns = ", ".join((*spec.field_names, *key_columns(spec.name)))
        cursor = connection.execute(
            f"SELECT id, hlc, causal_length, deleted_at, {columns} FROM {spec.name} "
            "ORDER BY rowid")
        while True:
            rows = cursor.fetchmany(BATCH)
            if not rows:
                break
            yield spec, [[row[0], row[1], row[2], row[3], clocks.get(row[0]), *row[4:]]
                         for row in rows]
