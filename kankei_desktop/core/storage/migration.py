"""Alembic configured in code, so a frozen build finds its migrations without alembic.ini."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

SCRIPT_LOCATION = "kankei_desktop.core.storage:migrations"


def alembic_config() -> Config:
    """The Alembic configuration for this package."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this version of the application knows."""
    head = _script().get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("no migrations shipped")
    return head


def is_known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of ours (an unknown one comes from a newer version)."""
    return any(script.revision == revision for script in _script().walk_revisions())


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in the file (None for a fresh file)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the file to the newest schema in one transaction."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
