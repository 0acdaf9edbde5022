"""A full bundle into an empty file against SQLite's own copy of the same rows (issue 25).

    python -m benchmarks.full_import prepare DIR [--scale 1.0] [--image]  # once
    python -m benchmarks.full_import import DIR                  # what is timed (A)
    python -m benchmarks.full_import floor DIR                   # the floor (B)

Time A against B as whole processes, in turn, e.g. with ``hyperfine -r 3 'A' 'B'`` or
``/usr/bin/time -v``; the ratio of the medians is the figure (target ≤ 1.2).

A: a copy of the prepared empty file, then ``SyncService.import_`` of the encrypted full
bundle (decrypt, check every row, back-up copy, write; whatever the bundle format is).
B: a copy of the same empty file (same schema: indexes, figure triggers), then in one
transaction ``ATTACH`` of the data set and ``INSERT … SELECT`` of every synced table and the
field clocks, the kept figure tables rebuilt by the figure code — no check, no decryption.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
from pathlib import Path

PASSPHRASE = "benchmark passphrase"


def _prepare(folder: Path, scale: float, image: bool) -> None:
    from benchmarks.run import REPO, prepare
    from benchmarks.sync import _copy
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.storage.database import open_database
    from kankei_desktop.sync.service import SyncService

    dataset = REPO / "benchmarks" / "data" / f"bench-scale{scale:g}.sqlite3"
    prepare(dataset, scale)
    folder.mkdir(parents=True, exist_ok=True)
    empty = Services(open_database(folder / "empty.sqlite3"))
    empty.database.close()
    copy = folder / "source.sqlite3"  # the export notes itself in the file: a copy
    _copy(dataset, copy)
    source = Services(open_database(copy))
    try:
        SyncService(source).export(folder / "full.kankei", passphrase=PASSPHRASE, image=image)
    finally:
        source.database.close()
    (folder / "dataset").write_text(str(copy), encoding="utf-8")


def _fresh(folder: Path) -> Path:
    target = folder / "target.sqlite3"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(folder / "empty.sqlite3", target)
    return target


def _import(folder: Path) -> None:
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.storage.database import open_database
    from kankei_desktop.sync.service import SyncService

    services = Services(open_database(_fresh(folder)))
    try:
        SyncService(services).import_(folder / "full.kankei", PASSPHRASE)
    finally:
        services.database.close()


def _floor(folder: Path) -> None:
    from kankei_desktop.core.figures import rebuild
    from kankei_desktop.sync.schema import table_specs

    target = _fresh(folder)
    dataset = Path((folder / "dataset").read_text(encoding="utf-8"))
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute("PRAGMA cache_size=-262144")
        connection.execute("ATTACH DATABASE ? AS source", (f"{dataset.as_uri()}?mode=ro",))
        connection.execute("BEGIN IMMEDIATE")
        triggers = connection.execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in triggers:
            connection.execute(f'DROP TRIGGER "{name}"')
        for name in (*(spec.name for spec in table_specs()), "sync_field_clock"):
            connection.execute(f"INSERT INTO main.{name} SELECT * FROM source.{name}")
        rebuild.rebuild_raw(connection)
        for _name, sql in triggers:
            connection.execute(sql)
        connection.execute("COMMIT")
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.full_import",
                                     description=__doc__)
    parser.add_argument("action", choices=("prepare", "import", "floor"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--image", action="store_true",
                        help="a full bundle carrying the database image (format 2)")
    args = parser.parse_args(argv)
    folder = args.folder.expanduser().resolve()
    if args.action == "prepare":
        _prepare(folder, args.scale, args.image)
    elif args.action == "import":
        _import(folder)
    else:
        _floor(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
