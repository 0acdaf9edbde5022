"""Does a generated file look like data entered through the services?

Re-derives, for a random sample, what the services would have stored (search and sort keys,
natural ids) and compares. Catches drift between the generator and the services, e.g. after a
change to a ``_refresh_keys`` function.
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
from kankei_desktop.core.services import clubs, meetings, organizations, people
from kankei_desktop.core.storage.database import Database

_KEYED: tuple[tuple[type[Any], Callable[[Any], None]], ...] = (
    (Person, people._refresh_keys),
    (Organization, organizations._refresh_keys),
    (Club, clubs._refresh_keys),
)
_NATURAL: tuple[tuple[type[Any], Callable[[Any], uuid.UUID]], ...] = (
    (Attendance, lambda row: meetings.attendance_uuid(row.meeting_id, row.person_id)),
    (Membership, lambda row: clubs.membership_uuid(row.club_id, row.person_id)),
    (KpiTarget, lambda row: clubs.kpi_uuid(row.club_id, row.fiscal_year)),
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

        for model, refresh in _KEYED:
            for row in pick(model):
                stored = (row.search_key, row.sort_key)
                refresh(row)
                if (row.search_key, row.sort_key) != stored:
                    problems.append(f"{model.__tablename__} {row.id}: keys {stored!r} differ "
                                    f"from the service's {(row.search_key, row.sort_key)!r}")
        for row in pick(Meeting):
            if row.search_key != meetings._meeting_key(row):
                problems.append(f"meeting {row.id}: search key differs from the service's")
        for model, natural in _NATURAL:
            for row in pick(model):
                if row.id != natural(row):
                    problems.append(f"{model.__tablename__} {row.id}: not the natural id")
    return problems[:20]
