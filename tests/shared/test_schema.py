"""A shared database holds every table of the models except the file's kept figure tables
(filled by SQLite triggers; PostgreSQL computes the figures live)."""

from __future__ import annotations

from kankei_desktop.core.figures.triggers import KEPT_TABLES
from kankei_desktop.core.models import Base
from kankei_desktop.core.storage.pg_schema import SQLITE_ONLY_TABLES, shared_tables


def test_the_kept_figure_tables_are_the_files_only() -> None:
    assert set(SQLITE_ONLY_TABLES) == set(KEPT_TABLES)
    assert {table.name for table in shared_tables()} == \
        set(Base.metadata.tables) - set(KEPT_TABLES)
