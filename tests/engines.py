"""Running a test module on both engines: ``pytestmark = both_engines``.

The module's ``database`` (and everything built on it) is then an SQLite file in one run and a
fresh database on the session's PostgreSQL server in the other (see ``tests/conftest.py``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kankei_desktop.core.storage.database import Database, open_database

ENGINES = ("sqlite", "postgresql")

#: Parametrises the ``engine_name`` fixture of every test in a module.
both_engines = pytest.mark.parametrize("engine_name", ENGINES, indirect=True)

#: For tests of a both-engine module that read the SQLite file itself.
sqlite_only = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)


@contextmanager
def scratch_database(engine_name: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A fresh database of the engine, for a hypothesis example (fixtures live per test)."""
    if engine_name == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            database = open_database(Path(folder) / "kankei.sqlite3")
            try:
                yield database
            finally:
                database.close()
        return
    server = request.getfixturevalue("postgres_server")
    url = server.lend()
    database = open_database(url)
    try:
        yield database
    finally:
        database.close()
        server.give_back(url)
