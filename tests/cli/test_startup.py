"""Start-up of the command line (issue 25, item 1): ``kankei --help`` and ``kankei stats``
load no library their command does not use, and Alembic only to migrate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from kankei_desktop.core.storage import migration, revisions
from kankei_desktop.core.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("alembic", "reportlab", "openpyxl", "PySide6", "sqlalchemy", "cryptography",
         "jpholiday", "icalendar", "babel")

LOADED = textwrap.dedent("""
    import json, sys
    argv = json.loads(sys.argv[1])
    if argv is not None:
        from kankei_desktop.commands.cli import main
        import contextlib, io
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(argv)
            except SystemExit as exit:
                code = exit.code
    else:
        import kankei_desktop.commands.cli
        code = 0
    print(json.dumps({"code": code,
                      "modules": sorted({name.split(".")[0] for name in sys.modules})}))
""")


def loaded_by(argv: list[str] | None, tmp_path: Path) -> tuple[int, set[str]]:
    """Run ``kankei ARGV`` (None: only import the entry module) in a fresh interpreter."""
    env = dict(os.environ, KANKEI_LANG="en", KANKEI_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", LOADED, json.dumps(argv)],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
                            check=True)
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return int(answer["code"] or 0), set(answer["modules"])


def test_importing_the_entry_module_loads_no_heavy_library(tmp_path: Path) -> None:
    _code, modules = loaded_by(None, tmp_path)
    assert not modules & set(HEAVY), modules & set(HEAVY)


def test_help_loads_no_heavy_library(tmp_path: Path) -> None:
    code, modules = loaded_by(["--help"], tmp_path)
    assert code == 0
    assert not modules & set(HEAVY), modules & set(HEAVY)


def test_stats_on_an_up_to_date_file_loads_no_heavy_library(tmp_path: Path) -> None:
    """Whole 年度 of the whole programme are read on bare sqlite3 (not even SQLAlchemy);
    a scope goes through the services, still without Alembic or the documents."""
    path = tmp_path / "demo.sqlite3"
    database = open_database(path)
    from kankei_desktop.core.demo import load_demo
    from kankei_desktop.core.services import Services

    load_demo(Services(database))
    database.close()
    for argv in (["--db", str(path), "stats", "--fy", "2025"],
                 ["--db", str(path), "stats", "--fy", "2025", "--json"],
                 ["--db", str(path), "stats", "--from", "2021-04-01", "--to", "2024-03-31"]):
        code, modules = loaded_by(argv, tmp_path)
        assert code == 0
        assert not modules & set(HEAVY), modules & set(HEAVY)
    code, modules = loaded_by(["--db", str(path), "stats", "--fy", "2025", "--municipality",
                               "014524"], tmp_path)
    assert code == 0
    unused = set(HEAVY) - {"sqlalchemy"}  # the figures of a scope are SQLAlchemy's
    assert not modules & unused, modules & unused


def test_a_file_that_needs_a_migration_still_gets_one_from_stats(tmp_path: Path) -> None:
    import sqlite3

    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "old.sqlite3"  # a file of the version before, made by its migrations
    head = revisions.head_revision()
    engine = create_engine(f"sqlite:///{path}")
    config = migration.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revisions.chain()[head])
    engine.dispose()
    code, modules = loaded_by(["--db", str(path), "stats", "--fy", "2025"], tmp_path)
    assert code == 0
    assert "alembic" in modules  # it had to migrate
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
    connection.close()


def test_the_revisions_read_without_alembic_are_alembics() -> None:
    assert revisions.head_revision() == migration.head_revision()
    script = migration._script()
    assert set(revisions.chain()) == {entry.revision for entry in script.walk_revisions()}
    for entry in script.walk_revisions():
        assert revisions.chain()[entry.revision] == entry.down_revision
