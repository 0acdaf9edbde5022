"""Running a test module on both engines: ``BOTH_ENGINES = True`` in the module.

Every test of such a module whose fixtures reach ``engine_name`` (``database``, ``services``,
``replicas`` …) runs twice: on an SQLite file and on a fresh database of the session's
PostgreSQL server (``tests/conftest.py``). A test that reads the file itself is marked
``@pytest.mark.sqlite_only``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kankei_desktop.core.storage.database import Database, open_database

ENGINES = ("sqlite", "postgresql")



def parametrize_engines(metafunc: pytest.Metafunc) -> None:
    """``pytest_generate_tests``: both engines for the tests of a ``BOTH_ENGINES`` module."""
    if "engine_name" in metafunc.fixturenames \
            and getattr(metafunc.module, "BOTH_ENGINES", False) \
            and metafunc.definition.get_closest_marker("sqlite_only") is None:
        metafunc.parametrize("engine_name", ENGINES, indirect=True)


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
