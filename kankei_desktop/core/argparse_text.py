"""argparse's own words in the language of the program: 「使い方:」, 「位置引数」, error messages.

argparse translates its fixed texts ("usage: ", "positional arguments", "show this help message
and exit", "the following arguments are required: %s" …) through :mod:`gettext` functions it
imported into its own module. :func:`argparse_in_language` points those at this application's
catalog while a parser is built and used, and puts them back afterwards; with English chosen
(``--lang en``) the texts stay argparse's own. The texts are listed here so the catalog
extraction finds them.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from kankei_desktop.core.i18n import N_, _

#: argparse's messages (Python 3.11–3.13), as it spells them.
MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("subcommands"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _plural(singular: str, plural: str, count: int) -> str:
    return _(singular if count == 1 else plural)


@contextmanager
def argparse_in_language() -> Iterator[None]:
    """While inside, argparse speaks the application's language."""
    module = vars(argparse)
    saved = module.get("_"), module.get("ngettext")
    module["_"], module["ngettext"] = _, _plural
    try:
        yield
    finally:
        module["_"], module["ngettext"] = saved


def parse_arguments(parser: argparse.ArgumentParser, argv: list[str] | None
                    ) -> argparse.Namespace:
    """``parser.parse_args(argv)`` with argparse's texts (help, usage errors) translated."""
    with argparse_in_language():
        return parser.parse_args(argv)
