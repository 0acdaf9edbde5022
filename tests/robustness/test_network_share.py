"""Files on a network share use the rollback journal (WAL needs shared memory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage import journal as storage
from kankei_desktop.core.storage.backup import backup_before, restore_backup
from kankei_desktop.core.storage.database import open_database
from tests.robustness.helpers import add_people, people_names

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
//townhall/kikaku /mnt/share cifs rw,vers=3.0 0 0
server:/export /mnt/nfs nfs4 rw 0 0
tmpfs /mnt/share/local-cache tmpfs rw 0 0
/dev/sdb1 /mnt/share\\040copy ext4 rw 0 0
"""


@pytest.fixture
def fake_mounts(monkeypatch: pytest.MonkeyPatch) -> None:
    real_read_text = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if str(self) == "/proc/mounts":
            return MOUNTS
        return real_read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)
    monkeypatch.delenv("KANKEI_ASSUME_NETWORK_SHARE", raising=False)


@pytest.mark.usefixtures("fake_mounts")
@pytest.mark.parametrize(("path", "expected"), [
    ("/mnt/share/kankei.sqlite3", "DELETE"),
    ("/mnt/share/sub/kankei.sqlite3", "DELETE"),
    ("/mnt/nfs/kankei.sqlite3", "DELETE"),
    ("/mnt/share/local-cache/kankei.sqlite3", "WAL"),  # the innermost mount decides
    ("/mnt/share copy/kankei.sqlite3", "WAL"),  # escaped space; a different mount
    ("/mnt/shared/kankei.sqlite3", "WAL"),  # a prefix of the name is not inside it
    ("/home/user/kankei.sqlite3", "WAL"),
])
def test_journal_mode_follows_the_mount(path: str, expected: str) -> None:
    assert storage.journal_mode_for(Path(path)) == expected


def test_backup_and_restore_work_on_a_share(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANKEI_ASSUME_NETWORK_SHARE", "1")
    database = open_database(db_path)
    add_people(Services(database), 2)
    database.close()
    copy = backup_before(db_path, "daily")
    database = open_database(db_path)
    add_people(Services(database), 1, prefix="後")
    database.close()

    restore_backup(db_path, copy)

    assert people_names(db_path) == {"試験0", "試験1"}
    assert not db_path.with_name(db_path.name + "-wal").exists()
