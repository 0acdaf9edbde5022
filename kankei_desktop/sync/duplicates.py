"""Possible duplicate people (same name and reading), and merging two by hand.

People have no safe natural key (namesakes exist), so nothing is merged automatically. A
merge is made of ordinary synced edits: the other person's attendance, memberships and
follow-ups move to the kept person, empty fields of the kept person are filled in, and the
other person is deleted (restorable), so the merge travels to colleagues like any edit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import NotFoundError, ValidationError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import (
    Attendance,
    Club,
    InteractionPerson,
    Membership,
    Person,
    Synced,
    natural_uuid,
)
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.context import ServiceContext
from kankei_desktop.core.services.people import person_name, person_reading

FILLABLE = ("organization_id", "job_title", "email", "phone", "consent_date", "family_reading",
            "given_reading")


@dataclass(frozen=True)
class DuplicateCandidate:
    """One person in a group of possible duplicates."""

    id: uuid.UUID
    name: str
    reading: str
    email: str
    attendance: int


def possible_duplicates(services: Services) -> list[list[DuplicateCandidate]]:
    """Groups of live people with the same name and reading (two or more each)."""
    keys = (Person.family_name, Person.given_name, Person.family_reading,
            Person.given_reading)
    with services.context.reading() as session:
        groups = session.execute(
            select(*keys).where(Person.deleted_at.is_(None)).group_by(*keys)
            .having(func.count(Person.id) > 1).order_by(*keys)).all()
        result: list[list[DuplicateCandidate]] = []
        for group in groups:
            rows = session.scalars(select(Person).where(
                Person.deleted_at.is_(None),
                *(key == value for key, value in zip(keys, group, strict=True)))
                .order_by(Person.created_at, Person.id))
            members = []
            for row in rows:
                count = session.scalar(select(func.count(Attendance.id)).where(
                    Attendance.person_id == row.id, Attendance.deleted_at.is_(None))) or 0
                members.append(DuplicateCandidate(row.id, person_name(row), person_reading(row),
                                                  row.email, int(count)))
            result.append(members)
        return result


def merge_people(services: Services, keep_id: uuid.UUID, other_id: uuid.UUID) -> None:
    """Merge ``other_id`` into ``keep_id`` (see the module docstring)."""
    if keep_id == other_id:
        raise ValidationError([("", _("Choose two different people to merge."))])
    context = services.context
    with context.transaction() as session:
        keep = session.get(Person, keep_id)
        other = session.get(Person, other_id)
        if keep is None or other is None or keep.is_deleted or other.is_deleted:
            raise NotFoundError(_("One of the two people no longer exists. Refresh the list."))
        changed = False
        for name in FILLABLE:
            if not getattr(keep, name) and getattr(other, name):
                setattr(keep, name, getattr(other, name))
                changed = True
        if other.notes and other.notes not in keep.notes:
            keep.notes = "\n".join(part for part in (keep.notes, other.notes) if part)
            changed = True
        if changed:
            context.stamp(keep)
        _move(session, context, Attendance, other_id, keep_id, "meeting_id", "attendance",
              ("status", "note"))
        _move(session, context, Membership, other_id, keep_id, "club_id", "membership",
              ("role", "joined_on", "left_on"))
        _move(session, context, InteractionPerson, other_id, keep_id, "interaction_id",
              "interaction_person", ())
        for club in session.scalars(select(Club).where(Club.coordinator_id == other_id)):
            club.coordinator_id = keep_id
            context.stamp(club)
        context.tombstone(other)


def _move(session: Session, context: ServiceContext, model: type[Synced],
          other_id: uuid.UUID, keep_id: uuid.UUID, parent: str, kind: str,
          fields: tuple[str, ...]) -> None:
    person = model.person_id  # type: ignore[attr-defined]
    for row in list(session.scalars(select(model).where(person == other_id,
                                                          model.deleted_at.is_(None)))):
        parent_id = getattr(row, parent)
        target_id = natural_uuid(kind, parent_id, keep_id)
        target = session.get(model, target_id)
        if target is None:
            values: dict[str, Any] = {"id": target_id, "person_id": keep_id, parent: parent_id}
            values.update({name: getattr(row, name) for name in fields})
            target = model(**values)
            context.stamp(target, new=True)
            session.add(target)
        elif target.is_deleted:
            for name in fields:
                setattr(target, name, getattr(row, name))
            context.revive(target)
        context.tombstone(row)
