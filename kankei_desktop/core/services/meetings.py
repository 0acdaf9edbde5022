"""セッション: sessions — create, edit, series, status, lists and the warnings before saving.

Attendance is :mod:`.attendance`, the calendar's views :mod:`.calendar`, the figures'
drill-down :mod:`kankei_desktop.core.figures.drilldown`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, time

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kankei_desktop.core.calendar.recurrence import SeriesPlan, SeriesSpec, plan_series
from kankei_desktop.core.figures.tagged import tagged_ids
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import normalize_multiline, normalize_text, search_key
from kankei_desktop.core.models import Club, Meeting
from kankei_desktop.core.services.attendance import check_statuses, write_statuses
from kankei_desktop.core.services.context import escape_like, get_row, live
from kankei_desktop.core.services.records import RecordService
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import MeetingFormat, MeetingKind, MeetingStatus


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
    designated: bool | None = None
    """担い手活動 of the host municipality; None: as the club's default (a new session) or
    unchanged (an edit)."""

    @classmethod
    def of(cls, row: Meeting) -> MeetingDraft:
        """A draft holding ``row``'s current values (for editing)."""
        values = {f.name: getattr(row, f.name) for f in fields(cls)}
        return cls(**{**values, "designated": bool(row.designated)})


class MeetingService(RecordService[Meeting, MeetingDraft]):
    """Use cases for sessions: create, edit, series, status, lists and warnings."""

    model = Meeting

    def set_status(self, meeting_id: uuid.UUID, status: str) -> Meeting:
        """Mark a session planned, held or cancelled."""
        check = Checker()
        check.choice("status", status, MeetingStatus, _("Status"))
        check.raise_if_any()
        with self._ctx.transaction() as session:
            row = get_row(session, Meeting, meeting_id)
            self._writes.change(row, {"status": status})
            return row

    def save(self, meeting_id: uuid.UUID | None, draft: MeetingDraft,
             attendance: Mapping[uuid.UUID, str] | None = None) -> Meeting:
        """Create (``meeting_id`` None) or update a session together with its attendance
        changes (person → status, "" = off the list): one transaction, all or nothing — what
        the session editor's 保存 does."""
        statuses = dict(attendance or {})
        check_statuses(statuses)
        with self._ctx.transaction() as session:
            if meeting_id is None:
                row = self._new_row(session, draft)
                session.flush()
            else:
                row = self._row(session, meeting_id)
                self._writes.change(row, self._clean(session, draft, meeting_id))
            write_statuses(session, self._writes, row.id, statuses)
            return row

    def find(
        self,
        search: str = "",
        *,
        club_id: uuid.UUID | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        status: str | None = None,
        tag_id: uuid.UUID | None = None,
        deleted: bool = False,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[Meeting]:
        """Sessions in date order (newest first on request)."""
        order = ((Meeting.date.desc(), Meeting.start_time.desc(), Meeting.id) if newest_first
                 else (Meeting.date, Meeting.start_time, Meeting.id))
        return self._page(_filtered(search, club_id, date_from, date_to, status, deleted,
                                    tag_id), order, limit, offset)

    def count(
        self,
        search: str = "",
        *,
        club_id: uuid.UUID | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        status: str | None = None,
        tag_id: uuid.UUID | None = None,
        deleted: bool = False,
    ) -> int:
        """How many sessions :meth:`find` would return without a limit."""
        return self._count(_filtered(search, club_id, date_from, date_to, status, deleted,
                                     tag_id))

    # -- attendance ----------------------------------------------------------------------

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
            if draft.designated and club.host_municipality_id is None:
                found.append(("designated", _(
                    "The club has no host municipality: a designated activity counts for no "
                    "municipality until the club has one.")))
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
                row = self._writes.add(session, Meeting(
                    id=uuid.uuid4(), **{**values, "date": day, "series_id": series_id}))
                ids.append(row.id)
        return SeriesResult(series_id, ids, plan)

    # -- internals -----------------------------------------------------------------------

    def _clean(self, session: Session, draft: MeetingDraft,
               current_id: uuid.UUID | None = None) -> dict[str, object]:
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
        designated = draft.designated
        if designated is None:
            current = session.get(Meeting, current_id) if current_id is not None else None
            club = session.get(Club, draft.club_id) if draft.club_id is not None else None
            designated = bool(current.designated if current is not None
                              else club is not None and club.designates_activities)
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
            "designated": int(designated),
        }
        check.limits("meeting", values)
        check.raise_if_any()
        return values

@dataclass
class SeriesResult:
    """What :meth:`MeetingService.create_series` made."""

    series_id: uuid.UUID
    meeting_ids: list[uuid.UUID]
    plan: SeriesPlan


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


def _filtered(
    search: str,
    club_id: uuid.UUID | None,
    date_from: date | None,
    date_to: date | None,
    status: str | None,
    deleted: bool,
    tag_id: uuid.UUID | None = None,
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
    if tag_id is not None:
        query = query.where(Meeting.id.in_(tagged_ids(tag_id)))
    return query


