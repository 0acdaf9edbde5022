"""Planning a ふるさと住民登録 list (issue 20): people matched exactly as the attendance import
matches them (:class:`~kankei_desktop.imports.plan.Planner`), municipalities from the master
list, one registration per person and municipality (its natural id).

The list is the registering municipality's record: a registration already in the file takes
the list's tier, dates and status (a renewal, a move to premium, a withdrawal); one that is
already the same changes nothing, so importing the same list again changes nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.furusato.settings import load_settings
from kankei_desktop.core.models import Registration
from kankei_desktop.core.services.context import ServiceContext
from kankei_desktop.core.services.registrations import add_months
from kankei_desktop.core.writes.natural_ids import registration_uuid
from kankei_desktop.imports.plan import Plan, Planner
from kankei_desktop.imports.rows import ParsedRow

_FIELDS = ("tier", "registered_on", "renewal_due", "status")


def plan_registrations(session: Session, context: ServiceContext, rows: list[ParsedRow],
                       today: date) -> Plan:
    """Match or plan the people, municipalities and registrations of a registration list."""
    planner = Planner(session, context, today)
    months = load_settings(session).renewal_months
    existing = {row.id: row for row in session.scalars(select(Registration))}
    for row in rows:
        assert row.municipality is not None  # validated
        assert row.registered_on is not None
        person_id = planner.person(row)
        municipality_id = planner.municipality(row.municipality)
        row_id = registration_uuid(person_id, municipality_id)
        values = {"tier": row.tier, "registered_on": row.registered_on,
                  "renewal_due": row.renewal_due or add_months(row.registered_on, months),
                  "status": row.registration_status}
        current = existing.get(row_id)
        if current is None:
            planner.plan.registrations.append(context.writes.new_values(
                "registration", id=row_id, person_id=person_id,
                municipality_id=municipality_id, notes=row.notes, **values))
        elif current.deleted_at is not None or any(
                getattr(current, name) != values[name] for name in _FIELDS):
            planner.plan.updates.append((Registration, row_id, values))
    return planner.finish()
