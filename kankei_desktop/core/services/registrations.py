"""ふるさと住民登録: registrations of people with municipalities (issue 20).

A registration's id derives from person × municipality, so the same registration typed on
two PCs is one row after a sync, and registering again after a withdrawal brings the row back.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.furusato.scope import ward_codes
from kankei_desktop.core.furusato.settings import load_settings
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import normalize_multiline
from kankei_desktop.core.models import Organization, Person, Registration
from kankei_desktop.core.services.context import live
from kankei_desktop.core.services.records import RecordService
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import (
    OrganizationKind,
    RegistrationStatus,
    RegistrationTier,
)
from kankei_desktop.core.writes.natural_ids import registration_uuid


@dataclass
class RegistrationDraft:
    """The editable fields of a registration (``renewal_due`` None: the setting's default,
    a year after ``registered_on``)."""

    person_id: uuid.UUID | None
    municipality_id: uuid.UUID | None
    registered_on: date | None
    tier: str = RegistrationTier.BASIC.value
    renewal_due: date | None = None
    status: str = RegistrationStatus.ACTIVE.value
    notes: str = ""

    @classmethod
    def of(cls, row: Registration) -> RegistrationDraft:
        """A draft holding ``row``'s current values (for editing)."""
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def lives_in(session: Session, person_id: uuid.UUID, municipality_id: uuid.UUID) -> bool:
    """The person's recorded residence is the municipality (or one of its wards)."""
    person = session.get(Person, person_id)
    municipality = session.get(Organization, municipality_id)
    if person is None or person.residence_id is None or municipality is None:
        return False
    if person.residence_id == municipality_id:
        return True
    residence = session.get(Organization, person.residence_id)
    if residence is None or not residence.lgcode or not municipality.lgcode:
        return False
    return residence.lgcode == municipality.lgcode or \
        residence.lgcode in ward_codes(municipality.lgcode)


class RegistrationService(RecordService[Registration, RegistrationDraft]):
    """Record, change, withdraw and list registrations."""

    model = Registration

    def _new_row(self, session: Session, draft: RegistrationDraft) -> Registration:
        values = self._clean(session, draft, None)
        person_id, municipality_id = values["person_id"], values["municipality_id"]
        assert isinstance(person_id, uuid.UUID)
        assert isinstance(municipality_id, uuid.UUID)
        row_id = registration_uuid(person_id, municipality_id)
        existing = session.get(Registration, row_id)
        if existing is not None and existing.deleted_at is None:
            raise ValidationError([("municipality_id", _(
                "This person is already registered with this municipality. Change that "
                "registration instead (renewal, premium, withdrawal).")) ])
        return self._writes.put(session, Registration, row_id, values)

    def find(self, *, municipality_ids: set[uuid.UUID] | None = None,
             person_id: uuid.UUID | None = None, status: str | None = None,
             limit: int | None = None, offset: int = 0) -> list[Registration]:
        """Live registrations, newest first."""
        return self._page(_filtered(municipality_ids, person_id, status),
                          (Registration.registered_on.desc(), Registration.id), limit, offset)

    def count(self, *, municipality_ids: set[uuid.UUID] | None = None,
              person_id: uuid.UUID | None = None, status: str | None = None) -> int:
        """How many registrations :meth:`find` would return."""
        return self._count(_filtered(municipality_ids, person_id, status))

    def default_renewal(self, registered_on: date) -> date:
        """When a registration made on ``registered_on`` is due for renewal (the setting)."""
        with self._ctx.reading() as session:
            return add_months(registered_on, load_settings(session).renewal_months)

    def _clean(self, session: Session, draft: RegistrationDraft, current_id: uuid.UUID | None
               ) -> dict[str, object]:
        check = Checker()
        check.required("person_id", draft.person_id, _("Person"))
        check.required("municipality_id", draft.municipality_id, _("Municipality"))
        check.required("registered_on", draft.registered_on, _("Registered on"))
        check.choice("tier", draft.tier, RegistrationTier, _("Registration tier"))
        check.choice("status", draft.status, RegistrationStatus, _("Status"))
        if draft.person_id is not None:
            person = session.get(Person, draft.person_id)
            if person is None or person.deleted_at is not None:
                check.add("person_id", _("The chosen person no longer exists."))
        if draft.municipality_id is not None:
            body = session.get(Organization, draft.municipality_id)
            if body is None or body.deleted_at is not None:
                check.add("municipality_id", _("The chosen municipality no longer exists."))
            elif body.kind != OrganizationKind.MUNICIPALITY.value:
                check.add("municipality_id", _(
                    "People register with a municipality (市区町村), not with {name}.").format(
                        name=body.name))
        if current_id is not None and draft.person_id is not None and \
                draft.municipality_id is not None:
            row = session.get(Registration, current_id)
            if row is not None and (row.person_id, row.municipality_id) != (
                    draft.person_id, draft.municipality_id):
                check.add("municipality_id", _(
                    "The person and the municipality of a registration cannot be changed; "
                    "withdraw it and record a new one."))
        renewal = draft.renewal_due
        if renewal is None and draft.registered_on is not None:
            renewal = add_months(draft.registered_on, load_settings(session).renewal_months)
        if draft.registered_on is not None and renewal is not None and \
                renewal <= draft.registered_on:
            check.add("renewal_due", _("The renewal date must be after the registration date."))
        if draft.tier == RegistrationTier.PREMIUM.value and draft.person_id is not None and \
                draft.municipality_id is not None and \
                draft.status == RegistrationStatus.ACTIVE.value and \
                lives_in(session, draft.person_id, draft.municipality_id):
            check.add("tier", _("Premium registration is not possible in the municipality the "
                                "person lives in. Record it as basic, or correct the "
                                "person's residence."))
        check.raise_if_any()
        return {
            "person_id": draft.person_id,
            "municipality_id": draft.municipality_id,
            "tier": draft.tier,
            "registered_on": draft.registered_on,
            "renewal_due": renewal,
            "status": draft.status,
            "notes": normalize_multiline(draft.notes),
        }


def _filtered(municipality_ids: set[uuid.UUID] | None, person_id: uuid.UUID | None,
              status: str | None) -> Select[Registration]:
    query = (select(Registration).join(Person, Person.id == Registration.person_id)
             .where(live(Registration), live(Person)))
    if municipality_ids is not None:
        query = query.where(Registration.municipality_id.in_(sorted(municipality_ids)))
    if person_id is not None:
        query = query.where(Registration.person_id == person_id)
    if status:
        query = query.where(Registration.status == status)
    return query
