"""Small helpers shared by the robustness tests."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft


def add_people(services: Services, count: int, prefix: str = "試験") -> None:
    """Create ``count`` people named ``<prefix><n>`` (one transaction each)."""
    for number in range(count):
        services.people.create(PersonDraft(family_name=f"{prefix}{number}", given_name="太郎"))


def people_names(path: Path) -> set[str]:
    """Family names of the live people in the file (read-only, independent of the app)."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
        rows = connection.execute(
            "SELECT family_name FROM person WHERE deleted_at IS NULL").fetchall()
    return {row[0] for row in rows}
