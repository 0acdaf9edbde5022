"""セッション: sessions and their attendance."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields, replace
from datetime import date, time
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, String, func, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session

from kankei_desktop.core.calendar.recurrence import SeriesPlan, SeriesSpec, plan_series
from kankei_desktop.core.figures.compute import FigureFilter, first_time_person_ids
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import (
    display_name,
    normalize_multiline,
    normalize_text,
    search_key,
)
from kankei_desktop.core.models import (
    Attendance,
    Club,
    Meeting,
    Membership,
    Person,
    natural_uuid,
)
from kankei_desktop.core.services import people as people_module
from kankei_desktop.core.services.context import (
    ServiceContext,
    apply_fields,
    escape_like,
    get_row,
    live,
)
from kankei_desktop.core.services.people import PersonDraft, PersonService
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import (
    AttendanceStatus,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
)


@dataclass
class MeetingDraft:
    """The editable fields of a session."""

    club_id: uuid.UUID | None
    title: str
    date: date | None
    kind: str = MeetingKind.SESSION.value
    start_time: time | None = None
    end_time: time | None = None
    format: str = MeetingFormat.ONLINE.value
    status: str = MeetingStatus.PLANNED.value
    tool: str = ""
    url: str = ""
    place: str = ""
    agenda: str = ""
    notes: str = ""
    series_id: uuid.UUID | None = None

    @classmethod
    def of(cls, row: Meeting) -> MeetingDraft:
        """A draft holding ``row``'s current values (for editing)."""
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


def attendance_uuid(meeting_id: uuid.UUID, person_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives the attendance of ``person_id`` at ``meeting_id``."""
    return natural_uuid("attendance", meeting_id, person_id)


class MeetingService:
    """Use cases for sessions and attendance."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    # -- sessions ------------------------------------------------------------------------

    def create(self, draft: MeetingDraft) -> Meeting:
        """Validate and save a new session."""
        with self._ctx.transaction() as session:
            row = Meeting(id=uuid.uuid4(), **self._clean(session, draft))
            row.search_key = _meeting_key(row)
            self._ctx.stamp(row, new=True)
            session.add(row)
            return row

    def update(self, meeting_id: uuid.UUID, draft: MeetingDraft) -> Meeting:
        """Validate and save changes; all or nothing."""
        with self._ctx.transaction() as session:
            row = get_row(session, Meeting, meeting_id)
            if apply_fields(row, self._clean(session, draft)):
                row.search_key = _meeting_key(row)
                self._ctx.stamp(row)
            return row

    def set_status(self, meeting_id: uuid.UUID, status: str) -> Meeting:
        """Mark a session planned, held or cancelled."""
        check = Checker()
        check.choice("status", status, MeetingStatus, _("Status"))
        check.raise_if_any()
        with self._ctx.transaction() as session:
            row = get_row(session, Meeting, meeting_id)
            if row.status != status:
                row.status = status
                self._ctx.stamp(row)
            return row

    def delete(self, meeting_id: uuid.UUID) -> None:
        """Tombstone the session (restorable)."""
        with self._ctx.transaction() as session:
            self._ctx.tombstone(get_row(session, Meeting, meeting_id))

    def restore(self, meeting_id: uuid.UUID) -> Meeting:
        """Undo a delete."""
        with self._ctx.transaction() as session:
            row = get_row(session, Meeting, meeting_id, include_deleted=True)
            self._ctx.revive(row)
            return row

    def get(self, meeting_id: uuid.UUID, *, include_deleted: bool = False) -> Meeting:
        """One session."""
        with self._ctx.reading() as session:
            return get_row(session, Meeting, meeting_id, include_deleted=include_deleted)

    def find(
        self,
        search: str = "",
        *,
        club_id: uuid.UUID | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        status: str | None = None,
        deleted: bool = False,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[Meeting]:
        """Sessions in date order (newest first on request)."""
        query = _filtered(search, club_id, date_from, date_to, status, deleted)
        if newest_first:
            query = query.order_by(Meeting.date.desc(), Meeting.start_time.desc(), Meeting.id)
        else:
            query = query.order_by(Meeting.date, Meeting.start_time, Meeting.id)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with self._ctx.reading() as session:
            return list(session.scalars(query))

    def count(
        self,
        search: str = "",
        *,
        club_id: uuid.UUID | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        status: str | None = None,
        deleted: bool = False,
    ) -> int:
        """How many sessions :meth:`find` would return without a limit."""
        query = _filtered(search, club_id, date_from, date_to, status, deleted)
        with self._ctx.reading() as session:
            return int(session.scalar(query.with_only_columns(func.count(Meeting.id))) or 0)

    # -- attendance ----------------------------------------------------------------------

    def set_attendance(
        self,
        meeting_id: uuid.UUID,
        person_id: uuid.UUID,
        status: str = AttendanceStatus.ATTENDED.value,
        note: str = "",
    ) -> Attendance:
        """Record a person's attendance; one row per session and person, never two."""
        check = Checker()
        check.choice("status", status, AttendanceStatus, _("Attendance"))
        check.limits("attendance", {"note": normalize_multiline(note)})
        check.raise_if_any()
        with self._ctx.transaction() as session:
            get_row(session, Meeting, meeting_id)
            get_row(session, Person, person_id)
            row_id = attendance_uuid(meeting_id, person_id)
            row = session.get(Attendance, row_id)
            values = {"status": status, "note": normalize_multiline(note)}
            if row is None:
                row = Attendance(id=row_id, meeting_id=meeting_id, person_id=person_id, **values)
                self._ctx.stamp(row, new=True)
                session.add(row)
                return row
            self._ctx.revive(row)
            if apply_fields(row, values):
                self._ctx.stamp(row)
            return row

    def remove_attendance(self, meeting_id: uuid.UUID, person_id: uuid.UUID) -> None:
        """Take a person off a session's attendance list."""
        with self._ctx.transaction() as session:
            row = session.get(Attendance, attendance_uuid(meeting_id, person_id))
            if row is not None:
                self._ctx.tombstone(row)

    def attendance(self, meeting_id: uuid.UUID) -> list[tuple[Attendance, Person]]:
        """A session's attendance rows with the people, in 50音順."""
        with self._ctx.reading() as session:
            rows = session.execute(
                select(Attendance, Person)
                .join(Person, Person.id == Attendance.person_id)
                .where(Attendance.meeting_id == meeting_id, live(Attendance), live(Person))
                .order_by(Person.sort_key)
            )
            return [(attendance, person) for attendance, person in rows]

    def history(self, person_id: uuid.UUID) -> list[tuple[Attendance, Meeting]]:
        """A person's attendance rows with their sessions, newest first."""
        with self._ctx.reading() as session:
            rows = session.execute(
                select(Attendance, Meeting)
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .where(Attendance.person_id == person_id, live(Attendance), live(Meeting))
                .order_by(Meeting.date.desc(), Meeting.start_time.desc())
            )
            return [(attendance, meeting) for attendance, meeting in rows]

    # -- calendar ------------------------------------------------------------------------

    def calendar_range(
        self,
        date_from: date,
        date_to: date,
        *,
        club_id: uuid.UUID | None = None,
        municipality_id: uuid.UUID | None = None,
        format: str | None = None,
        include_cancelled: bool = True,
        with_details: bool = False,
    ) -> list[CalendarEntry]:
        """Live sessions of live clubs between two dates (inclusive), as light tuples,
        ordered by date, start time (sessions without a time first), club (50音順) and id.

        Built for a month of a large file: one query over ``ix_meeting_date_status`` (or
        ``ix_meeting_club_date``) reading only the columns the grid draws, as plain strings
        converted here (SQLAlchemy's per-value type processing and the club join cost more
        than the query itself), plus one small query for the live clubs' names.
        ``tool``/``url``/``place``/``kind`` are filled only ``with_details`` (the agenda
        list); a tooltip asks :meth:`get` for one session instead.
        """
        columns = [
            type_coerce(Meeting.id, String), type_coerce(Meeting.club_id, String),
            Meeting.title, type_coerce(Meeting.date, String),
            type_coerce(Meeting.start_time, String), type_coerce(Meeting.end_time, String),
            Meeting.format, Meeting.status,
        ]
        if with_details:
            columns += [Meeting.tool, Meeting.url, Meeting.place, Meeting.kind]
        query = select(*columns).where(
            Meeting.date >= date_from, Meeting.date <= date_to, live(Meeting))
        clubs = select(type_coerce(Club.id, String), Club.name, Club.sort_key).where(live(Club))
        if club_id is not None:
            query = query.where(Meeting.club_id == club_id)
            clubs = clubs.where(Club.id == club_id)
        if municipality_id is not None:
            clubs = clubs.where(Club.host_municipality_id == municipality_id)
            query = query.where(Meeting.club_id.in_(
                select(Club.id).where(Club.host_municipality_id == municipality_id)))
        if format:
            query = query.where(Meeting.format == format)
        if not include_cancelled:
            query = query.where(Meeting.status != MeetingStatus.CANCELLED.value)
        with self._ctx.reading() as session:
            connection = session.connection()  # Core execution: no ORM row processing
            names = {key: (name, sort_key) for key, name, sort_key in connection.execute(clubs)}
            rows = connection.execute(query).all()
        club_ids: dict[str, uuid.UUID] = {}
        entries: list[tuple[tuple[str, str, str, str], CalendarEntry]] = []
        for row in rows:
            club = names.get(row[1])
            if club is None:  # a deleted club (or outside the filter)
                continue
            club_uuid = club_ids.get(row[1])
            if club_uuid is None:
                club_uuid = club_ids[row[1]] = _uuid_of(row[1])
            details = row[8:12] if with_details else ("", "", "", "")
            entry = CalendarEntry(
                _uuid_of(row[0]), club_uuid, club[0], row[2], date.fromisoformat(row[3]),
                time.fromisoformat(row[4]) if row[4] else None,
                time.fromisoformat(row[5]) if row[5] else None, row[6], row[7], *details)
            entries.append(((row[3], row[4] or "", club[1], row[0]), entry))
        entries.sort(key=lambda pair: pair[0])
        return [entry for _key, entry in entries]

    def export_rows(
        self,
        *,
        club_id: uuid.UUID | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> list[tuple[Meeting, str]]:
        """Live sessions of live clubs with their club's name, in date order (for .ics)."""
        query = (
            select(Meeting, Club.name)
            .join(Club, Club.id == Meeting.club_id)
            .where(live(Meeting), live(Club))
            .order_by(Meeting.date, Meeting.start_time, Meeting.id)
        )
        if club_id is not None:
            query = query.where(Meeting.club_id == club_id)
        if date_from is not None:
            query = query.where(Meeting.date >= date_from)
        if date_to is not None:
            query = query.where(Meeting.date <= date_to)
        with self._ctx.reading() as session:
            return [(meeting, name) for meeting, name in session.execute(query)]

    def latest_date(self) -> date | None:
        """The date of the latest live session (None in an empty file)."""
        with self._ctx.reading() as session:
            return session.scalar(select(func.max(Meeting.date)).where(live(Meeting)))

    def warnings(
        self, draft: MeetingDraft, meeting_id: uuid.UUID | None = None
    ) -> list[tuple[str, str]]:
        """Things the user may accept before saving, as ``(field, sentence)`` pairs.

        - another live session of the same club on the same day whose times overlap (a
          session without times overlaps every session of that day);
        - a date outside the club's start/end period.
        Errors (an end before the start, a missing title …) are raised by the save itself.
        """
        found: list[tuple[str, str]] = []
        if draft.club_id is None or draft.date is None:
            return found
        with self._ctx.reading() as session:
            club = session.get(Club, draft.club_id)
            if club is None:
                return found
            if club.start_date is not None and draft.date < club.start_date:
                found.append(("date", _(
                    "The date is before the club's start ({start}).").format(
                        start=club.start_date.isoformat())))
            if club.end_date is not None and draft.date > club.end_date:
                found.append(("date", _(
                    "The date is after the club's end ({end}).").format(
                        end=club.end_date.isoformat())))
            others = session.execute(
                select(Meeting.title, Meeting.start_time, Meeting.end_time).where(
                    Meeting.club_id == draft.club_id, Meeting.date == draft.date,
                    live(Meeting), Meeting.status != MeetingStatus.CANCELLED.value,
                    Meeting.id != meeting_id if meeting_id is not None else Meeting.id.is_not(None),
                )
            )
            for title, start, end in others:
                if _times_overlap(draft.start_time, draft.end_time, start, end):
                    found.append(("start_time", _(
                        "The club already has a session at this time: '{title}'{when}.").format(
                            title=title, when=_time_span(start, end))))
        return found

    def create_series(self, draft: MeetingDraft, spec: SeriesSpec) -> SeriesResult:
        """Create one ordinary session per date of ``spec`` (all or nothing), sharing a new
        ``series_id``; each can later be moved or cancelled alone.
        """
        plan = plan_series(spec)
        series_id = uuid.uuid4()
        with self._ctx.transaction() as session:
            first = replace(draft, date=plan.dates[0] if plan.dates else spec.start)
            values = self._clean(session, first)
            ids: list[uuid.UUID] = []
            for day in plan.dates:
                row = Meeting(id=uuid.uuid4(), **{**values, "date": day, "series_id": series_id})
                row.search_key = _meeting_key(row)
                self._ctx.stamp(row, new=True)
                session.add(row)
                ids.append(row.id)
        return SeriesResult(series_id, ids, plan)

    def roster(self, meeting_id: uuid.UUID) -> list[RosterRow]:
        """The club's live members and every guest with attendance, in 50音順, with their
        attendance status ("" = not recorded yet).
        """
        with self._ctx.reading() as session:
            meeting = get_row(session, Meeting, meeting_id)
            statuses: dict[uuid.UUID, str] = {
                person_id: status for person_id, status in session.execute(
                    select(Attendance.person_id, Attendance.status).where(
                        Attendance.meeting_id == meeting_id, live(Attendance)))}
            members = set(session.scalars(
                select(Membership.person_id).where(
                    Membership.club_id == meeting.club_id, live(Membership))))
            people = session.scalars(
                select(Person)
                .where(Person.id.in_(members | set(statuses)), live(Person))
                .order_by(Person.sort_key, Person.id)
            )
            return [
                RosterRow(person.id, display_name(person.family_name, person.given_name),
                          display_name(person.family_reading, person.given_reading),
                          person.category, person.id in members, statuses.get(person.id, ""))
                for person in people
            ]

    def add_guest(
        self,
        meeting_id: uuid.UUID,
        person: PersonDraft,
        status: str = AttendanceStatus.ATTENDED.value,
    ) -> Person:
        """Create a new person and record their attendance, in one transaction."""
        check = Checker()
        check.choice("status", status, AttendanceStatus, _("Attendance"))
        check.raise_if_any()
        with self._ctx.transaction() as session:
            get_row(session, Meeting, meeting_id)
            people = PersonService(self._ctx)
            row = Person(id=uuid.uuid4(), **people._clean(session, person))
            people_module._refresh_keys(row)
            self._ctx.stamp(row, new=True)
            session.add(row)
            session.flush()
            attendance = Attendance(id=attendance_uuid(meeting_id, row.id), meeting_id=meeting_id,
                                    person_id=row.id, status=status, note="")
            self._ctx.stamp(attendance, new=True)
            session.add(attendance)
            return row

    # -- internals -----------------------------------------------------------------------

    def _clean(self, session: Session, draft: MeetingDraft) -> dict[str, object]:
        check = Checker()
        title = normalize_text(draft.title)
        check.required("title", title, _("Title"))
        check.required("date", draft.date, _("Date"))
        check.required("club_id", draft.club_id, _("Club"))
        if draft.club_id is not None:
            club = session.get(Club, draft.club_id)
            if club is None or club.deleted_at is not None:
                check.add("club_id", _("The chosen club no longer exists."))
        check.choice("kind", draft.kind, MeetingKind, _("Kind"))
        check.choice("format", draft.format, MeetingFormat, _("Format"))
        check.choice("status", draft.status, MeetingStatus, _("Status"))
        check.time_order("end_time", draft.start_time, draft.end_time)
        values: dict[str, object] = {
            "club_id": draft.club_id,
            "title": title,
            "date": draft.date,
            "kind": draft.kind,
            "start_time": draft.start_time,
            "end_time": draft.end_time,
            "format": draft.format,
            "status": draft.status,
            "tool": normalize_text(draft.tool),
            "url": normalize_text(draft.url),
            "place": normalize_text(draft.place),
            "agenda": normalize_multiline(draft.agenda),
            "notes": normalize_multiline(draft.notes),
            "series_id": draft.series_id,
        }
        check.limits("meeting", values)
        check.raise_if_any()
        return values

    def choices(self, date_from: date, date_to: date
                ) -> list[tuple[uuid.UUID, date, str, str]]:
        """(id, date, club name, title) of the live sessions in the period, newest first:
        for pickers, as plain rows (a busy year has thousands of sessions)."""
        query = (
            select(type_coerce(Meeting.id, String), Meeting.date, Club.name, Meeting.title)
            .join(Club, Club.id == Meeting.club_id)
            .where(Meeting.deleted_at.is_(None), Meeting.date >= date_from,
                   Meeting.date <= date_to)
            .order_by(Meeting.date.desc(), Meeting.start_time.desc(), Meeting.id)
        )
        with self._ctx.reading() as session:
            return [(uuid.UUID(hex=row_id), day, club, title)
                    for row_id, day, club, title in session.execute(query)]

    # -- figures' drill-down (one query each) ---------------------------------------------

    def held_attendance(
        self,
        date_from: date,
        date_to: date,
        *,
        club_id: uuid.UUID | None = None,
        municipality_id: uuid.UUID | None = None,
        category: str | None = None,
    ) -> HeldAttendance:
        """Who attended what behind 延べ人数: live ``attended`` rows of live people on live
        ``held`` meetings of live clubs in the period (core.figures' definitions).

        ``club_id``/``municipality_id`` restrict the meetings (the club's host
        municipality), ``category`` the people. Two queries, both counting in SQL over
        covering indexes: rows per session, and rows per person with the person's names, so
        a year of a large programme (85,000 rows, 23,000 people) never crosses into Python
        row by row.
        """
        conditions = _held_attended(date_from, date_to, club_id, municipality_id, category)

        def rows_per(column: InstrumentedAttribute[uuid.UUID]) -> Select[str, int]:
            return (
                select(type_coerce(column, String).label("key"), func.count().label("n"))
                .select_from(Meeting)
                .join(Club, Club.id == Meeting.club_id)
                .join(Attendance, Attendance.meeting_id == Meeting.id)
                .where(*conditions)
                .group_by(column)
            )

        per_person = rows_per(Attendance.person_id).subquery()
        people = (  # ids as text: SQLAlchemy's UUID processing costs more than the query
            select(per_person.c.key, per_person.c.n, Person.family_name, Person.given_name,
                   Person.family_reading, Person.given_reading, Person.category,
                   Person.sort_key)
            .select_from(per_person)
            .join(Person, Person.id == per_person.c.key)
        )
        with self._ctx.reading() as session:
            connection = session.connection()  # Core rows: no ORM loading per row
            meetings = connection.execute(rows_per(Attendance.meeting_id)).all()
            attendees = connection.execute(people).all()
        result = HeldAttendance(
            per_meeting={uuid.UUID(hex=key): count for key, count in meetings},
            per_person={}, people={})
        for key, count, *names in attendees:
            person_id = uuid.UUID(hex=key)
            result.per_person[person_id] = count
            result.people[person_id] = Attendee(person_id, *names)
        return result

    def first_time_people(
        self,
        date_from: date,
        date_to: date,
        *,
        club_id: uuid.UUID | None = None,
        municipality_id: uuid.UUID | None = None,
    ) -> set[uuid.UUID]:
        """新規: people who attended in the period and never before it (within the same
        club/municipality filter), exactly the people core.figures counts. One query over the
        first attendances the database keeps per person and club.
        """
        with self._ctx.reading() as session:
            return first_time_person_ids(session, date_from, date_to, FigureFilter(
                club_id=club_id, municipality_id=municipality_id))


class Attendee(NamedTuple):
    """A person of :class:`HeldAttendance` with the names a list shows."""

    person_id: uuid.UUID
    family_name: str
    given_name: str
    family_reading: str
    given_reading: str
    category: str
    sort_key: str


@dataclass
class HeldAttendance:
    """The attended rows of a period, counted per session and per person."""

    per_meeting: dict[uuid.UUID, int]
    """Attended rows per held session (sessions nobody attended are absent)."""
    per_person: dict[uuid.UUID, int]
    """Times attended per person."""
    people: dict[uuid.UUID, Attendee]
    """Names of the people in ``per_person``."""

    @property
    def person_times(self) -> int:
        """延べ人数."""
        return sum(self.per_meeting.values())


class CalendarEntry(NamedTuple):
    """One session as the calendar draws it (plain columns, no ORM object); the last four
    are "" unless asked for ``with_details``.
    """

    id: uuid.UUID
    club_id: uuid.UUID
    club_name: str
    title: str
    date: date
    start_time: time | None
    end_time: time | None
    format: str
    status: str
    tool: str
    url: str
    place: str
    kind: str


class RosterRow(NamedTuple):
    """A person on a session's attendance list."""

    person_id: uuid.UUID
    name: str
    reading: str
    category: str
    is_member: bool
    status: str


@dataclass
class SeriesResult:
    """What :meth:`MeetingService.create_series` made."""

    series_id: uuid.UUID
    meeting_ids: list[uuid.UUID]
    plan: SeriesPlan


def _uuid_of(text: str) -> uuid.UUID:
    """``uuid.UUID(text)`` for the stored 32-digit hex form, without the constructor's
    parsing (a third of the time of a month's query); anything else the normal way.
    """
    if len(text) != 32:
        return uuid.UUID(text)
    value = uuid.UUID.__new__(uuid.UUID)
    object.__setattr__(value, "int", int(text, 16))
    object.__setattr__(value, "is_safe", uuid.SafeUUID.unknown)
    return value


def _times_overlap(
    start_a: time | None, end_a: time | None, start_b: time | None, end_b: time | None
) -> bool:
    """Whether two sessions of one day overlap; a session without a start time takes the
    whole day, one without an end time lasts an hour.
    """
    if start_a is None or start_b is None:
        return True
    def _minutes(value: time) -> int:
        return value.hour * 60 + value.minute

    a0, b0 = _minutes(start_a), _minutes(start_b)
    a1 = _minutes(end_a) if end_a is not None else a0 + 60
    b1 = _minutes(end_b) if end_b is not None else b0 + 60
    return a0 < b1 and b0 < a1


def _time_span(start: time | None, end: time | None) -> str:
    if start is None:
        return ""
    if end is None:
        return f" ({start:%H:%M})"
    return f" ({start:%H:%M}–{end:%H:%M})"


def _meeting_key(row: Meeting) -> str:
    return "\n".join(key for key in (search_key(row.title), search_key(row.place)) if key)


def _filtered(
    search: str,
    club_id: uuid.UUID | None,
    date_from: date | None,
    date_to: date | None,
    status: str | None,
    deleted: bool,
) -> Select[Meeting]:
    query = select(Meeting).where(Meeting.deleted_at.is_not(None) if deleted else live(Meeting))
    key = search_key(search)
    if key:
        query = query.where(Meeting.search_key.like(f"%{escape_like(key)}%", escape="\\"))
    if club_id is not None:
        query = query.where(Meeting.club_id == club_id)
    if date_from is not None:
        query = query.where(Meeting.date >= date_from)
    if date_to is not None:
        query = query.where(Meeting.date <= date_to)
    if status:
        query = query.where(Meeting.status == status)
    return query


def _held_attended(
    date_from: date | None,
    date_to: date,
    club_id: uuid.UUID | None,
    municipality_id: uuid.UUID | None,
    category: str | None,
) -> list[ColumnElement[bool]]:
    """Conditions for attended rows of live people on live held meetings of live clubs.

    People are checked against the few deleted ones (and the chosen category) rather than
    by looking up every row's person, as core.figures does.
    """
    conditions: list[ColumnElement[bool]] = [
        Attendance.status == AttendanceStatus.ATTENDED.value,
        live(Attendance),
        Attendance.person_id.not_in(select(Person.id).where(Person.deleted_at.is_not(None))),
        Meeting.status == MeetingStatus.HELD.value,
        live(Meeting),
        live(Club),
        Meeting.date <= date_to,
    ]
    if date_from is not None:
        conditions.append(Meeting.date >= date_from)
    if club_id is not None:
        conditions.append(Meeting.club_id == club_id)
    if municipality_id is not None:
        conditions.append(Club.host_municipality_id == municipality_id)
    if category is not None:
        conditions.append(Attendance.person_id.in_(
            select(Person.id).where(Person.category == category)))
    return conditions
