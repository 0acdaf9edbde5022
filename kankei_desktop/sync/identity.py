"""The name this replica gives itself in bundles (shown to colleagues in their peer list)."""

from __future__ import annotations

import getpass
import platform

from kankei_desktop.core.models import Meta
from kankei_desktop.core.services import Services

NAME_KEY = "replica_name"


def replica_name(services: Services) -> str:
    """The stored name, else ``user@computer``."""
    with services.context.reading() as session:
        row = session.get(Meta, NAME_KEY)
        if row is not None and row.value:
            return row.value
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # pragma: no cover - no user name on this system
        user = "kankei"
    return f"{user}@{platform.node() or 'pc'}"


def has_replica_name(services: Services) -> bool:
    """Whether a name was chosen for this replica (else ``user@computer`` stands in)."""
    with services.context.reading() as session:
        row = session.get(Meta, NAME_KEY)
        return row is not None and bool(row.value)


def set_replica_name(services: Services, name: str) -> None:
    """Store the name colleagues will see."""
    with services.context.transaction() as session:
        row = session.get(Meta, NAME_KEY)
        if row is None:
            session.add(Meta(key=NAME_KEY, value=name.strip()))
        else:
            row.value = name.strip()
