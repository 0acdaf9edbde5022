"""``kankei check``: is the file sound? Read-only: nothing is written."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kankei_desktop.core.errors import KankeiError, NotADatabaseError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage import revisions
from kankei_desktop.core.storage.database import SQLITE_HEADER
from kankei_desktop.core.storage.failures import Cause, cause_of, translate_database_error


@dataclass
class CheckReport:
    """What :func:`check_file` found; ``problems`` empty means the file is sound."""

    path: Path
    revision: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


def check_file(path: Path) -> CheckReport:
    """Run SQLite's integrity and foreign-key checks and compare the schema version."""
    report = CheckReport(path=path)
    if not path.is_file():
        raise NotADatabaseError(
            _("There is no database file at {path}. Check the path, or create one with "
              "'kankei init'.").format(path=path)
        )
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise NotADatabaseError(
                _("{path} is not a Kankei Desktop database (it is not an SQLite file). "
                  "Choose the .sqlite3 file the application created.").format(path=path)
            )
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not os.access(path.parent, os.W_OK):
        # A read-only disk (or folder): SQLite cannot make the -shm file a WAL file needs to
        # be read, and nobody can write the file there either, so it is read as it lies.
        uri += "&immutable=1"
        report.notes.append(_("The file is on a read-only disk or folder; it was checked as "
                              "it lies."))
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise unreadable(path, exc) from exc
    try:
        _run_checks(connection, report)
    except sqlite3.DatabaseError as exc:
        cause = cause_of(exc)
        if cause is not Cause.DAMAGED:
            raise unreadable(path, exc) from exc
        report.problems.append(
            _("SQLite cannot read the file ({detail}). Restore it from a backup.").format(
                detail=exc
            )
        )
    finally:
        connection.close()
    return report


def unreadable(path: Path, exc: BaseException) -> KankeiError:
    """The sentence for a file that could not be checked for another reason than damage."""
    cause = cause_of(exc)
    if cause is Cause.BUSY:
        return translate_database_error(exc, path)
    return KankeiError(_("The file {path} could not be read to check it ({detail}): the disk, "
                         "USB stick or network drive may be unavailable. Check it and try "
                         "again.").format(path=path, detail=exc))


def _run_checks(connection: sqlite3.Connection, report: CheckReport) -> None:
    results = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if results != ["ok"]:
        report.problems.append(
            _("The integrity check found damage: {detail}. Restore the file from a "
              "backup.").format(detail="; ".join(results[:5]))
        )
    violations = connection.execute("PRAGMA foreign_key_check").fetchall()
    if violations:
        broken_tables = sorted({row[0] for row in violations})
        report.problems.append(
            _("{count} rows refer to records that do not exist (tables: {tables}).").format(
                count=len(violations), tables=", ".join(broken_tables)
            )
        )
    tables = {row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        report.problems.append(
            _("The file has no schema version: it is not a Kankei Desktop database.")
        )
        return
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    report.revision = row[0] if row else None
    head = revisions.head_revision()
    if report.revision == head:
        report.notes.append(_("Schema version {revision} (current).").format(
            revision=report.revision))
    elif report.revision is not None and not revisions.is_known_revision(report.revision):
        report.problems.append(
            _("The file was written by a newer version of Kankei Desktop (schema {revision}). "
              "Update the application.").format(revision=report.revision)
        )
    else:
        report.notes.append(
            _("Schema version {revision} is older; it will be upgraded (after a backup) the "
              "next time the file is opened.").format(revision=report.revision)
        )
