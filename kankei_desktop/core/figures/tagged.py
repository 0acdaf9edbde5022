"""The tag filter of the figures (issue 17): which sessions and people a tag selects.

A tag selects what it is put on:

- on clubs or sessions: only sessions that carry the tag, or whose club does, count;
- on people or organisations: only the attendance of people who carry the tag, or whose
  organisation does, counts (and only they count as 実人数 and 新規);
- on both kinds: both restrictions apply; on nothing live: nothing counts.

Deleted tags and deleted links select nothing. The same rule serves the hand-written figure
queries (:data:`SESSION_SQL`, :func:`person_sql`, bound parameters ``:tag``,
``:tag_sessions``, ``:tag_people``; text in :mod:`.tagged_sql`) and the SQLAlchemy queries
of the drill-down (:func:`session_conditions`, :func:`person_conditions`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from kankei_desktop.core.figures.tagged_sql import NO_TAG, SESSION_SQL, person_sql, session_sql
from kankei_desktop.core.models import Person, Tag, TagLink

__all__ = ["CLUB", "MEETING", "NO_TAG", "ORGANIZATION", "PERSON", "SESSION_SQL", "TARGET_KINDS",
           "TagScope", "parameters", "person_conditions", "person_sql", "session_conditions",
           "session_sql", "tag_scope", "tagged_ids"]

#: ``target_kind`` values of :class:`~kankei_desktop.core.models.TagLink`.
PERSON = "person"
ORGANIZATION = "organization"
CLUB = "club"
MEETING = "meeting"
TARGET_KINDS = (PERSON, ORGANIZATION, CLUB, MEETING)
_SESSION_KINDS = (CLUB, MEETING)
_PEOPLE_KINDS = (PERSON, ORGANIZATION)


@dataclass(frozen=True)
class TagScope:
    """What a tag restricts: the sessions, the people, or both."""

    tag_id: uuid.UUID
    sessions: bool
    people: bool


def tagged_ids(tag_id: uuid.UUID) -> Select[uuid.UUID]:
    """The ids of the records carrying ``tag_id`` (live links of a live tag)."""
    return (select(TagLink.target_id)
            .join(Tag, Tag.id == TagLink.tag_id)
            .where(TagLink.tag_id == tag_id, TagLink.deleted_at.is_(None),
                   Tag.deleted_at.is_(None)))


def tag_scope(session: Session, tag_id: uuid.UUID) -> TagScope:
    """Which side of the figures ``tag_id`` restricts (see the module docstring)."""
    kinds = set(session.scalars(
        select(TagLink.target_kind).join(Tag, Tag.id == TagLink.tag_id)
        .where(TagLink.tag_id == tag_id, TagLink.deleted_at.is_(None),
               Tag.deleted_at.is_(None)).distinct()))
    people = bool(kinds & set(_PEOPLE_KINDS))
    sessions = bool(kinds & set(_SESSION_KINDS)) or not people
    return TagScope(tag_id, sessions, people)


def parameters(session: Session, tag_id: uuid.UUID | None) -> dict[str, object]:
    """The bound values :data:`SESSION_SQL` and :func:`person_sql` read."""
    if tag_id is None:
        return dict(NO_TAG)
    scope = tag_scope(session, tag_id)
    return {"tag": tag_id.hex, "tag_sessions": int(scope.sessions),
            "tag_people": int(scope.people)}


def session_conditions(scope: TagScope | None, meeting_id: Any, club_id: Any
                       ) -> list[ColumnElement[bool]]:
    """The session side of the filter over the given id columns (SQLAlchemy)."""
    if scope is None or not scope.sessions:
        return []
    tagged = tagged_ids(scope.tag_id)
    return [or_(meeting_id.in_(tagged), club_id.in_(tagged))]


def person_conditions(scope: TagScope | None, person_id: Any) -> list[ColumnElement[bool]]:
    """The people side of the filter over the given person id column (SQLAlchemy)."""
    if scope is None or not scope.people:
        return []
    tagged = tagged_ids(scope.tag_id)
    return [or_(person_id.in_(tagged),
                person_id.in_(select(Person.id).where(Person.organization_id.in_(tagged))))]

