"""Which registrations hold in a period (the rule is in the package docstring)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from kankei_desktop.core.models import Registration
from kankei_desktop.core.vocabulary import RegistrationStatus, RegistrationTier

ACTIVE = RegistrationStatus.ACTIVE.value
PREMIUM = RegistrationTier.PREMIUM.value


def holds(date_from: date, date_to: date, registration: Any = Registration
          ) -> ColumnElement[bool]:
    """The registration is live, active and in force at some time in the period."""
    condition: ColumnElement[bool] = and_(
        registration.deleted_at.is_(None), registration.status == ACTIVE,
        registration.registered_on <= date_to,
        or_(registration.renewal_due.is_(None), registration.renewal_due >= date_from))
    return condition


def holds_row(row: Registration, date_from: date, date_to: date) -> bool:
    """:func:`holds` for a row in memory."""
    return (row.deleted_at is None and row.status == ACTIVE and row.registered_on <= date_to
            and (row.renewal_due is None or row.renewal_due >= date_from))
