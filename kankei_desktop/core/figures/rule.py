"""What is counted: the one definition behind every figure, drill-down, report, export and
kept table.

- A **session counts** (開催回数) when it was held, is not deleted and belongs to a club that is
  not deleted; it counts as online (うちオンライン) when its format is online or hybrid.
- An **attendance row counts** (延べ人数) when it is 出席 (attended), is not deleted, its person
  is not deleted and its session counts. 実人数 is the number of distinct people among those rows.
- An attendance row is **recorded** (the 参加率 denominator) when it is 出席, 欠席 or 連絡あり欠席,
  is not deleted, its person is not deleted and its session counts: 参加率 = counted rows ÷
  recorded rows.
- An **organisation takes part** (参加団体数) when it is not deleted and is the organisation of
  a person with a counted row; people without an organisation are not counted.

Every consumer derives from the expressions below: the drill-down, the reports and the Excel
export use them as SQLAlchemy expressions; the figure queries and the triggers that keep the
figure tables embed SQL text compiled from them (:func:`sql`). ``grep`` for ``'attended'``
finds this module and the vocabulary only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ClauseElement, ColumnElement, and_, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.visitors import InternalTraversal

from kankei_desktop.core.models import Attendance, Club, Meeting, Organization, Person
from kankei_desktop.core.vocabulary import ONLINE_FORMATS, AttendanceStatus, MeetingStatus

#: The session status that counts.
HELD = MeetingStatus.HELD.value
#: The attendance status that counts.
ATTENDED = AttendanceStatus.ATTENDED.value
#: Formats that count as online.
ONLINE = tuple(value.value for value in ONLINE_FORMATS)
#: Attendance statuses that record whether someone expected came (the 参加率 denominator).
RECORDED = tuple(value.value for value in AttendanceStatus)


def club_counts(club: Any = Club) -> ColumnElement[bool]:
    """The club's sessions can count (the club is not deleted)."""
    condition: ColumnElement[bool] = club.deleted_at.is_(None)
    return condition


def meeting_held(meeting: Any = Meeting) -> ColumnElement[bool]:
    """The session was held and is not deleted (its club is checked by
    :func:`club_counts`)."""
    condition: ColumnElement[bool] = and_(meeting.status == HELD,
                                          meeting.deleted_at.is_(None))
    return condition


def meeting_counts(meeting: Any = Meeting, club: Any = Club) -> ColumnElement[bool]:
    """The session ``meeting`` of club ``club`` counts (held, live, of a live club)."""
    condition: ColumnElement[bool] = and_(meeting_held(meeting), club_counts(club))
    return condition


def row_counts(attendance: Any = Attendance) -> ColumnElement[bool]:
    """The attendance row is attended and not deleted (its person and session are checked by
    :func:`person_counts` and :func:`meeting_counts`)."""
    condition: ColumnElement[bool] = and_(attendance.status == ATTENDED,
                                          attendance.deleted_at.is_(None))
    return condition


def row_recorded(attendance: Any = Attendance) -> ColumnElement[bool]:
    """The attendance row records attended, absent or excused and is not deleted (its person
    and session are checked as for :func:`row_counts`): the 参加率 denominator."""
    condition: ColumnElement[bool] = and_(attendance.status.in_(RECORDED),
                                          attendance.deleted_at.is_(None))
    return condition


def organization_counts(organization: Any = Organization) -> ColumnElement[bool]:
    """The organisation (a joined row) is not deleted: it can count as taking part."""
    condition: ColumnElement[bool] = organization.deleted_at.is_(None)
    return condition


def person_row_counts(person: Any = Person) -> ColumnElement[bool]:
    """The person (a joined row) is not deleted."""
    condition: ColumnElement[bool] = person.deleted_at.is_(None)
    return condition


class _LivePerson(ColumnElement[bool]):
    """``person_id`` is not among the deleted people (see :func:`person_counts`)."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [("person_id", InternalTraversal.dp_clauseelement)]  # noqa: RUF012

    def __init__(self, person_id: ColumnElement[Any]) -> None:
        self.person_id = person_id


@compiles(_LivePerson)
def _live_person(element: _LivePerson, compiler: Any, **kw: Any) -> str:
    deleted = select(Person.id).where(Person.deleted_at.is_not(None))
    return str(compiler.process(element.person_id.not_in(deleted), **kw))


@compiles(_LivePerson, "sqlite")
def _live_person_sqlite(element: _LivePerson, compiler: Any, **kw: Any) -> str:
    # The partial index names the few deleted people; without being told, SQLite's planner
    # scans every person for them (its statistics skip small indexes).
    return (f"{compiler.process(element.person_id, **kw)} NOT IN (SELECT id FROM person "
            "INDEXED BY ix_person_deleted WHERE deleted_at IS NOT NULL)")


def person_counts(person_id: Any) -> ColumnElement[bool]:
    """The person ``person_id`` is not deleted — checked against the few deleted people
    rather than by looking up every row's person."""
    return _LivePerson(person_id)


def is_online(meeting: Any = Meeting) -> ColumnElement[bool]:
    """The session counts as online."""
    condition: ColumnElement[bool] = meeting.format.in_(ONLINE)
    return condition


def attendance_counts(attendance_status: str, meeting_status: str) -> bool:
    """The same rule for one row already in memory (of live records)."""
    return attendance_status == ATTENDED and meeting_status == HELD


def sql(condition: ClauseElement) -> str:
    """``condition`` (or a statement) as SQLite text with its values written in, for
    hand-written queries and trigger bodies; build it over :func:`alias` tables to name them
    as the text does."""
    return str(condition.compile(dialect=sqlite.dialect(),
                                 compile_kwargs={"literal_binds": True}))


def alias(model: Any, name: str) -> Any:
    """``model`` under the table name ``name`` (``m``, ``new``, …) for :func:`sql`."""
    return aliased(model, name=name)


#: The usual aliases of the hand-written figure queries: ``m`` meeting, ``c`` club,
#: ``a`` attendance, ``p`` person, ``o`` organisation.
M = alias(Meeting, "m")
C = alias(Club, "c")
A = alias(Attendance, "a")
P = alias(Person, "p")
O = alias(Organization, "o")  # noqa: E741 - the table alias the SQL uses

#: ``m`` of club ``c`` counts.
MEETING_COUNTS = sql(meeting_counts(M, C))
#: ``m`` was held and is live (its club aside).
MEETING_HELD = sql(meeting_held(M))
#: ``c`` is live.
CLUB_COUNTS = sql(club_counts(C))
#: ``a`` is attended and live.
ROW_COUNTS = sql(row_counts(A))
#: ``a`` records attended, absent or excused and is live.
ROW_RECORDED = sql(row_recorded(A))
#: ``o`` is live.
ORGANIZATION_COUNTS = sql(organization_counts(O))
#: ``a``'s person is live (looked up among the deleted ones).
PERSON_COUNTS = sql(person_counts(A.person_id))
#: ``p`` is live.
PERSON_ROW_COUNTS = sql(person_row_counts(P))
#: ``a`` on ``m`` of ``c`` counts, but for its person's liveness (applied when read).
ROW_ON_COUNTED_MEETING = f"{ROW_COUNTS} AND {MEETING_COUNTS}"
#: ``a`` on ``m`` counts, but for its club's and person's liveness (``first_attendance``).
ROW_ON_HELD_MEETING = f"{ROW_COUNTS} AND {MEETING_HELD}"
#: ``a`` on ``m`` of ``c`` is recorded, but for its person's liveness (applied when read).
RECORDED_ON_COUNTED_MEETING = f"{ROW_RECORDED} AND {MEETING_COUNTS}"
#: ``m`` counts as online.
M_IS_ONLINE = sql(is_online(M))


#: The fragments above by name: what ``rule_sql`` (generated by ``tools/rule_sql.py``) holds
#: as plain text for the queries that run without SQLAlchemy.
FRAGMENTS = ("MEETING_COUNTS", "MEETING_HELD", "CLUB_COUNTS", "ROW_COUNTS", "ROW_RECORDED",
             "ORGANIZATION_COUNTS", "PERSON_COUNTS", "PERSON_ROW_COUNTS",
             "ROW_ON_COUNTED_MEETING", "ROW_ON_HELD_MEETING", "RECORDED_ON_COUNTED_MEETING",
             "M_IS_ONLINE")


def compiled_fragments() -> dict[str, str]:
    """The rule's SQL fragments (:data:`FRAGMENTS`) by name."""
    values = globals()
    return {name: str(values[name]) for name in FRAGMENTS}
