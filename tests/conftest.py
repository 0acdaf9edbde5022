"""Shared fixtures: every test gets its own user folder and database file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.japan.formatting import set_date_style
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import Database, open_database


@pytest.fixture(autouse=True)
def _isolated_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the developer's real data folder; speak Japanese unless a test switches."""
    monkeypatch.setenv("KANKEI_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))
    monkeypatch.setenv("KANKEI_LANG", "ja")
    set_language("ja")
    set_date_style("western")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a database file that does not exist yet."""
    return tmp_path / "kankei.sqlite3"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    """A freshly created, migrated database (closed after the test)."""
    db = open_database(db_path)
    yield db
    db.close()


@pytest.fixture
def connection(database: Database) -> Iterator[Connection]:
    """A plain connection to the fresh database, for writing the way raw SQL writers do."""
    with database.engine.connect() as conn:
        yield conn


@pytest.fixture
def services(database: Database) -> Services:
    """All services over the fresh database."""
    return Services(database)
