"""``kankei server``: set up a shared PostgreSQL database and its users.

    kankei server init postgresql://admin@server/kankei
    kankei --db postgresql://admin@server/kankei server add-user sato --municipality 032093
    kankei --db postgresql://admin@server/kankei server add-user pref --all
    kankei --db postgresql://admin@server/kankei server users

Run as the database's owner (a PostgreSQL user allowed to create roles). ``init`` creates the
schema and the group role, or upgrades them to this version; ``add-user`` creates a login
(or changes its scope) with a password read from a file or typed twice.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from kankei_desktop.commands.common import EXIT_OK, Handler, Location, SubParsers, fail
from kankei_desktop.commands.texttable import render_table
from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.locations import is_database_url


def register(commands: SubParsers) -> dict[str, Handler]:
    """Add ``server`` and its actions; return the handler."""
    server = commands.add_parser(
        "server", help=_("set up a shared PostgreSQL database and its users"))
    actions = server.add_subparsers(dest="server_command", required=True, metavar="ACTION")
    init = actions.add_parser(
        "init", help=_("create the shared database's tables and roles, or upgrade them"))
    init.add_argument("url", nargs="?", metavar="URL",
                      help=_("postgresql://owner@server/database (default: --db)"))
    add = actions.add_parser("add-user", help=_("create a login, or change what it may see"))
    add.add_argument("name", metavar="NAME", help=_("the login name (lower-case letters, "
                                                    "digits and _)"))
    scope = add.add_mutually_exclusive_group(required=True)
    scope.add_argument("--all", action="store_true",
                       help=_("the user sees and changes everything"))
    scope.add_argument("--municipality", action="append", metavar="CODE",
                       help=_("only the clubs hosted by this municipality (a prefecture's code: "
                              "all of its municipalities); repeatable"))
    add.add_argument("--password-file", metavar="F",
                     help=_("file whose first line is the new user's password"))
    actions.add_parser("users", help=_("list the logins and what each may see"))
    return {"server": _cmd_server}


def _url(db_path: Location, args: argparse.Namespace) -> str | None:
    url = getattr(args, "url", None) or (db_path if isinstance(db_path, str) else None)
    return url if url is not None and is_database_url(url) else None


def _cmd_server(db_path: Location, args: argparse.Namespace) -> int:
    from kankei_desktop.core.storage import pg_schema
    from kankei_desktop.core.storage.locations import address_of

    url = _url(db_path, args)
    if url is None:
        return fail(_("Give the shared database's address, e.g. 'kankei server init "
                      "postgresql://owner@server/kankei' or 'kankei --db "
                      "postgresql://owner@server/kankei server {action} …'.").format(
            action=args.server_command))
    if args.server_command == "init":
        result = pg_schema.init_server(url)
        if result.created:
            print(_("The shared database {name} is set up. Add its users with 'kankei --db "
                    "{url} server add-user NAME --municipality CODE' (or --all).").format(
                name=result.address.label, url=result.address.url()))
        elif result.upgraded_from:
            print(_("The shared database {name} was upgraded from {revision} to this "
                    "version.").format(name=result.address.label, revision=result.upgraded_from))
        else:
            print(_("The shared database {name} is up to date; its roles and rules were "
                    "checked.").format(name=result.address.label))
        return EXIT_OK
    if args.server_command == "add-user":
        scope = pg_schema.UserScope(
            sees_all=bool(args.all),
            codes=() if args.all else pg_schema.normalized_codes(args.municipality))
        password = _new_password(args)
        pg_schema.add_user(url, args.name, scope, user_password=password)
        what = _("everything") if scope.sees_all else "、".join(scope.codes)
        print(_("The user {user} may now log in to {name} and sees {what}.").format(
            user=args.name, name=address_of(url).label, what=what))
        return EXIT_OK
    rows = [[login, _("everything") if scope.sees_all else " ".join(scope.codes)]
            for login, scope in pg_schema.list_users(url)]
    print(render_table([_("User"), _("Sees")], rows) if rows else _("No users yet."))
    return EXIT_OK


def _new_password(args: argparse.Namespace) -> str | None:
    from kankei_desktop.core.storage.pg_schema import ServerSetupError
    from kankei_desktop.sync.bundle import read_passphrase_file

    if args.password_file:
        return read_passphrase_file(Path(args.password_file))
    if not sys.stdin.isatty():
        return None  # the login may use the server's other ways in (a certificate, peer)
    first = getpass.getpass(_("Password for {user}: ").format(user=args.name))
    second = getpass.getpass(_("The same password again: "))
    if first != second:
        raise ServerSetupError(_("The two passwords differ; nothing was changed."))
    return first or None
