"""Demo data shared by the report tests (read-only tests share one file per module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """Services over a file with the demo data (do not change it in a test)."""
    set_language("ja")
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    services = Services(db)
    load_demo(services)
    yield services
    db.close()


@pytest.fixture
def demo_rw(services: Services) -> Services:
    """A fresh demo file a test may change."""
    load_demo(services)
    return services
