"""Fixtures for the sync tests: three replicas in temporary files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kankei_desktop.core.services import Services
from tests.sync.helpers import open_replica


@pytest.fixture
def replicas(tmp_path: Path, engine_name: str, request: pytest.FixtureRequest
             ) -> Iterator[list[Services]]:
    """Three empty replicas (A, B, C); A is a shared PostgreSQL database when the test runs
    on that engine (B and C are files: laptops exchanging with the office)."""
    lent: list[str] = []
    locations: list[Path | str] = [tmp_path / f"{name}.sqlite3" for name in "abc"]
    if engine_name == "postgresql":
        server = request.getfixturevalue("postgres_server")
        lent.append(server.lend())
        locations[0] = lent[0]
    opened = [open_replica(location) for location in locations]
    yield opened
    for services in opened:
        services.database.close()
    for url in lent:
        request.getfixturevalue("postgres_server").give_back(url)
