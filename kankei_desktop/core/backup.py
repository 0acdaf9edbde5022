"""Copies of the file taken before anything risky (migrations, imports)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_folder(db_path: Path) -> Path:
    """``<folder of the file>/backups`` (created on demand)."""
    folder = db_path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def backup_before(db_path: Path, reason: str) -> Path:
    """Copy ``db_path`` with SQLite's online backup (consistent even mid-write).

    The copy is named ``<stem>-<YYYYmmdd-HHMMSS>-<reason>.sqlite3``.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backup_folder(db_path) / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    source = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target
