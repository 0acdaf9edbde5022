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

from sqlalchemy import func, select, text, tuple_
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
)
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.context import ServiceContext
from kankei_desktop.core.services.people import person_name, person_reading
from kankei_desktop.core.writes.natural_ids import natural_id

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


@dataclass(frozen=True)
class DuplicateGroups:
    """The first groups of possible duplicates, and how many groups there are in all."""

    groups: list[list[DuplicateCandidate]]
    total: int


#: How many groups the 同期 page shows at once (a big file with common names has thousands).
SHOWN_GROUPS = 200

_GROUPS = text("""
    SELECT family_name, given_name, family_reading, given_reading, min(sort_key)
    FROM person WHERE deleted_at IS NULL
    GROUP BY family_name, given_name, family_reading, given_reading
    HAVING count(*) > 1""")

def possible_duplicates(services: Services, limit: int = SHOWN_GROUPS) -> DuplicateGroups:
    """Groups of live people with the same name and reading (two or more each), in 50音順;
    at most ``limit`` groups, with the number of all groups.

    Set-based (one grouping, one join): a file of 100,000 people with common names has
    thousands of groups, and a query per group and per person took minutes.
    """
    with services.context.reading() as session:
        groups = session.execute(_GROUPS).all()
        if not groups:
            return DuplicateGroups([], 0)
        ordered = sorted(groups, key=lambda g: (g[4], g[0], g[1], g[2], g[3]))[:limit]
        index = {tuple(group[:4]): number for number, group in enumerate(ordered)}
        members: list[list[tuple[Person, int]]] = [[] for _group in ordered]
        ids: dict[uuid.UUID, int] = {}
        for row in _members_of(session, ordered):
            person, count = row
            key = (person.family_name, person.given_name, person.family_reading,
                   person.given_reading)
            number = index.get(key)
            if number is not None and person.id not in ids:
                ids[person.id] = number
                members[number].append((person, count))
        result = [[DuplicateCandidate(row.id, person_name(row), person_reading(row), row.email,
                                      count)
                   for row, count in sorted(group, key=lambda m: (m[0].created_at, m[0].id.hex))]
                  for group in members if len(group) > 1]
        return DuplicateGroups(result, len(groups))


def _members_of(session: Session, groups: list[Any]) -> list[tuple[Person, int]]:
    """The live people of ``groups`` with their attendance counts (chunks of 100 groups)."""
    attendance = (select(func.count(Attendance.id))
                  .where(Attendance.person_id == Person.id, Attendance.deleted_at.is_(None))
                  .scalar_subquery())
    found: list[tuple[Person, int]] = []
    for start in range(0, len(groups), 100):
        chunk = groups[start:start + 100]
        names = {(group[0], group[1]) for group in chunk}
        rows = session.execute(select(Person, attendance).where(
            Person.deleted_at.is_(None),
            tuple_(Person.family_name, Person.given_name).in_(names)))
        found.extend((person, int(count or 0)) for person, count in rows)
    return found


def merge_people(services: Services, keep_id: uuid.UUID, other_id: uuid.UUID) -> None:
    """Merge ``other_id`` into ``keep_id`` (see the module docstring); one undoable
    action."""
    if keep_id == other_id:
        raise ValidationError([("", _("Choose two different people to merge."))])
    context = services.context
    names = services.people.names({keep_id})
    label = _("Merge of duplicates: {name}").format(name=names.get(keep_id, ""))
    with context.action(label), context.transaction() as session:
        keep = session.get(Person, keep_id)
        other = session.get(Person, other_id)
        if keep is None or other is None or keep.is_deleted or other.is_deleted:
            raise NotFoundError(_("One of the two people no longer exists. Refresh the list."))
        filled: dict[str, Any] = {name: getattr(other, name) for name in FILLABLE
                                  if not getattr(keep, name) and getattr(other, name)}
        if other.notes and other.notes not in keep.notes:
            filled["notes"] = "\n".join(part for part in (keep.notes, other.notes) if part)
        context.writes.change(keep, filled)  # re-keyed: an e-mail may have been filled in
        _move(session, context, Attendance, other_id, keep_id, "meeting_id", "attendance",
              ("status", "note"))
        _move(session, context, Membership, other_id, keep_id, "club_id", "membership",
              ("role", "joined_on", "left_on"))
        _move(session, context, InteractionPerson, other_id, keep_id, "interaction_id",
              "interaction_person", ())
        for club in session.scalars(select(Club).where(Club.coordinator_id == other_id)):
            context.writes.change(club, {"coordinator_id": keep_id})
        context.writes.tombstone(other)


def _move(session: Session, context: ServiceContext, model: type[Synced],
          other_id: uuid.UUID, keep_id: uuid.UUID, parent: str, kind: str,
          fields: tuple[str, ...]) -> None:
    person = model.person_id  # type: ignore[attr-defined]
    for row in list(session.scalars(select(model).where(person == other_id,
                                                          model.deleted_at.is_(None)))):
        parent_id = getattr(row, parent)
        target_id = natural_id(kind, parent_id, keep_id)
        target = session.get(model, target_id)
        if target is None or target.is_deleted:
            context.writes.put(session, model, target_id,
                               {name: getattr(row, name) for name in fields},
                               keep={"person_id": keep_id, parent: parent_id})
        context.writes.tombstone(row)
