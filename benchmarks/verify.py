"""Does a generated file look like data written through the write gateway?

Re-derives, for a random sample, what the gateway would have stored (search and sort keys,
natural ids) and compares. Catches drift between the generator and the gateway, e.g. after a
change to a key rule in ``core.writes.keys``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from kankei_desktop.core.models import (
    Attendance,
    Club,
    KpiTarget,
    Meeting,
    Membership,
    Organization,
    Person,
    Synced,
)
from kankei_desktop.core.storage.database import Database
from kankei_desktop.core.writes.keys import key_columns, refresh_keys
from kankei_desktop.core.writes.natural_ids import attendance_uuid, kpi_uuid, membership_uuid

_KEYED: tuple[type[Any], ...] = (Person, Organization, Club, Meeting)
_NATURAL: tuple[tuple[type[Any], Callable[[Any], uuid.UUID]], ...] = (
    (Attendance, lambda row: attendance_uuid(row.meeting_id, row.person_id)),
    (Membership, lambda row: membership_uuid(row.club_id, row.person_id)),
    (KpiTarget, lambda row: kpi_uuid(row.club_id, row.fiscal_year)),
)


def check_dataset(database: Database, sample: int = 300) -> list[str]:
    """Problems found in a random sample of each table (empty: the file looks right)."""
    problems: list[str] = []
    with database.read() as session:

        def pick(model: type[Synced]) -> list[Any]:
            query = select(model).order_by(func.random()).limit(sample)
            rows = list(session.scalars(query))
            session.expunge_all()  # the checks below modify the rows; never write them back
            return rows

        for model in _KEYED:
            table = model.__tablename__
            columns = key_columns(table)
            for row in pick(model):
                stored = tuple(getattr(row, column) for column in columns)
                refresh_keys(table, row)
                derived = tuple(getattr(row, column) for column in columns)
                if derived != stored:
                    problems.append(f"{table} {row.id}: keys {stored!r} differ from the "
                                    f"gateway's {derived!r}")
        for model, natural in _NATURAL:
            for row in pick(model):
                if row.id != natural(row):
                    problems.append(f"{model.__tablename__} {row.id}: not the natural id")
    return problems[:20]
