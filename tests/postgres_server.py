"""A throwaway PostgreSQL server for the tests and the benchmarks (never a mock).

``initdb`` into a temporary folder and ``pg_ctl start`` listening on a Unix socket only, as
the ``postgres`` system user when running as root (CI runs as root; PostgreSQL refuses it).
Debian's ``postgresql`` package is installed with apt-get when ``initdb`` is missing and we
are root. Each test gets a database of its own, copied from a template that ``kankei server
init`` set up once.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ADMIN = "kankei_admin"
TEMPLATE = "kankei_template"


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda path: int(Path(path).parent.parent.name))
    return Path(versions[-1]).parent if versions else None


def ensure_installed() -> Path:
    """The folder of ``initdb`` and ``pg_ctl`` (installing Debian's package if root may)."""
    found = _bin_dir()
    if found is None and os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                        "postgresql"], check=True, env=env, stdout=subprocess.DEVNULL)
        found = _bin_dir()
    if found is None:
        raise RuntimeError("PostgreSQL (initdb, pg_ctl) is not installed; install Debian's "
                           "'postgresql' package")
    return found


class TemporaryPostgres:
    """One server in a temporary folder, on a Unix socket; :meth:`stop` removes it."""

    def __init__(self) -> None:
        self.bin = ensure_installed()
        self.base = Path(tempfile.mkdtemp(prefix="kankei-pg-"))
        self.data = self.base / "data"
        self.socket = self.base / "sock"
        self.socket.mkdir()
        self._as_postgres = os.name == "posix" and os.geteuid() == 0
        if self._as_postgres:
            for path in (self.base, self.socket):
                shutil.chown(path, "postgres")
        self._numbers = itertools.count(1)
        self._free: list[str] = []
        self.started = False

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, cwd=self.base)

    def start(self) -> TemporaryPostgres:
        """initdb and start (fsync off: a throwaway server)."""
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", ADMIN, "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-k {self.socket} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                   "-c shared_buffers=256MB")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.base / "server.log"), "-w", "-o", options, "start")
        self.started = True
        return self

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                          "stop")
            self.started = False
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str = "postgres", user: str = ADMIN) -> str:
        """The libpq URI of ``database`` as ``user`` over the socket."""
        return f"postgresql://{user}@/{database}?host={self.socket}"

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run statements as the administrator, outside a transaction."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)  # type: ignore[arg-type]

    def template(self) -> None:
        """Set up the template every test database is copied from."""
        from kankei_desktop.core.storage.pg_schema import init_server

        self.execute(f"CREATE DATABASE {TEMPLATE}")
        init_server(self.url(TEMPLATE))
        # copies get a replica id of their own when first opened (see new_database)
        self.execute("DELETE FROM meta WHERE key = 'replica_id'", database=TEMPLATE)

    def new_database(self, prefix: str = "t") -> str:
        """A fresh database set up for Kankei Desktop, with its own replica id; its URL."""
        import uuid

        name = f"{prefix}{next(self._numbers)}_{os.getpid()}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        self.execute(f"INSERT INTO meta (key, value) VALUES ('replica_id', '{uuid.uuid4()}')",
                     database=name)
        return self.url(name)

    def lend(self) -> str:
        """A database emptied for a test (see :meth:`give_back`), or a new one."""
        return self._free.pop() if self._free else self.new_database("pool")

    def give_back(self, url: str) -> None:
        """Empty a lent database for the next test (its own replica id kept); dropped instead
        when some connection still holds it."""
        import psycopg

        try:
            with psycopg.connect(url.replace(url.split("@")[0].split("//")[1], ADMIN, 1),
                                 autocommit=True) as connection:
                connection.execute("SET lock_timeout = 2000")
                tables = [row[0] for row in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "AND tablename NOT IN ('alembic_version', 'meta')")]
                with connection.transaction():
                    connection.execute("TRUNCATE " + ", ".join(tables))  # type: ignore[arg-type]
                    connection.execute("DELETE FROM meta WHERE key NOT IN "
                                       "('replica_id', 'login_group')")
        except psycopg.Error:
            self.drop_database(url)
            return
        self._free.append(url)

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`new_database` (its connections closed first)."""
        name = url.split("/")[3].split("?")[0]
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
