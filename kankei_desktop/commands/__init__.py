"""Subcommands of ``kankei`` grouped by feature; :mod:`kankei_desktop.commands.cli` registers them.

Each module exposes ``register(commands)`` which adds its subparsers to the ``argparse``
sub-parser action and returns ``{command name: handler}``. A handler takes the database
path and the parsed arguments and returns the exit code (see :mod:`.common`).
"""
