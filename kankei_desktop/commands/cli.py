"""``kankei``: the same services as the window, from a terminal.

Every error a user can cause ends with exit code 1 and one sentence on stderr that says
what happened and what to do; never a traceback. Usage mistakes (an unknown option) end
with argparse's exit code 2.

Start-up matters (``kankei --help`` in a blink, ``kankei stats`` well under a second): this
module and every feature module's ``register()`` import only argparse and the translations;
a handler imports what its command needs when it runs (see :mod:`.common`).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kankei_desktop import __version__
from kankei_desktop.commands import calendar as calendar_commands
from kankei_desktop.commands import furusato as furusato_commands
from kankei_desktop.commands import imports as import_commands
from kankei_desktop.commands import reports as report_commands
from kankei_desktop.commands import server as server_commands
from kankei_desktop.commands import surveys as survey_commands
from kankei_desktop.commands import sync as sync_commands
from kankei_desktop.commands.common import (
    EXIT_OK,
    Handler,
    Location,
    database_location,
    fail,
    with_services,
)
from kankei_desktop.commands.periods import add_period_arguments, municipality_help
from kankei_desktop.commands.stats import cmd_stats
from kankei_desktop.core.argparse_text import argparse_in_language
from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _, set_language
from kankei_desktop.core.storage.failures import (
    Cause,
    cause_of,
    full_message,
    read_only_message,
    translate_database_error,
)
from kankei_desktop.core.storage.paths import default_database_path

if TYPE_CHECKING:
    from kankei_desktop.core.services import Services

FEATURE_COMMANDS = (calendar_commands, report_commands, sync_commands, import_commands,
                    furusato_commands, server_commands, survey_commands)
LIST_KINDS = ("organizations", "people", "clubs", "meetings", "matchings")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the commands)."""
    parser = argparse.ArgumentParser(
        prog="kankei",
        description=_("Kankei Desktop from the command line: the database, figures and lists."),
    )
    parser.add_argument("--db", type=database_location, default=None, metavar="PATH",
                        help=_("database file (default: kankei.sqlite3 in the user data "
                               "folder), or a shared database's address "
                               "postgresql://user@server/database"))
    parser.add_argument("--lang", choices=("ja", "en"), default=None,
                        help=_("language of the output (default: the system's)"))
    parser.add_argument("--version", action="version", version=f"kankei {__version__}",
                        help=_("show the version and exit"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("init", help=_("create the database, or upgrade it to this version"))
    commands.add_parser("demo", help=_("load the demo data into an empty database"))
    commands.add_parser("check", help=_("check the file for damage (changes nothing)"))
    stats = commands.add_parser("stats", help=_("figures for a fiscal year or any period"))
    add_period_arguments(stats)
    stats.add_argument("--club", metavar="NAME", help=_("only this club"))
    stats.add_argument("--municipality", metavar="CODE", help=municipality_help())
    stats.add_argument("--tag", metavar="NAME",
                       help=_("only what carries this tag (sessions, clubs, people or "
                              "organisations)"))
    stats.add_argument("--json", action="store_true", help=_("print one JSON object"))
    listing = commands.add_parser("list", help=_("list records in Japanese syllabary order"))
    listing.add_argument("kind", choices=LIST_KINDS)
    listing.add_argument("--search", metavar="TEXT", default="",
                         help=_("only records matching TEXT (width and kana insensitive)"))
    for feature in FEATURE_COMMANDS:
        COMMANDS.update(feature.register(commands))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kankei`` console script."""
    _make_output_safe()
    set_language(_language_from(argv))
    with argparse_in_language():  # 「使い方:」, 「オプション」, usage errors in Japanese too
        args = build_parser().parse_args(argv)
    set_language(args.lang)
    db_path: Location = args.db if args.db is not None else default_database_path()
    try:
        return COMMANDS[args.command](db_path, args)
    except KankeiError as exc:
        return fail(exc.message)
    except BrokenPipeError:
        # The reader went away (``kankei list people | head``): not an error of the file.
        _silence_stdout()
        return EXIT_OK
    except _database_errors() as exc:
        if isinstance(db_path, str):  # a shared database
            from kankei_desktop.core.storage.locations import address_of
            from kankei_desktop.core.storage.postgres import translate_shared_error

            return fail(translate_shared_error(exc, address_of(db_path).label).message)
        # the cause decides the sentence: busy, read-only, full, a failing disk or damage
        return fail(translate_database_error(exc, db_path).message)
    except OSError as exc:
        if isinstance(db_path, str):
            return fail(str(exc))
        cause = cause_of(exc)
        if cause is Cause.FULL:
            return fail(full_message(db_path))
        if cause is Cause.READ_ONLY:
            return fail(read_only_message(db_path))
        return fail(_("The file could not be read or written ({detail}). Check that the disk "
                       "has space and that you may write there.").format(detail=exc.strerror
                                                                          or exc))
    except Exception as exc:
        from kankei_desktop.core.storage.crashlog import write_crash_log

        log = write_crash_log(exc)
        return fail(_("Something unexpected went wrong ({kind}); nothing was saved half. "
                       "Please send the log {log} to your support contact.").format(
            kind=type(exc).__name__, log=log))


def _database_errors() -> tuple[type[Exception], ...]:
    """SQLite's errors, and SQLAlchemy's wrapping of them when a command loaded it."""
    errors: list[type[Exception]] = [sqlite3.DatabaseError]
    loaded = sys.modules.get("sqlalchemy.exc")
    if loaded is not None:
        errors.append(loaded.DatabaseError)
    return tuple(errors)


def _cmd_init(db_path: Location, _args: argparse.Namespace) -> int:
    from kankei_desktop.core.storage.database import open_database

    if isinstance(db_path, str):
        return fail(_("A shared database is created and upgraded by its administrator: "
                      "'kankei server init {url}'.").format(url=db_path))
    db = open_database(db_path)
    try:
        if db.migrated_from is not None:
            print(_("Upgraded {path} to the current version (backup: {backup}).").format(
                path=db.path, backup=db.backup_path))
        else:
            print(_("The database {path} is ready.").format(path=db.path))
    finally:
        db.close()
    return EXIT_OK


def _cmd_demo(db_path: Location, _args: argparse.Namespace) -> int:
    from kankei_desktop.core.demo import load_demo

    return with_services(db_path, lambda services: _print_demo(load_demo(services)))


def _print_demo(summary: Any) -> int:
    print(_("Demo data loaded: {organizations} organisations, {people} people, {clubs} clubs, "
            "{meetings} sessions, {attendance} attendance records.").format(
        organizations=summary.organizations, people=summary.people, clubs=summary.clubs,
        meetings=summary.meetings, attendance=summary.attendance))
    return EXIT_OK


def _cmd_check(db_path: Location, _args: argparse.Namespace) -> int:
    if isinstance(db_path, str):  # a shared database: can it be opened and read?
        from kankei_desktop.core.storage.database import open_database

        database = open_database(db_path)
        database.close()
        print(_("No problems found in {path}.").format(path=database.label))
        return EXIT_OK
    from kankei_desktop.core.storage.integrity import check_file

    report = check_file(db_path.expanduser())
    for note in report.notes:
        print(note)
    if report.ok:
        print(_("No problems found in {path}.").format(path=db_path))
        return EXIT_OK
    return fail(" ".join(report.problems))


def _cmd_list(db_path: Location, args: argparse.Namespace) -> int:
    return with_services(db_path, lambda services: _print_list(services, args))


def _print_list(services: Services, args: argparse.Namespace) -> int:
    from kankei_desktop.commands.listing import render_list

    print(render_list(services, args.kind, args.search))
    return EXIT_OK


def _language_from(argv: Sequence[str] | None) -> str | None:
    """``--lang`` read before argparse, so even usage errors speak the right language."""
    words = list(sys.argv[1:] if argv is None else argv)
    for index, word in enumerate(words):
        if word == "--lang" and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
    return None


def _silence_stdout() -> None:
    """Point stdout at devnull so Python's exit flush does not complain a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _make_output_safe() -> None:
    """UTF-8 output, never an encoding crash on an old Windows console."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


COMMANDS: dict[str, Handler] = {
    "init": _cmd_init,
    "demo": _cmd_demo,
    "check": _cmd_check,
    "stats": cmd_stats,
    "list": _cmd_list,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
