"""Where a database is: a file, or a shared database's ``postgresql://`` address.

Kept free of heavy imports: the window asks this at start-up.
"""

from __future__ import annotations

from pathlib import Path

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_database_url(location: object) -> bool:
    """Whether ``location`` (a ``--db`` value) names a PostgreSQL database, not a file."""
    return isinstance(location, str) and location.strip().lower().startswith(SCHEMES)


def location_of(text: str) -> Path | str:
    """A ``--db`` value or a recent-list entry: the address as text, or a file path."""
    return text.strip() if is_database_url(text) else Path(text)
