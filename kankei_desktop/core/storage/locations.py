"""Where a database is: a file, or a shared database's ``postgresql://`` address.

Kept free of heavy imports: the window asks this at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_database_url(location: object) -> bool:
    """Whether ``location`` (a ``--db`` value) names a PostgreSQL database, not a file."""
    return isinstance(location, str) and location.strip().lower().startswith(SCHEMES)


def location_of(text: str) -> Path | str:
    """A ``--db`` value or a recent-list entry: the address as text, or a file path."""
    return text.strip() if is_database_url(text) else Path(text)


@dataclass(frozen=True)
class SharedAddress:
    """The parts of a shared database's address a person recognises (never the password)."""

    user: str
    host: str
    port: int | None
    database: str

    @property
    def label(self) -> str:
        """``dbname (user@host)``: the window title and status bar."""
        where = self.host + (f":{self.port}" if self.port else "")
        return f"{self.database} ({self.user}@{where})" if self.user \
            else f"{self.database} ({where})"

    @property
    def keyring_name(self) -> str:
        """The name the password is kept under in the system's keyring."""
        return f"{self.user}@{self.host}:{self.port or 5432}/{self.database}"

    def url(self) -> str:
        """A libpq URI without a password."""
        if self.host.startswith("/"):
            return f"postgresql://{self.user}@/{self.database}?host={self.host}"
        port = f":{self.port}" if self.port else ""
        return f"postgresql://{self.user}@{self.host}{port}/{self.database}"


def address_of(url: str) -> SharedAddress:
    """The user, host, port and database named by a libpq URI (a socket folder as host)."""
    parts = urlsplit(url.strip())
    host = parts.hostname or parse_qs(parts.query).get("host", [""])[0] or "localhost"
    user = parts.username or parse_qs(parts.query).get("user", [""])[0]
    try:
        port = parts.port
    except ValueError:
        port = None
    return SharedAddress(user=user, host=host, port=port,
                         database=parts.path.lstrip("/") or user)
