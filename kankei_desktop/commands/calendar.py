"""``kankei`` subcommands for calendar (filled in by its issue)."""

from __future__ import annotations

from kankei_desktop.commands.common import Handler, SubParsers


def register(commands: SubParsers) -> dict[str, Handler]:
    """Add this feature's subcommands; return their handlers."""
    return {}
