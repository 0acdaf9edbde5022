"""Setting the figure triggers aside is all or nothing, whoever opened the transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kankei_desktop.core.figures import triggers
from kankei_desktop.core.storage.database import Database
from kankei_desktop.core.writes.bulk_mode import figure_triggers_suspended


def _schema(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        return sorted(connection.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'index')"))


def test_a_rolled_back_bulk_write_keeps_triggers_and_indexes(database: Database) -> None:
    database.close()
    before = _schema(database.path)
    assert {name for kind, name in before if kind == "trigger"} >= set(triggers.TRIGGERS)
    raw = sqlite3.connect(database.path)
    try:
        assert not raw.in_transaction  # sqlite3 would run the DROPs in autocommit
        with figure_triggers_suspended(raw):
            raw.execute("DELETE FROM attendance")
        raw.rollback()
    finally:
        raw.close()
    assert _schema(database.path) == before
