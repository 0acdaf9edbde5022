"""Fixtures for the sync tests: three replicas in temporary files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kankei_desktop.core.services import Services
from tests.sync.helpers import open_replica


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[list[Services]]:
    """Three empty replicas (A, B, C)."""
    opened = [open_replica(tmp_path / f"{name}.sqlite3") for name in "abc"]
    yield opened
    for services in opened:
        services.database.close()
