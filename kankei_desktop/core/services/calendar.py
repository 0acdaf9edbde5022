"""カレンダー: what the calendar, the pickers and the .ics export read of the sessions."""

from __future__ import annotations

import uuid
from datetime import date, time
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select

from kankei_desktop.core.figures.tagged import tagged_ids
from kankei_desktop.core.models import Club, Meeting
from kankei_desktop.core.services.context import ServiceContext, live
from kankei_desktop.core.storage.stored_text import stored_text
from kankei_desktop.core.vocabulary import MeetingStatus


class CalendarService:
    """Read-only views of the sessions by date."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def entries(
        self,
        date_from: date,
        date_to: date,
        *,
        club_id: uuid.UUID | None = None,
        municipality_id: uuid.UUID | None = None,
        format: str | None = None,
        include_cancelled: bool = True,
        with_details: bool = False,
        tag_id: uuid.UUID | None = None,
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
        columns: list[Any] = [
            stored_text(Meeting.id), stored_text(Meeting.club_id),
            Meeting.title, stored_text(Meeting.date),
            stored_text(Meeting.start_time), stored_text(Meeting.end_time),
            Meeting.format, Meeting.status, Meeting.designated,
        ]
        if with_details:
            columns += [Meeting.tool, Meeting.url, Meeting.place, Meeting.kind]
        query = select(*columns).where(
            Meeting.date >= date_from, Meeting.date <= date_to, live(Meeting))
        clubs = select(stored_text(Club.id), Club.name, Club.sort_key).where(live(Club))
        if club_id is not None:
            query = query.where(Meeting.club_id == club_id)
            clubs = clubs.where(Club.id == club_id)
        if municipality_id is not None:
            clubs = clubs.where(Club.host_municipality_id == municipality_id)
            query = query.where(Meeting.club_id.in_(
                select(Club.id).where(Club.host_municipality_id == municipality_id)))
        if format:
            query = query.where(Meeting.format == format)
        if tag_id is not None:  # the session or its club carries the tag
            marked = tagged_ids(tag_id)
            query = query.where(or_(Meeting.id.in_(marked), Meeting.club_id.in_(marked)))
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
            tool, url, place, kind = row[9:13] if with_details else ("", "", "", "")
            entry = CalendarEntry(
                _uuid_of(row[0]), club_uuid, club[0], row[2], date.fromisoformat(row[3]),
                time.fromisoformat(row[4]) if row[4] else None,
                time.fromisoformat(row[5]) if row[5] else None, row[6], row[7], tool, url,
                place, kind, bool(row[8]))
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

    def choices(self, date_from: date, date_to: date
                ) -> list[tuple[uuid.UUID, date, str, str]]:
        """(id, date, club name, title) of the live sessions in the period, newest first:
        for pickers, as plain rows (a busy year has thousands of sessions)."""
        query = (
            select(stored_text(Meeting.id), Meeting.date, Club.name, Meeting.title)
            .join(Club, Club.id == Meeting.club_id)
            .where(Meeting.deleted_at.is_(None), Meeting.date >= date_from,
                   Meeting.date <= date_to)
            .order_by(Meeting.date.desc(), Meeting.start_time.desc(), Meeting.id)
        )
        with self._ctx.reading() as session:
            return [(uuid.UUID(hex=row_id), day, club, title)
                    for row_id, day, club, title in session.execute(query)]


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
    designated: bool = False
    """A 担い手活動 of the host municipality (issue 20)."""


def _uuid_of(text: str | uuid.UUID) -> uuid.UUID:
    """``uuid.UUID(text)`` for the stored 32-digit hex form, without the constructor's
    parsing (a third of the time of a month's query); anything else the normal way (a
    shared database hands over UUIDs already).
    """
    if isinstance(text, uuid.UUID):
        return text
    if len(text) != 32:
        return uuid.UUID(text)
    value = uuid.UUID.__new__(uuid.UUID)
    object.__setattr__(value, "int", int(text, 16))
    object.__setattr__(value, "is_safe", uuid.SafeUUID.unknown)
    return value
