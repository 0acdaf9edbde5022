"""``--self-test`` for sync: a full encrypted bundle of the open file, imported into a fresh
file, must give the same data."""

from __future__ import annotations

import secrets
from pathlib import Path

from kankei_desktop.core.clock import wall_clock_ms
from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.sync.background_check import BackgroundCheck
from kankei_desktop.sync.bundle import open_bundle
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.service import SyncService


def round_trip(services: Services, folder: Path) -> str:
    """Export, import into a new file in ``folder``, compare the dumps; one-line summary."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    bundle = folder / "self-test.kankei"
    passphrase = secrets.token_urlsafe(16)
    exported = SyncService(services).export(bundle, passphrase=passphrase)
    target_path = folder / f"self-test-{secrets.token_hex(4)}.sqlite3"
    target = Services(open_database(target_path))
    try:
        report = SyncService(target).import_(bundle, passphrase)
        if dump_text(target) != dump_text(services):
            raise KankeiError(_("The sync self-test found a difference between the file and "
                                "its copy made through a bundle; please report it."))
    finally:
        target.database.close()
    check = BackgroundCheck(open_bundle(bundle, passphrase), wall_clock_ms(), False)
    check.verdict()
    if not check.ran_in_child:
        raise KankeiError(_("The sync self-test could not check a bundle in a second process; "
                            "large bundles would import more slowly. Please report it."))
    return _("Sync: {count} records exported (encrypted) and imported into a new file, "
             "identical; bundles are checked in a second process.").format(
                 count=exported.total if report else 0)
