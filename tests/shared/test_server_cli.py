"""``kankei server init/add-user/users`` on the tests' real PostgreSQL server: setting up an
empty database, users and their scopes, refusals in one sentence, and upgrading a shared
database set up by an older version (tables and columns it lacks come from the models)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from kankei_desktop.commands.cli import main
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage import migration
from kankei_desktop.core.storage.database import open_database
from tests.postgres_server import TemporaryPostgres


@pytest.fixture
def empty(postgres_server: TemporaryPostgres) -> Iterator[str]:
    """An empty database on the server, as an administrator creates it with createdb."""
    name = f"office_{uuid.uuid4().hex[:8]}"
    postgres_server.execute(f"CREATE DATABASE {name}")
    url = postgres_server.url(name)
    yield url
    postgres_server.drop_database(url)


def test_init_add_user_and_users(empty: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["server", "init", empty]) == 0
    assert "kankei --db" in capsys.readouterr().out
    assert main(["server", "init", empty]) == 0  # again: checked, nothing lost
    password = tmp_path / "pw.txt"
    password.write_text("長い合言葉です1234\n", encoding="utf-8")
    assert main(["--db", empty, "server", "add-user", "ichinoseki_sato", "--municipality",
                 "03209", "--password-file", str(password)]) == 0
    assert main(["--db", empty, "server", "add-user", "iwate", "--municipality",
                 "030007", "--password-file", str(password)]) == 0
    capsys.readouterr()
    assert main(["--db", empty, "server", "users"]) == 0
    listed = capsys.readouterr().out
    for word in ("ichinoseki_sato", "032093", "iwate", "030007"):
        assert word in listed
    # the new user works in the database, within its scope
    database = open_database(empty.replace("kankei_admin", "ichinoseki_sato", 1))
    try:
        person = Services(database).people.create(PersonDraft(family_name="新人"))
        assert [row.id for row in Services(database).people.find()] == [person.id]
    finally:
        database.close()


@pytest.mark.parametrize(("arguments", "words"), [
    (["add-user", "Sato", "--all"], "Sato"),
    (["add-user", "sato", "--municipality", "03209x"], "03209x"),
])
def test_refusals_are_one_sentence(empty: str, arguments: list[str], words: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["server", "init", empty]) == 0
    capsys.readouterr()
    assert main(["--db", empty, "server", *arguments]) != 0
    error = capsys.readouterr().err
    assert words in error
    assert "Traceback" not in error
    assert len(error.strip().splitlines()) == 1


def test_init_upgrades_a_database_of_an_older_version(
        empty: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["server", "init", empty]) == 0
    database = open_database(empty)
    try:
        Services(database).people.create(PersonDraft(family_name="残る人"))
    finally:
        database.close()
    with psycopg.connect(empty, autocommit=True) as connection:  # as an older version left it
        connection.execute("DROP TABLE change_log")
        connection.execute("ALTER TABLE organization DROP COLUMN corporate_number")
        connection.execute("UPDATE alembic_version SET version_num = '0008_figure_rule'")
    capsys.readouterr()
    assert main(["server", "init", empty]) == 0
    assert "0008_figure_rule" in capsys.readouterr().out
    with psycopg.connect(empty, autocommit=True) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            migration.head_revision(),)
        assert connection.execute("SELECT count(*) FROM change_log").fetchone() == (0,)
        connection.execute("SELECT corporate_number FROM organization")
        assert connection.execute("SELECT family_name FROM person").fetchall() == [("残る人",)]
    database = open_database(empty)  # and the application opens it
    database.close()
