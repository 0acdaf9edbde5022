"""Planning a ふるさと住民登録 list (issue 20): people matched exactly as the attendance import
matches them (:class:`~kankei_desktop.imports.plan.Planner`), municipalities from the master
list, one registration per person and municipality (its natural id).

The list is the registering municipality's record: a registration already in the file takes
the list's tier, dates and status (a renewal, a move to premium, a withdrawal); one that is
already the same changes nothing, so importing the same list again changes nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.furusato.settings import load_settings
from kankei_desktop.core.models import Registration
from kankei_desktop.core.services.context import ServiceContext
from kankei_desktop.core.services.registrations import add_months
from kankei_desktop.core.writes.natural_ids import registration_uuid
from kankei_desktop.imports.layout import JAPANESE_HEADERS, Field
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


#: The columns of an empty registration list (File ▸ Import… recognises it by 登録区分/登録日).
TEMPLATE_FIELDS = (Field.NAME, Field.READING, Field.EMAIL, Field.MUNICIPALITY, Field.TIER,
                   Field.REGISTERED_ON, Field.RENEWAL_DUE, Field.REGISTRATION_STATUS,
                   Field.RESIDENCE, Field.POSTAL_CODE, Field.ADDRESS, Field.NOTES)


def write_registration_template(path: Path) -> Path:
    """An empty .xlsx with the registration list's headers (bold, frozen, wide enough)."""
    from openpyxl import Workbook  # slow import, only when needed
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "ふるさと住民登録"
    sheet.append([JAPANESE_HEADERS[field] for field in TEMPLATE_FIELDS])
    for index, cell in enumerate(sheet[1]):
        cell.font = Font(bold=True)
        wide = TEMPLATE_FIELDS[index] in (Field.EMAIL, Field.ADDRESS, Field.NOTES)
        sheet.column_dimensions[cell.column_letter].width = 30 if wide else 14
    sheet.freeze_panes = "A2"
    workbook.save(path)
    return path
