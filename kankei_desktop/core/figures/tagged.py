"""The tag filter of the figures (issue 17): which sessions and people a tag selects.

A tag selects what it is put on:

- on clubs or sessions: only sessions that carry the tag, or whose club does, count;
- on people or organisations: only the attendance of people who carry the tag, or whose
  organisation does, counts (and only they count as 実人数 and 新規);
- on both kinds: both restrictions apply; on nothing live: nothing counts.

Deleted tags and deleted links select nothing. The same rule serves the hand-written figure
queries (:data:`SESSION_SQL`, :func:`person_sql`, bound parameters ``:tag``,
``:tag_sessions``, ``:tag_people``) and the SQLAlchemy queries of the drill-down
(:func:`session_conditions`, :func:`person_conditions`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from kankei_desktop.core.models import Person, Tag, TagLink

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
        return {"tag": None, "tag_sessions": 0, "tag_people": 0}
    scope = tag_scope(session, tag_id)
    return {"tag": tag_id.hex, "tag_sessions": int(scope.sessions),
            "tag_people": int(scope.people)}


#: Live links of the chosen live tag (hand-written SQL).
_TAGGED = ("(SELECT l.target_id FROM tag_link l CROSS JOIN tag t ON t.id = l.tag_id "
           "WHERE l.tag_id = :tag AND l.deleted_at IS NULL AND t.deleted_at IS NULL)")

def session_sql(meeting_id: str, club_id: str) -> str:
    """The session ``meeting_id`` of club ``club_id`` is inside the tag filter."""
    return f"(:tag_sessions = 0 OR {meeting_id} IN {_TAGGED} OR {club_id} IN {_TAGGED})"


#: The session ``m`` of club ``c`` is inside the tag filter.
SESSION_SQL = session_sql("m.id", "c.id")


def person_sql(column: str) -> str:
    """The person ``column`` is inside the tag filter."""
    return (f"(:tag_people = 0 OR {column} IN {_TAGGED} OR {column} IN "
            f"(SELECT id FROM person WHERE organization_id IN {_TAGGED}))")


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

