"""Shared fixtures: every test gets its own user folder and database file.

``database`` is an SQLite file unless a module runs on both engines
(``BOTH_ENGINES = True``, see :mod:`tests.engines`): then each test runs once more on
a fresh PostgreSQL database of the session's throwaway server (:mod:`tests.postgres_server`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# never the developer's real keyring: tests that keep a password install an in-memory one
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.japan.formatting import set_date_style
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import Database, open_database
from tests.engines import parametrize_engines
from tests.postgres_server import TemporaryPostgres


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules with ``BOTH_ENGINES = True`` run on SQLite and PostgreSQL."""
    parametrize_engines(metafunc)


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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """The session's throwaway PostgreSQL server (started on first use, stopped at the end)."""
    server = TemporaryPostgres().start()
    try:
        server.template()
        yield server
    finally:
        server.stop()


@pytest.fixture
def engine_name(request: pytest.FixtureRequest) -> str:
    """``sqlite`` (the default) or ``postgresql`` (modules marked ``both_engines``)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def db_location(engine_name: str, db_path: Path, request: pytest.FixtureRequest
                ) -> Iterator[Path | str]:
    """Where the test's database lives: a file path, or a fresh shared database's URL."""
    if engine_name == "sqlite":
        yield db_path
        return
    server: TemporaryPostgres = request.getfixturevalue("postgres_server")
    url = server.lend()
    yield url
    server.give_back(url)


@pytest.fixture
def database(db_location: Path | str) -> Iterator[Database]:
    """A freshly created, migrated database (closed after the test)."""
    db = open_database(db_location)
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
