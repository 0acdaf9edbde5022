"""``kankei`` subcommands for sync: replica-id, bundle export/import/inspect/peers, dump,
conflicts."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from kankei_desktop.commands.common import (
    EXIT_OK,
    Handler,
    Location,
    SubParsers,
    fail,
    with_services,
)
from kankei_desktop.commands.texttable import render_table
from kankei_desktop.core.i18n import _

if TYPE_CHECKING:
    from kankei_desktop.core.services import Services
    from kankei_desktop.sync.merge import ImportReport

COUNT_NAMES = ("new", "changed", "deleted", "restored", "conflicts")


def register(commands: SubParsers) -> dict[str, Handler]:
    """Add this feature's subcommands; return their handlers."""
    commands.add_parser("replica-id", help=_("print this file's replica id"))
    naming = commands.add_parser(
        "replica-name", help=_("show or set the name colleagues see for this copy"))
    naming.add_argument("name", nargs="?", metavar="NAME",
                        help=_("the new name, e.g. the office and section"))
    commands.add_parser("dump", help=_("print every live record as canonical JSON"))
    conflicts = commands.add_parser("conflicts", help=_("list values that lost in a sync"))
    conflicts.add_argument("--restore", metavar="ID",
                           help=_("put the losing value of this conflict back"))
    bundle = commands.add_parser("bundle", help=_("exchange data with colleagues by bundle files"))
    actions = bundle.add_subparsers(dest="bundle_command", required=True, metavar="ACTION")
    export = actions.add_parser("export", help=_("write a bundle for a colleague"))
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--full", action="store_true", help=_("every record (for a new colleague)"))
    which.add_argument("--for", dest="peer", metavar="REPLICA_ID",
                       help=_("only what this colleague is not known to have"))
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help=_("the .kankei file to write"))
    export.add_argument("--scope", action="append", metavar="SCOPE",
                        help=_("only the records of municipality:CODE or club:NAME "
                               "(repeatable); with --for it is remembered for that colleague"))
    secret = export.add_mutually_exclusive_group()
    secret.add_argument("--passphrase-file", type=Path, metavar="F",
                        help=_("file whose first line is the passphrase"))
    secret.add_argument("--no-encryption", action="store_true",
                        help=_("write the bundle unencrypted (it holds personal data)"))
    imported = actions.add_parser("import", help=_("merge a colleague's bundle into this file"))
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.add_argument("--passphrase-file", type=Path, metavar="F",
                          help=_("file whose first line is the passphrase"))
    imported.add_argument("--dry-run", action="store_true",
                          help=_("show what would change; change nothing"))
    imported.add_argument("--accept-future", action="store_true",
                          help=_("accept changes dated more than a day in the future"))
    imported.add_argument("--allow-unencrypted", action="store_true",
                          help=_("import a bundle that is not encrypted (anyone who had it "
                                 "could have read or altered it)"))
    inspect = actions.add_parser("inspect", help=_("show a bundle's manifest"))
    inspect.add_argument("file", type=Path, metavar="FILE")
    actions.add_parser("peers", help=_("list the colleagues' replicas heard from"))
    return {"replica-id": _cmd_replica_id, "replica-name": _cmd_replica_name, "dump": _cmd_dump,
            "conflicts": _cmd_conflicts, "bundle": _cmd_bundle}


def _cmd_replica_id(db_path: Location, _args: argparse.Namespace) -> int:
    def show(services: Services) -> int:
        print(services.context.replica_id)
        return EXIT_OK
    return with_services(db_path, show)


def _cmd_replica_name(db_path: Location, args: argparse.Namespace) -> int:
    from kankei_desktop.sync.identity import replica_name, set_replica_name

    def name(services: Services) -> int:
        if args.name is None:
            print(replica_name(services))
            return EXIT_OK
        stored = set_replica_name(services, args.name)
        print(_("Colleagues now see this copy as '{name}'.").format(name=stored))
        return EXIT_OK
    return with_services(db_path, name)


def _cmd_dump(db_path: Location, _args: argparse.Namespace) -> int:
    from kankei_desktop.sync.service import SyncService

    def show(services: Services) -> int:
        sys.stdout.write(SyncService(services).dump() + "\n")
        return EXIT_OK
    return with_services(db_path, show)


def _cmd_conflicts(db_path: Location, args: argparse.Namespace) -> int:
    restore: uuid.UUID | None = None
    if args.restore:
        try:
            restore = uuid.UUID(args.restore)
        except ValueError:
            return fail(_("'{text}' is not a conflict id; 'kankei conflicts' lists them.")
                        .format(text=args.restore))
    from kankei_desktop.sync.service import SyncService

    def show(services: Services) -> int:
        sync = SyncService(services)
        if restore is not None:
            sync.restore_conflict(restore)
            print(_("Restored the losing value; it now travels to colleagues as a new edit."))
            return EXIT_OK
        entries = sync.conflicts()
        if not entries:
            print(_("No conflicts: no value has been lost to a concurrent edit."))
            return EXIT_OK
        rows = [[str(entry.id), entry.logged_at.strftime("%Y-%m-%d %H:%M"), entry.table,
                 entry.record, entry.field, _values(entry.winner), _values(entry.loser),
                 _("restored") if entry.restored_at else ""] for entry in entries]
        print(render_table([_("Id"), _("Logged"), _("Table"), _("Record"), _("Field"),
                            _("Kept"), _("Lost"), _("State")], rows))
        return EXIT_OK
    return with_services(db_path, show)


def _values(values: dict[str, object]) -> str:
    return " / ".join("" if value is None else str(value) for value in values.values())


def _cmd_bundle(db_path: Location, args: argparse.Namespace) -> int:
    from kankei_desktop.sync.bundle import read_manifest
    from kankei_desktop.sync.encryption import protection

    action = args.bundle_command
    if action == "inspect":
        manifest = read_manifest(args.file)
        # the manifest as JSON, with one line in plain words on what protects it
        shown = {**manifest, "protection": protection(manifest)}
        print(json.dumps(shown, ensure_ascii=False, indent=2, sort_keys=True))
        return EXIT_OK
    if action == "export":
        return _export(db_path, args)
    if action == "import":
        return _import(db_path, args)
    return with_services(db_path, _peers)


def _export(db_path: Location, args: argparse.Namespace) -> int:
    from kankei_desktop.sync.bundle import read_passphrase_file
    from kankei_desktop.sync.identity import has_replica_name, replica_name
    from kankei_desktop.sync.service import SyncService

    passphrase: str | None = None
    if args.passphrase_file is not None:
        passphrase = read_passphrase_file(args.passphrase_file)
    elif not args.no_encryption:
        passphrase = _ask(confirm=True)
        if passphrase is None:
            return fail(_("Bundles are encrypted by default: give --passphrase-file F, or "
                          "--no-encryption to write it unencrypted."))

    def run(services: Services) -> int:
        result = SyncService(services).export(args.output, peer=args.peer,
                                              passphrase=passphrase, scope=args.scope)
        print(_("Wrote {path}: {count} records ({state}).").format(
            path=result.path, count=result.total,
            state=_("encrypted") if result.encrypted else _("NOT encrypted")))
        if not has_replica_name(services):
            print(_("This copy has no name yet, so colleagues see it as '{name}'; name "
                    "it once with: kankei replica-name \"鷹栖町役場 企画課\"").format(
                        name=replica_name(services)))
        return EXIT_OK
    return with_services(db_path, run)


def _import(db_path: Location, args: argparse.Namespace) -> int:
    from kankei_desktop.sync.bundle import (
        BundleError,
        check_unencrypted_allowed,
        read_manifest,
        read_passphrase_file,
    )
    from kankei_desktop.sync.service import SyncService

    passphrase: str | None = None
    manifest = read_manifest(args.file)
    if args.passphrase_file is not None:
        passphrase = read_passphrase_file(args.passphrase_file)
    if manifest["encryption"] is None:
        check_unencrypted_allowed(passphrase, args.allow_unencrypted)
    elif passphrase is None:
        passphrase = _ask(confirm=False)
        if passphrase is None:
            raise BundleError(_("The bundle is encrypted. Give the passphrase the sender "
                                "chose (--passphrase-file); nothing was changed."))

    def run(services: Services) -> int:
        report = SyncService(services).import_(args.file, passphrase, dry_run=args.dry_run,
                                               accept_future=args.accept_future,
                                               allow_unencrypted=args.allow_unencrypted)
        print(render_report(report))
        return EXIT_OK
    return with_services(db_path, run)


def render_report(report: ImportReport) -> str:
    """The preview or result table, with a closing sentence."""
    from kankei_desktop.sync.encryption import protection

    manifest = report.manifest
    heading = _("Bundle from {name} ({replica}), made {created}.").format(
        name=manifest["source_name"], replica=manifest["source_replica"],
        created=manifest["created"]) + "\n" + protection(manifest)
    headers = [_("Table"), _("New"), _("Changed"), _("Deleted"), _("Restored"), _("Conflicts")]
    rows = [[name, *(str(getattr(counts, key)) for key in COUNT_NAMES)]
            for name, counts in report.counts.items()]
    rows.append([_("Total"), *(str(report.total(key)) for key in COUNT_NAMES)])
    table = render_table(headers, rows, numeric=(1, 2, 3, 4, 5))
    if report.dry_run:
        closing = _("Dry run: nothing was changed.")
    elif report.changes == 0 and report.total("conflicts") == 0:
        closing = _("Nothing new: this file already had everything in the bundle.")
    else:
        closing = _("Imported {count} changes (backup: {backup}).").format(
            count=report.changes, backup=report.backup_path)
    return "\n".join((heading, table, closing))


def _peers(services: Services) -> int:
    from kankei_desktop.sync.service import SyncService

    peers = SyncService(services).peers()
    if not peers:
        print(_("No colleague's bundle has been imported into this file yet."))
        return EXIT_OK
    never = _("never")
    rows = [[str(peer.replica_id), peer.name,
             peer.last_import_at.strftime("%Y-%m-%d %H:%M") if peer.last_import_at else never,
             peer.last_export_at.strftime("%Y-%m-%d %H:%M") if peer.last_export_at else never]
            for peer in peers]
    print(render_table([_("Replica id"), _("Name"), _("Last import"), _("Last export")], rows))
    return EXIT_OK


def _ask(*, confirm: bool) -> str | None:
    """Ask for a passphrase on the terminal; None when there is no terminal."""
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(_("Passphrase: "))
    if not first:
        return None
    if confirm and getpass.getpass(_("Passphrase again: ")) != first:
        from kankei_desktop.sync.bundle import BundleError

        raise BundleError(_("The two passphrases differ. Nothing was written; try again."))
    return first
