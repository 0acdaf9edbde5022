"""Creating and upgrading a shared database's schema, and its users (``kankei server``).

The migrations up to ``0008`` were written for SQLite only (hand-written SQL, triggers of the
kept figure tables). A new PostgreSQL database is therefore not built by replaying them: it
gets the models' tables (``create_all``; the kept figure tables are left out, PostgreSQL
computes the figures live) plus what only PostgreSQL has (:func:`_extras`: text columns of
binary collation without a length limit, as in the file — the limits are
``core.field_limits`` — deferrable references, the partial index of deleted people,
row-level security, the change announcements), and is stamped at the head revision. Every
migration from then on is written for both engines, and ``kankei server init`` runs them on a
shared database, then applies the extras again (they are idempotent), so new tables get their
policies and collation.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from alembic import command
from sqlalchemy import Connection, String, Table, Text, text
from sqlalchemy.exc import DBAPIError

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import codes as lgcodes
from kankei_desktop.core.models import (
    SYNCED_MODELS,
    Base,
    FigureCount,
    FigureFirstCount,
    FigurePresence,
    FigureSpan,
    FigureSpanCount,
    FirstAttendance,
    FirstAttendanceHost,
    FirstAttendancePerson,
)
from kankei_desktop.core.storage import migration, pg_security
from kankei_desktop.core.storage.locations import SharedAddress, address_of
from kankei_desktop.core.storage.postgres import connection_error, make_shared_engine

#: Tables that only the SQLite file keeps (the figures' kept tables, filled by triggers).
SQLITE_ONLY_TABLES = frozenset(model.__tablename__ for model in (
    FirstAttendance, FirstAttendancePerson, FirstAttendanceHost, FigurePresence, FigureCount,
    FigureSpan, FigureSpanCount, FigureFirstCount))
LOGIN_NAME = re.compile(r"\A[a-z_][a-z0-9_]{0,62}\Z")


class ServerSetupError(KankeiError):
    """``kankei server`` could not do what was asked (nothing was changed)."""


@dataclass
class InitResult:
    """What ``kankei server init`` did."""

    address: SharedAddress
    created: bool
    upgraded_from: str | None
    group: str


def shared_tables() -> list[Table]:
    """The tables a shared database holds, parents first."""
    return [table for table in Base.metadata.sorted_tables
            if table.name not in SQLITE_ONLY_TABLES]


def init_server(url: str, password: str | None = None) -> InitResult:
    """Create the schema and the group role (or upgrade both) in the database at ``url``,
    connected as its owner. Idempotent; one transaction."""
    address = address_of(url)
    engine = make_shared_engine(url, password)
    try:
        with engine.begin() as connection:
            schema = str(connection.scalar(text("SELECT current_schema()")))
            present = "alembic_version" in set(connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema})
                .scalars())
            before = migration.current_revision(connection) if present else None
            if before is not None and not migration.is_known_revision(before):
                raise ServerSetupError(_(
                    "The database {name} was set up by a newer version of Kankei Desktop; "
                    "update this copy first. Nothing was changed.").format(name=address.label))
            config = migration.alembic_config()
            config.attributes["connection"] = connection
            if not present:
                Base.metadata.create_all(connection, tables=shared_tables())
                command.stamp(config, "head")
            elif before != migration.head_revision():
                _upgrade(connection, schema, address)
                command.stamp(config, "head")
            _column_defaults(connection)
            group = pg_security.group_role(address.database)
            _extras(connection, schema, group, address.database)
    except DBAPIError as exc:
        raise ServerSetupError(_(
            "Setting up the shared database {name} failed ({detail}). Connect as the "
            "database's owner (a user allowed to create roles); nothing was changed.").format(
            name=address.label, detail=str(exc.orig).strip().splitlines()[0][:300])) from exc
    finally:
        engine.dispose()
    return InitResult(address, created=not present,
                      upgraded_from=before if present and before != migration.head_revision()
                      else None, group=group)


def _upgrade(connection: Connection, schema: str, address: SharedAddress) -> None:
    """Bring an older shared database to the models: the migrations are the file's (some
    build SQLite's kept tables and triggers), so a shared database gets the tables it lacks
    and the columns its tables lack straight from the models, as ``init`` made it."""
    Base.metadata.create_all(connection, tables=shared_tables())  # only the missing ones
    present: dict[str, set[str]] = {}
    for table_name, column_name in connection.execute(text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = :s"), {"s": schema}):
        present.setdefault(table_name, set()).add(column_name)
    for table in shared_tables():
        for column in table.columns:
            if column.name in present.get(table.name, {column.name}):
                continue
            kind = column.type.compile(dialect=connection.dialect)
            default = _scalar_default(column)
            if default is None and not column.nullable:
                raise ServerSetupError(_(
                    "The shared database {name} cannot be upgraded automatically: the new "
                    "column {table}.{column} needs a value for the records already there. "
                    "Nothing was changed.").format(name=address.label, table=table.name,
                                                   column=column.name))
            clause = "" if default is None else \
                " NOT NULL DEFAULT " + str(connection.scalar(text("SELECT quote_literal(:v)"),
                                                             {"v": str(default)}))
            connection.exec_driver_sql(
                f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{clause}')


def _scalar_default(column: Any) -> Any:
    """The model's fixed default of ``column`` (None: none, or one computed per row)."""
    default = column.default
    return default.arg if default is not None and default.is_scalar else None


def _column_defaults(connection: Connection) -> None:
    """Give every column its model's fixed default in the database too, as a file's
    migrations do: a writer that leaves out a column added later (a bulk insert, an older
    bundle's rows) stores the default, not a NULL the column refuses. Safe to run again."""
    for table in shared_tables():
        for column in table.columns:
            default = _scalar_default(column)
            if default is None:
                continue
            literal = connection.scalar(text("SELECT quote_literal(:v)"), {"v": str(default)})
            connection.exec_driver_sql(
                f'ALTER TABLE {table.name} ALTER COLUMN "{column.name}" SET DEFAULT {literal}')


def _extras(connection: Connection, schema: str, group: str, database: str) -> None:
    """What only PostgreSQL has (see the module docstring); safe to run again."""
    run = _runner(connection, schema)
    tables = shared_tables()
    for (table_name,) in connection.execute(text(
            "SELECT tablename FROM pg_policies WHERE schemaname = :s "
            "AND policyname = 'kankei_scope'"), {"s": schema}).all():
        run(f"DROP POLICY kankei_scope ON {table_name}")  # recreated below
    binary = set(connection.execute(text(
        "SELECT table_name || '.' || column_name FROM information_schema.columns "
        "WHERE table_schema = :s AND collation_name = 'C' AND data_type = 'text'"),
        {"s": schema}).scalars())
    for table in tables:
        for column in table.columns:
            if isinstance(column.type, String | Text) \
                    and f"{table.name}.{column.name}" not in binary:
                run(f'ALTER TABLE {table.name} ALTER COLUMN "{column.name}" '
                    'TYPE text COLLATE "C"')
    for table_name, constraint in connection.execute(text("""
            SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c
            JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE c.contype = 'f' AND NOT c.condeferrable AND n.nspname = :s"""),
            {"s": schema}).all():
        run(f'ALTER TABLE {table_name} ALTER CONSTRAINT "{constraint}" '
            "DEFERRABLE INITIALLY IMMEDIATE")
    run("CREATE INDEX IF NOT EXISTS ix_person_deleted ON person (id) "
        "WHERE deleted_at IS NOT NULL")
    for statement in pg_security.TABLES + pg_security.FUNCTIONS:
        run(statement)
    synced = [model.__tablename__ for model in SYNCED_MODELS]  # type: ignore[attr-defined]
    derived = pg_security.derived_rules(tables)
    for statement in pg_security.policy_statements(synced, [], derived):
        run(statement)
    run(f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{group}') THEN
                CREATE ROLE "{group}" NOLOGIN;
            END IF; END $$""")
    names = [table.name for table in tables]
    for statement in pg_security.grant_statements(group, database, names):
        run(statement)
    connection.execute(text(
        "INSERT INTO meta (key, value) VALUES ('login_group', :g) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"), {"g": group})
    if connection.scalar(text("SELECT value FROM meta WHERE key = 'replica_id'")) is None:
        connection.execute(text("INSERT INTO meta (key, value) VALUES ('replica_id', :v)"),
                           {"v": str(uuid.uuid4())})


def _runner(connection: Connection, schema: str):  # type: ignore[no-untyped-def]
    def run(statement: str) -> None:
        connection.exec_driver_sql(statement.replace("{schema}", f'"{schema}"'))
    return run


@dataclass
class UserScope:
    """What a login may see: everything, or the clubs of these municipalities/prefectures."""

    sees_all: bool
    codes: tuple[str, ...] = ()


def normalized_codes(values: list[str]) -> tuple[str, ...]:
    """Six-digit codes (check digit added or checked); a sentence for a wrong one."""
    result = []
    for value in values:
        try:
            result.append(lgcodes.normalize_lgcode(value))
        except ValueError as exc:
            raise ServerSetupError(_(
                "'{code}' is not a valid local government code (5 digits, or 6 with a correct "
                "check digit, e.g. 032093 for 一関市 or 030007 for 岩手県).").format(
                code=value)) from exc
    return tuple(sorted(set(result)))


def add_user(url: str, name: str, scope: UserScope, *, user_password: str | None,
             password: str | None = None) -> None:
    """Create (or re-scope) the login ``name`` of the database at ``url``, connected as its
    owner; ``user_password`` becomes the login's password (None keeps the present one)."""
    if LOGIN_NAME.match(name) is None:
        raise ServerSetupError(_(
            "'{name}' cannot be a user name: use lower-case letters, digits and '_', starting "
            "with a letter (for example ichinoseki_sato).").format(name=name))
    address = address_of(url)
    engine = make_shared_engine(url, password)
    try:
        with engine.begin() as connection:
            if connection.scalar(text("SELECT to_regclass('kankei_login')")) is None:
                raise ServerSetupError(_(
                    "The database {name} is not set up yet: run 'kankei server init' "
                    "first.").format(name=address.label))
            group = str(connection.scalar(text(
                "SELECT value FROM meta WHERE key = 'login_group'")))
            raw = connection.connection.driver_connection
            from psycopg import sql

            exists = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                                       {"n": name})
            verb = "ALTER" if exists else "CREATE"
            statement = sql.SQL(verb + " ROLE {} LOGIN").format(sql.Identifier(name))
            if user_password is not None:
                statement = statement + sql.SQL(" PASSWORD {}").format(
                    sql.Literal(user_password))
            raw.execute(statement)  # type: ignore[union-attr]
            raw.execute(sql.SQL("GRANT {} TO {}").format(  # type: ignore[union-attr]
                sql.Identifier(group), sql.Identifier(name)))
            connection.execute(text("""
                INSERT INTO kankei_login (login, sees_all, codes) VALUES (:n, :all, :codes)
                ON CONFLICT (login) DO UPDATE SET sees_all = excluded.sees_all,
                                                  codes = excluded.codes"""),
                {"n": name, "all": scope.sees_all, "codes": list(scope.codes)})
    except DBAPIError as exc:
        raise ServerSetupError(_(
            "The user {user} could not be created in {name} ({detail}). Connect as the "
            "database's owner, a user allowed to create roles; nothing was changed.").format(
            user=name, name=address.label,
            detail=str(exc.orig).strip().splitlines()[0][:300])) from exc
    finally:
        engine.dispose()


def list_users(url: str, password: str | None = None) -> list[tuple[str, UserScope]]:
    """Every login of the database at ``url`` with its scope."""
    address = address_of(url)
    engine = make_shared_engine(url, password)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT login::text, sees_all, codes FROM kankei_login ORDER BY login")).all()
    except DBAPIError as exc:
        raise connection_error(exc, address) from exc
    finally:
        engine.dispose()
    return [(str(login), UserScope(bool(sees), tuple(codes))) for login, sees, codes in rows]
