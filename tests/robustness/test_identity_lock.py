"""The lock follows the file, not its name (issue 23, item 10): two paths to one file (a hard
link, a second mount point or drive letter) cannot both write it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest

from kankei_desktop.core.errors import DatabaseInUseError
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from tests.robustness.helpers import add_people, people_names

ROOT = Path(__file__).resolve().parents[2]

SECOND_COPY = textwrap.dedent("""
    import sys
    from kankei_desktop.core.storage.database import open_database
    from kankei_desktop.core.errors import DatabaseInUseError
    from kankei_desktop.core.i18n import set_language
    set_language("en")
    try:
        database = open_database(sys.argv[1])
    except DatabaseInUseError as exc:
        print(exc.message)
        raise SystemExit(3)
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.services.people import PersonDraft
    Services(database).people.create(PersonDraft(family_name="二番目"))
    database.close()
    print("opened")
""")


def second_copy(path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KANKEI_LANG="en")
    return subprocess.run([sys.executable, "-c", SECOND_COPY, str(path)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120, check=False)


def test_a_hard_link_does_not_get_around_the_lock(tmp_path: Path) -> None:
    original = tmp_path / "kankei.sqlite3"
    first = open_database(original)
    other_folder = tmp_path / "elsewhere"
    other_folder.mkdir()
    link = other_folder / "same-file.sqlite3"
    os.link(original, link)
    try:
        result = second_copy(link)
        assert result.returncode == 3, result.stdout + result.stderr
        assert "open in another running copy" in result.stdout
        add_people(Services(first), 2)  # the first copy keeps working
    finally:
        first.close()
    assert second_copy(link).stdout.strip() == "opened"  # free again once closed
    assert people_names(original) == {"試験0", "試験1", "二番目"}


def test_the_same_process_cannot_open_one_file_twice_by_two_names(tmp_path: Path) -> None:
    original = tmp_path / "kankei.sqlite3"
    first = open_database(original)
    link = tmp_path / "alias.sqlite3"
    os.link(original, link)
    try:
        with pytest.raises(DatabaseInUseError):
            open_database(link)
    finally:
        first.close()
    open_database(link).close()


@pytest.fixture
def second_mount(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A folder and the same folder mounted at a second place (a second drive letter)."""
    folder, mirror = tmp_path / "share", tmp_path / "mirror"
    folder.mkdir()
    mirror.mkdir()
    result = subprocess.run(["mount", "--bind", str(folder), str(mirror)], capture_output=True,
                            check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {result.stderr.decode().strip()}")
    try:
        yield folder, mirror
    finally:
        with suppress(OSError):
            subprocess.run(["umount", "-l", str(mirror)], check=False)


def test_a_second_mount_point_does_not_get_around_the_lock(
        second_mount: tuple[Path, Path]) -> None:
    folder, mirror = second_mount
    first = open_database(folder / "kankei.sqlite3")
    try:
        result = second_copy(mirror / "kankei.sqlite3")
        assert result.returncode == 3, result.stdout + result.stderr
    finally:
        first.close()
    assert second_copy(mirror / "kankei.sqlite3").stdout.strip() == "opened"
