"""The tag filter of the hand-written figure queries as SQL text, without SQLAlchemy (the rule
is stated in :mod:`.tagged`): bound parameters ``:tag``, ``:tag_sessions``, ``:tag_people``."""

from __future__ import annotations

#: The bound values of :func:`session_sql` and :func:`person_sql` when no tag is chosen.
NO_TAG: dict[str, object] = {"tag": None, "tag_sessions": 0, "tag_people": 0}

#: Live links of the chosen live tag (hand-written SQL).
TAGGED = ("(SELECT l.target_id FROM tag_link l CROSS JOIN tag t ON t.id = l.tag_id "
          "WHERE l.tag_id = :tag AND l.deleted_at IS NULL AND t.deleted_at IS NULL)")


def session_sql(meeting_id: str, club_id: str) -> str:
    """The session ``meeting_id`` of club ``club_id`` is inside the tag filter."""
    return f"(:tag_sessions = 0 OR {meeting_id} IN {TAGGED} OR {club_id} IN {TAGGED})"


#: The session ``m`` of club ``c`` is inside the tag filter.
SESSION_SQL = session_sql("m.id", "c.id")


def person_sql(column: str) -> str:
    """The person ``column`` is inside the tag filter."""
    return (f"(:tag_people = 0 OR {column} IN {TAGGED} OR {column} IN "
            f"(SELECT id FROM person WHERE organization_id IN {TAGGED}))")
