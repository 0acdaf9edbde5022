"""A shared PostgreSQL database: the address, the engine, opening it, and its transactions.

SQLite stays the embedded default; an office or a prefecture points every copy of the
application at one PostgreSQL database instead (``--db postgresql://user@host:5432/dbname``,
or ``postgresql://user@/dbname?host=/socket/dir`` for a Unix socket). The shared database is
one replica for sync: every user writes with its replica id.

Concurrency. Many users write at once, so three things are done here that a file never needs:

- every write transaction holds :data:`CLOCK_LOCK` shared from its first statement and reads
  the *clock floor* (``meta.clock_floor``), so every stamp it issues sorts after any stamp a
  bundle export has already claimed for this replica (:func:`claim_clock`, which takes the
  lock exclusively: it waits for the writers in flight, sets the floor and takes its reading
  snapshot before letting new writers in). Without it a save committed during an export could
  carry a stamp the export already claimed, and never reach that colleague;
- a bundle import holds the lock exclusively for its whole transaction (saves wait for it), so
  a merge never overwrites a save it did not read;
- a save of a record changed since it was read is refused by the write gateway's version
  check (:mod:`kankei_desktop.core.writes.versions`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from kankei_desktop.core.errors import DatabaseOpenError, KankeiError, NewerDatabaseError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Meta
from kankei_desktop.core.storage import migration
from kankei_desktop.core.storage.database import Database
from kankei_desktop.core.storage.locations import SharedAddress, address_of, is_database_url

__all__ = ["is_database_url"]

#: The advisory lock that orders stamps against bundle exports (any constant; 'kank').
CLOCK_LOCK = 0x6B616E6B
#: The meta key of the clock floor (the highest stamp an export has claimed).
CLOCK_FLOOR = "clock_floor"
#: The channel on which every change of a synced table is announced (table name).
CHANGES_CHANNEL = "kankei_changes"
#: Who may wait how long for a lock before a save gives up with a sentence.
LOCK_TIMEOUT_MS = 60_000


class SharedDatabaseError(DatabaseOpenError):
    """The shared database cannot be reached or used (nothing was changed)."""


class SharedPasswordError(SharedDatabaseError):
    """The server asked for a password that was not given (or was wrong)."""


def sqlalchemy_url(url: str, password: str | None = None) -> URL:
    """The SQLAlchemy URL (psycopg 3 driver) of a libpq URI, with ``password`` if given."""
    parsed = make_url(url.strip())
    parsed = parsed.set(drivername="postgresql+psycopg")
    if password is not None:
        parsed = parsed.set(password=password)
    return parsed


def make_shared_engine(url: str, password: str | None = None) -> Engine:
    """An engine for the shared database: stale connections replaced, a lock timeout, the
    UTC time zone (stamps are naive UTC, as in the file)."""
    engine = create_engine(
        sqlalchemy_url(url, password), pool_pre_ping=True, pool_size=4, max_overflow=8,
        connect_args={"application_name": "kankei-desktop", "connect_timeout": 10,
                      "options": f"-c lock_timeout={LOCK_TIMEOUT_MS} -c TimeZone=UTC"})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.autocommit = False

    return engine


@dataclass
class SharedDatabase(Database):
    """An open shared database (see the module docstring)."""

    url: str = ""
    address: SharedAddress | None = None
    #: Called with the clock floor at the start of every write transaction.
    clock_observers: list[Callable[[str], None]] = field(default_factory=list)

    shared = True

    @property
    def label(self) -> str:
        """What the window shows for this database."""
        return self.address.label if self.address else self.url

    @contextmanager
    def transaction(self, *, immediate: bool = True,
                    exclusive: bool = False) -> Iterator[Session]:
        """One unit of work (see the module docstring for the lock it holds; ``immediate``
        is a file's notion: PostgreSQL takes row locks as it writes)."""
        try:
            with self.sessions.begin() as session:
                lock = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
                session.execute(text(f"SELECT {lock}(:key)"), {"key": CLOCK_LOCK})
                floor = session.scalar(text("SELECT value FROM meta WHERE key = :key"),
                                       {"key": CLOCK_FLOOR})
                if floor:
                    for observe in self.clock_observers:
                        observe(str(floor))
                yield session
        except sa_exc.DBAPIError as exc:
            raise translate_shared_error(exc, self.label) from exc

    def begin_write(self, session: Session) -> None:
        """Nothing to take first: PostgreSQL locks the rows as they are written (a file's
        :meth:`Database.begin_write` takes its one write lock)."""

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only."""
        try:
            with self.sessions() as session:
                yield session
        except sa_exc.DBAPIError as exc:
            raise translate_shared_error(exc, self.label) from exc

    def close(self) -> None:
        """Close every connection."""
        self.engine.dispose()

    def watch(self) -> ChangeWatcher:
        """A listener for other users' changes (:class:`ChangeWatcher`)."""
        return ChangeWatcher(self.engine)


class ChangeWatcher:
    """Tells which tables other users changed, without waiting: every synced table announces
    its changes on :data:`CHANGES_CHANNEL` when they are committed (a trigger), and this
    listens on a connection of its own. A lost connection is opened again on the next call.
    """

    def __init__(self, engine: Engine) -> None:
        self._url = engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False)
        self._connection: Any = None

    def _connect(self) -> Any:
        import psycopg

        connection = psycopg.connect(self._url, autocommit=True,
                                     application_name="kankei-desktop-watch")
        connection.execute(f"LISTEN {CHANGES_CHANNEL}")
        return connection

    def changed_tables(self) -> set[str]:
        """The tables changed by anyone since the last call (empty when nothing did)."""
        import psycopg

        try:
            if self._connection is None or self._connection.closed:
                self._connection = self._connect()
                return set()
            return {note.payload for note in self._connection.notifies(timeout=0)}
        except psycopg.Error:
            self.close()
            return set()

    def close(self) -> None:
        """Stop listening."""
        if self._connection is not None:
            with suppress(Exception):
                self._connection.close()
            self._connection = None


@contextmanager
def claim_clock(database: SharedDatabase, stamp: Callable[[], str]) -> Iterator[Session]:
    """A reading session whose snapshot holds every change stamped up to the claimed stamp.

    Waits for the write transactions in flight (the lock held exclusively), raises the floor
    to ``stamp()`` so later writers stamp above it, takes the snapshot, then lets writers in.
    Yields ``(session)``; the claimed stamp is ``session.info['claimed']``.
    """
    connection = database.engine.connect()
    try:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": CLOCK_LOCK})
        try:
            claimed = stamp()
            connection.execute(text(
                "INSERT INTO meta (key, value) VALUES (:key, :value) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                "WHERE meta.value < excluded.value"), {"key": CLOCK_FLOOR, "value": claimed})
            connection.commit()
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            connection.execute(text("SELECT 1"))  # the snapshot
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": CLOCK_LOCK})
        with Session(bind=connection) as session:
            session.info["claimed"] = claimed
            yield session
        connection.rollback()
    except sa_exc.DBAPIError as exc:
        raise translate_shared_error(exc, database.label) from exc
    finally:
        connection.close()


def translate_shared_error(exc: BaseException, label: str) -> KankeiError:
    """A sentence for a failure of the shared database while it is in use."""
    detail = str(getattr(exc, "orig", exc))
    lowered = detail.lower()
    if "row-level security" in lowered or "permission denied" in lowered:
        return KankeiError(_(
            "The shared database {name} did not allow this change: it is outside the "
            "municipalities your login may see or change. Ask the administrator if you need "
            "them; nothing was saved.").format(name=label))
    if "lock timeout" in lowered or "deadlock" in lowered or "could not serialize" in lowered:
        return KankeiError(_(
            "The shared database {name} is busy with another user's change (for example a "
            "bundle import). Try again in a moment; nothing was saved half.").format(name=label))
    if "duplicate key" in lowered or "unique constraint" in lowered:
        return KankeiError(_(
            "Someone else saved the same record in the shared database {name} at the same "
            "moment. Reload and try again; nothing was saved half.").format(name=label))
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        return KankeiError(_(
            "The connection to the shared database {name} was lost ({detail}). Check the "
            "network and try again; what was saved before is safe on the server.").format(
            name=label, detail=detail.strip().splitlines()[0][:200] if detail.strip() else ""))
    return KankeiError(_(
        "The shared database {name} refused the change ({detail}); nothing was saved.").format(
        name=label, detail=detail.strip().splitlines()[0][:300] if detail.strip() else ""))


def connection_error(exc: BaseException, address: SharedAddress) -> SharedDatabaseError:
    """The sentence for a database that cannot be connected to."""
    detail = str(getattr(exc, "orig", exc)).strip()
    lowered = detail.lower()
    if "password" in lowered and ("authentication failed" in lowered
                                  or "no password supplied" in lowered):
        return SharedPasswordError(_(
            "The shared database {name} did not accept the password of {user}. Enter the "
            "password again, or ask the administrator.").format(name=address.label,
                                                                 user=address.user))
    if "does not exist" in lowered and "database" in lowered:
        return SharedDatabaseError(_(
            "There is no database {database} on the server {host}. Check the name, or ask the "
            "administrator to create it ('kankei server init').").format(
            database=address.database, host=address.host))
    if "role" in lowered and "does not exist" in lowered:
        return SharedDatabaseError(_(
            "The server {host} has no user {user}. Check the user name, or ask the administrator "
            "to add you ('kankei server add-user').").format(host=address.host,
                                                             user=address.user))
    first = detail.splitlines()[0][:200] if detail else type(exc).__name__
    return SharedDatabaseError(_(
        "Kankei Desktop could not connect to the shared database {name} ({detail}). Check the "
        "server name, that the server is running and that this PC may reach it.").format(
        name=address.label, detail=first))


def open_shared(url: str, *, password: str | None = None) -> SharedDatabase:
    """Connect to the shared database at ``url`` and check it holds this version's schema.

    Creating and upgrading the schema is the administrator's ``kankei server init``: a user's
    copy never changes the schema other users work in. Without a ``password`` the one kept
    in the system's keyring is used, else libpq's own (``PGPASSWORD``, ``.pgpass``).
    """
    address = address_of(url)
    if password is None and make_url(url.strip()).password is None:
        from kankei_desktop.core.storage.passwords import stored_password

        password = stored_password(address)
    engine = make_shared_engine(url, password)
    try:
        with engine.connect() as connection:
            tables = set(connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
            if "alembic_version" not in tables or "meta" not in tables:
                raise SharedDatabaseError(_(
                    "The database {name} is not set up for Kankei Desktop yet. The administrator "
                    "creates it with 'kankei server init {url}'.").format(
                    name=address.label, url=address.url()))
            revision = migration.current_revision(connection)
        if revision is not None and not migration.is_known_revision(revision):
            raise NewerDatabaseError(_(
                "The shared database {name} was set up by a newer version of Kankei Desktop. "
                "Update the application to use it; nothing was changed.").format(
                name=address.label))
        if revision != migration.head_revision():
            raise SharedDatabaseError(_(
                "The shared database {name} needs upgrading to this version of Kankei Desktop. "
                "The administrator upgrades it with 'kankei server init {url}'; nothing was "
                "changed.").format(name=address.label, url=address.url()))
        sessions = sessionmaker(engine, expire_on_commit=False)
        replica_id = _replica_id(sessions)
    except sa_exc.DBAPIError as exc:
        engine.dispose()
        raise connection_error(exc, address) from exc
    except BaseException:
        engine.dispose()
        raise
    return SharedDatabase(path=Path(address.label), engine=engine, sessions=sessions,
                          replica_id=replica_id, url=url, address=address)


def _replica_id(sessions: sessionmaker[Session]) -> uuid.UUID:
    """The shared database's replica id (set by ``kankei server init``)."""
    with sessions() as session:
        row = session.get(Meta, "replica_id")
        if row is None:
            raise SharedDatabaseError(_(
                "The shared database has no replica id; the administrator runs 'kankei server "
                "init' again to finish setting it up."))
        return uuid.UUID(row.value)
