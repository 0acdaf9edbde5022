"""The ふるさと住民 status of one municipality and period: who is registered, how many
designated activities each person attended, who may hold a premium registration and why not."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.furusato.counting import activities_per_person, designated_sessions
from kankei_desktop.core.furusato.eligibility import Eligibility, assess
from kankei_desktop.core.furusato.holding import PREMIUM, holds
from kankei_desktop.core.furusato.scope import MunicipalityScope, scope_for
from kankei_desktop.core.furusato.settings import FurusatoSettings
from kankei_desktop.core.japan.text import display_name
from kankei_desktop.core.models import Organization, Person, Registration

_CHUNK = 500


@dataclass(frozen=True)
class RegistrationView:
    """A registration as the page and the export show it."""

    id: uuid.UUID
    tier: str
    status: str
    registered_on: date
    renewal_due: date | None
    notes: str


@dataclass(frozen=True)
class PersonStatus:
    """One person's line of the status list."""

    person_id: uuid.UUID
    name: str
    reading: str
    sort_key: str
    residence: str
    """The residence municipality's name ("" when not recorded)."""
    lives_there: bool
    postal_code: str
    address: str
    activities: int
    registration: RegistrationView | None
    """The registration with this municipality that holds in the period, if any."""
    premium_elsewhere: tuple[str, ...]
    eligibility: Eligibility

    @property
    def tier(self) -> str | None:
        """``basic``/``premium`` of the holding registration, None without one."""
        return self.registration.tier if self.registration is not None else None

    @property
    def eligible_premium(self) -> bool:
        return self.eligibility.eligible

    @property
    def reasons(self) -> list[str]:
        """Why premium is not possible (sentences; empty when it is)."""
        return list(self.eligibility.sentences)

    def as_json(self) -> dict[str, Any]:
        return {"person_id": self.person_id.hex, "name": self.name,
                "activities": self.activities, "registration": self.tier,
                "eligible_premium": self.eligible_premium, "reasons": self.reasons}


@dataclass(frozen=True)
class StatusReport:
    """The status list of one municipality and period."""

    scope: MunicipalityScope
    period_start: date
    period_end: date
    settings: FurusatoSettings
    people: list[PersonStatus]
    sessions: int
    """Designated sessions held in the period (attended or not)."""

    def as_json(self) -> dict[str, Any]:
        """The ``kankei furusato status --json`` object."""
        return {"municipality": self.scope.code,
                "period_start": self.period_start.isoformat(),
                "period_end": self.period_end.isoformat(),
                "minimum_activities": self.settings.minimum_activities,
                "people": [person.as_json() for person in self.people]}

    def person(self, person_id: uuid.UUID) -> PersonStatus | None:
        """The line of one person, if listed."""
        return next((row for row in self.people if row.person_id == person_id), None)


def _chunks(ids: Iterable[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    items = sorted(ids)
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _registrations_here(session: Session, scope: MunicipalityScope, date_from: date,
                        date_to: date) -> dict[uuid.UUID, RegistrationView]:
    """The holding registration with the municipality per person (premium first when a city
    and one of its wards both hold one)."""
    found: dict[uuid.UUID, RegistrationView] = {}
    if not scope.organization_ids:
        return found
    rows = session.scalars(select(Registration).join(Person, Person.id == Registration.person_id)
                           .where(Registration.municipality_id.in_(
                               sorted(scope.organization_ids)),
                               holds(date_from, date_to), Person.deleted_at.is_(None)))
    for row in rows:
        view = RegistrationView(row.id, row.tier, row.status, row.registered_on,
                                row.renewal_due, row.notes)
        current = found.get(row.person_id)
        if current is None or (current.tier != PREMIUM and view.tier == PREMIUM):
            found[row.person_id] = view
    return found


def _premium_elsewhere(session: Session, scope: MunicipalityScope, people: set[uuid.UUID],
                       date_from: date, date_to: date) -> dict[uuid.UUID, list[str]]:
    """The other municipalities (names) each person holds a premium registration with."""
    found: dict[uuid.UUID, list[str]] = {}
    for chunk in _chunks(people):
        query = (select(Registration.person_id, Organization.name, Organization.lgcode)
                 .join(Organization, Organization.id == Registration.municipality_id)
                 .where(Registration.person_id.in_(chunk), Registration.tier == PREMIUM,
                        holds(date_from, date_to),
                        Registration.municipality_id.not_in(sorted(scope.organization_ids)))
                 .order_by(Organization.lgcode, Organization.name))
        for person_id, name, code in session.execute(query):
            if code not in scope.codes:
                found.setdefault(person_id, []).append(name)
    return found


def status_report(session: Session, code: str, date_from: date, date_to: date,
                  settings: FurusatoSettings) -> StatusReport:
    """Everyone who attended a designated activity of the municipality in the period or holds
    a registration with it, in 50音順."""
    scope = scope_for(session, code)
    counts = activities_per_person(session, scope.organization_ids, date_from, date_to)
    registered = _registrations_here(session, scope, date_from, date_to)
    ids = set(counts) | set(registered)
    elsewhere = _premium_elsewhere(session, scope, ids, date_from, date_to)
    people: list[PersonStatus] = []
    for chunk in _chunks(ids):
        query = (select(Person, Organization.name, Organization.lgcode)
                 .outerjoin(Organization, Organization.id == Person.residence_id)
                 .where(Person.id.in_(chunk), Person.deleted_at.is_(None)))
        for person, residence, residence_code in session.execute(query):
            lives_there = residence_code is not None and residence_code in scope.codes
            others = elsewhere.get(person.id, [])
            activities = counts.get(person.id, 0)
            people.append(PersonStatus(
                person_id=person.id, name=display_name(person.family_name, person.given_name),
                reading=display_name(person.family_reading, person.given_reading),
                sort_key=person.sort_key, residence=residence or "", lives_there=lives_there,
                postal_code=person.postal_code, address=person.address,
                activities=activities, registration=registered.get(person.id),
                premium_elsewhere=tuple(others),
                eligibility=assess(activities=activities,
                                   minimum=settings.minimum_activities,
                                   lives_there=lives_there, municipality=scope.name,
                                   premium_elsewhere=others,
                                   maximum=settings.maximum_premium)))
    people.sort(key=lambda row: (row.sort_key, row.person_id))
    sessions = len(designated_sessions(session, scope.organization_ids, date_from, date_to))
    return StatusReport(scope, date_from, date_to, settings, people, sessions)
