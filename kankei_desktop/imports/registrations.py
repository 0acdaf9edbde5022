"""Planning a ふるさと住民登録 list (issue 20): people matched exactly as the attendance import
matches them (:class:`~kankei_desktop.imports.plan.Planner`), municipalities from the master
list, one registration per person and municipality (its natural id).

The list is the registering municipality's record: a registration already in the file takes
the list's tier, dates and status (a renewal, a move to premium, a withdrawal); one that is
already the same changes nothing, so importing the same list again changes nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.furusato.settings import load_settings
from kankei_desktop.core.models import Registration
from kankei_desktop.core.services.context import ServiceContext
from kankei_desktop.core.services.registrations import add_months
from kankei_desktop.core.writes.natural_ids import registration_uuid
from kankei_desktop.imports.layout import JAPANESE_HEADERS, Field
from kankei_desktop.imports.plan import Planner
from kankei_desktop.imports.rows import ParsedRow

_FIELDS = ("tier", "registered_on", "renewal_due", "status")
_QUERY_IDS = 500


def plan_registration_chunk(session: Session, context: ServiceContext, planner: Planner,
                            rows: list[ParsedRow], *, renewal_months: int,
                            seen: set[uuid.UUID]) -> None:
    """Match or plan the people, municipalities and registrations of one chunk of a
    registration list (``seen``: the registrations planned by earlier chunks; a second row
    for the same one is left out, as the first row of a session wins in the attendance
    layout)."""
    planned: list[tuple[ParsedRow, uuid.UUID, uuid.UUID, uuid.UUID]] = []
    for row in rows:
        assert row.municipality is not None  # validated
        person_id = planner.person(row)
        municipality_id = planner.municipality(row.municipality)
        planned.append((row, person_id, municipality_id,
                        registration_uuid(person_id, municipality_id)))
    ids = [row_id for *_rest, row_id in planned]
    existing: dict[uuid.UUID, Registration] = {}
    for start in range(0, len(ids), _QUERY_IDS):
        existing.update((found.id, found) for found in session.scalars(
            select(Registration).where(Registration.id.in_(ids[start:start + _QUERY_IDS]))))
    for row, person_id, municipality_id, row_id in planned:
        if row_id in seen:
            continue
        seen.add(row_id)
        assert row.registered_on is not None  # validated
        values = {"tier": row.tier, "registered_on": row.registered_on,
                  "renewal_due": row.renewal_due or add_months(row.registered_on,
                                                               renewal_months),
                  "status": row.registration_status}
        current = existing.get(row_id)
        if current is None:
            planner.plan.registrations.append(context.writes.new_values(
                "registration", id=row_id, person_id=person_id,
                municipality_id=municipality_id, notes=row.notes, **values))
        elif current.deleted_at is not None or any(
                getattr(current, name) != values[name] for name in _FIELDS):
            planner.plan.updates.append((Registration, row_id, values))


def renewal_months(session: Session) -> int:
    """How many months after 登録日 a registration is due for renewal (a file setting)."""
    return load_settings(session).renewal_months


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
