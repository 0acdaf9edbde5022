"""マッチング: a person or an organisation matched with a host (issue 17).

The figures over matchings are defined in :mod:`kankei_desktop.core.figures.matchings`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.figures.matchings import (
    MatchingFigures,
    active_in,
    counts,
    made_in,
    matching_figures,
    scope_conditions,
)
from kankei_desktop.core.figures.tagged import tagged_ids
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import display_name, normalize_multiline, normalize_text
from kankei_desktop.core.japan.text import search_key as text_key
from kankei_desktop.core.models import Club, Matching, Meeting, Organization, Person
from kankei_desktop.core.services.context import escape_like, live
from kankei_desktop.core.services.records import RecordService
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import (
    MATCHING_MADE_STATUSES,
    MatchingKind,
    MatchingStatus,
)
from kankei_desktop.core.writes.natural_ids import matching_uuid

THEME_LIMIT = 300


@dataclass
class MatchingDraft:
    """The editable fields of a matching: one party (a person or an organisation)."""

    kind: str = MatchingKind.SIDE_JOB.value
    status: str = MatchingStatus.MADE.value
    person_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    host_id: uuid.UUID | None = None
    theme: str = ""
    club_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None
    made_on: date | None = None
    ended_on: date | None = None
    note: str = ""

    @classmethod
    def of(cls, row: Matching) -> MatchingDraft:
        """A draft holding ``row``'s current values (for editing)."""
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})

    @property
    def party_id(self) -> uuid.UUID | None:
        """The person or organisation matched."""
        return self.person_id or self.organization_id


@dataclass(frozen=True)
class MatchingView:
    """A matching with the names a list, a page or a report shows."""

    id: uuid.UUID
    kind: str
    status: str
    party: str
    """The person (「山田 太郎（株式会社X）」) or the organisation matched."""
    party_is_person: bool
    host: str
    theme: str
    club: str
    made_on: date | None
    ended_on: date | None
    note: str
    club_id: uuid.UUID | None


class MatchingService(RecordService[Matching, MatchingDraft]):
    """Use cases for matchings."""

    model = Matching

    def find(self, search: str = "", *, kind: str | None = None, status: str | None = None,
             person_id: uuid.UUID | None = None, organization_id: uuid.UUID | None = None,
             club_id: uuid.UUID | None = None, tag_id: uuid.UUID | None = None,
             date_from: date | None = None, date_to: date | None = None,
             deleted: bool = False, limit: int | None = None, offset: int = 0
             ) -> list[Matching]:
        """Matchings, newest 成立日 first (those without one last), filtered.

        ``organization_id`` finds the matchings an organisation takes part in: as the party,
        as the host, or as the organisation of the person matched.
        """
        query = _filtered(search, kind, status, person_id, organization_id, club_id, tag_id,
                          date_from, date_to, deleted)
        return self._page(query, (Matching.made_on.is_(None), Matching.made_on.desc(),
                                  Matching.id), limit, offset)

    def count(self, search: str = "", *, kind: str | None = None, status: str | None = None,
              person_id: uuid.UUID | None = None, organization_id: uuid.UUID | None = None,
              club_id: uuid.UUID | None = None, tag_id: uuid.UUID | None = None,
              date_from: date | None = None, date_to: date | None = None,
              deleted: bool = False) -> int:
        """How many matchings :meth:`find` would return without a limit."""
        return self._count(_filtered(search, kind, status, person_id, organization_id,
                                     club_id, tag_id, date_from, date_to, deleted))

    def views(self, rows: list[Matching]) -> list[MatchingView]:
        """``rows`` with their parties', hosts' and clubs' names (three queries)."""
        people = {row.person_id for row in rows if row.person_id}
        orgs = {row.organization_id for row in rows if row.organization_id} | {
            row.host_id for row in rows if row.host_id}
        clubs = {row.club_id for row in rows if row.club_id}
        with self._ctx.reading() as session:
            person_rows = {person.id: person for person in session.scalars(
                select(Person).where(Person.id.in_(people)))} if people else {}
            orgs |= {person.organization_id for person in person_rows.values()
                     if person.organization_id}
            org_names = dict(session.execute(
                select(Organization.id, Organization.name)
                .where(Organization.id.in_(orgs))).all()) if orgs else {}
            club_names = dict(session.execute(
                select(Club.id, Club.name).where(Club.id.in_(clubs))).all()) \
                if clubs else {}
        result = []
        for row in rows:
            person = person_rows.get(row.person_id) if row.person_id else None
            if person is not None:
                party = display_name(person.family_name, person.given_name)
                affiliation = org_names.get(person.organization_id) \
                    if person.organization_id else None
                if affiliation:
                    party = f"{party}（{affiliation}）"
            else:
                party = org_names.get(row.organization_id, "") if row.organization_id else ""
            result.append(MatchingView(
                row.id, row.kind, row.status, party, person is not None,
                org_names.get(row.host_id, "") if row.host_id else "", row.theme,
                club_names.get(row.club_id, "") if row.club_id else "", row.made_on,
                row.ended_on, row.note, row.club_id))
        return result

    def figures(self, date_from: date, date_to: date,
                figure_filter: FigureFilter | None = None) -> MatchingFigures:
        """マッチング成立件数, active matchings and made per kind for a period and filter."""
        with self._ctx.reading() as session:
            return matching_figures(session, date_from, date_to, figure_filter)

    def in_scope(self, date_from: date, date_to: date,
                 figure_filter: FigureFilter | None = None, *, made: bool = True
                 ) -> list[MatchingView]:
        """The matchings behind the figures (same rule and filter), oldest first: those
        made in the period (``made``), else those active in it."""
        condition = made_in(date_from, date_to) if made else active_in(date_from, date_to)
        with self._ctx.reading() as session:
            rows = list(session.scalars(
                select(Matching).where(counts(), condition,
                                       *scope_conditions(session, figure_filter
                                                         or FigureFilter()))
                .order_by(Matching.made_on, Matching.kind, Matching.id)))
        return self.views(rows)

    def any_recorded(self) -> bool:
        """True when the file holds a live matching (the reports then state the figure)."""
        with self._ctx.reading() as session:
            return session.scalar(select(Matching.id).where(live(Matching)).limit(1)) \
                is not None

    # -- writing ---------------------------------------------------------------------------

    def _new_row(self, session: Session, draft: MatchingDraft) -> Matching:
        """A new matching under its natural id; the same matching deleted earlier comes
        back, one recorded already is refused."""
        values = self._clean(session, draft, None)
        party = cast(uuid.UUID, values["person_id"] or values["organization_id"])
        row_id = matching_uuid(party, cast(uuid.UUID | None, values["host_id"]),
                               str(values["kind"]), cast(date | None, values["made_on"]))
        existing = session.get(Matching, row_id)
        if existing is not None and existing.deleted_at is None:
            raise ValidationError([("made_on", _(
                "This matching is already recorded (the same party, host, kind and date "
                "made). Edit that one instead."))])
        return self._writes.put(session, Matching, row_id, values)

    def _clean(self, session: Session, draft: MatchingDraft, current_id: uuid.UUID | None
               ) -> dict[str, object]:
        check = Checker()
        check.choice("kind", draft.kind, MatchingKind, _("Kind"))
        check.choice("status", draft.status, MatchingStatus, _("Status"))
        if (draft.person_id is None) == (draft.organization_id is None):
            check.add("person_id", _("Choose who was matched: one person or one organisation."))
        if draft.kind == MatchingKind.AGREEMENT.value and draft.person_id is not None:
            check.add("person_id", _("A partnership agreement is made between organisations: "
                                     "choose the organisation, not a person."))
        _exists(session, check, Person, draft.person_id, "person_id",
                _("The chosen person no longer exists."))
        _exists(session, check, Organization, draft.organization_id, "organization_id",
                _("The chosen organisation no longer exists."))
        if draft.host_id is None:
            check.add("host_id", _("Choose the host: the municipality or the organisation that "
                                   "takes the party in."))
        elif draft.host_id == draft.organization_id:
            check.add("host_id", _("The host must be another organisation than the one "
                                   "matched."))
        _exists(session, check, Organization, draft.host_id, "host_id",
                _("The chosen host no longer exists."))
        _exists(session, check, Club, draft.club_id, "club_id",
                _("The chosen club no longer exists."))
        _exists(session, check, Meeting, draft.meeting_id, "meeting_id",
                _("The chosen session no longer exists."))
        made = draft.status in {status.value for status in MATCHING_MADE_STATUSES}
        if made and draft.made_on is None:
            check.add("made_on", _("A matching that was made needs the date it was made "
                                   "(成立日)."))
        check.date_order("ended_on", draft.made_on, draft.ended_on, _("Date made"),
                         _("Date ended"))
        theme = normalize_text(draft.theme)
        check.max_length("theme", theme, THEME_LIMIT, _("Theme"))
        check.raise_if_any()
        return {
            "kind": draft.kind, "status": draft.status, "person_id": draft.person_id,
            "organization_id": draft.organization_id, "host_id": draft.host_id,
            "theme": theme, "club_id": draft.club_id, "meeting_id": draft.meeting_id,
            "made_on": draft.made_on, "ended_on": draft.ended_on,
            "note": normalize_multiline(draft.note),
        }


def _exists(session: Session, check: Checker, model: Any, row_id: uuid.UUID | None,
            field: str, message: str) -> None:
    if row_id is None:
        return
    row = session.get(model, row_id)
    if row is None or row.deleted_at is not None:
        check.add(field, message)


def _filtered(search: str, kind: str | None, status: str | None,
              person_id: uuid.UUID | None, organization_id: uuid.UUID | None,
              club_id: uuid.UUID | None, tag_id: uuid.UUID | None, date_from: date | None,
              date_to: date | None, deleted: bool) -> Select[Matching]:
    query = select(Matching).where(
        Matching.deleted_at.is_not(None) if deleted else live(Matching))
    key = text_key(search)
    if key:
        pattern = f"%{escape_like(key)}%"
        people = select(Person.id).where(Person.search_key.like(pattern, escape="\\"))
        orgs = select(Organization.id).where(Organization.search_key.like(pattern, escape="\\"))
        query = query.where(or_(Matching.person_id.in_(people),
                                Matching.organization_id.in_(orgs), Matching.host_id.in_(orgs),
                                Matching.theme.contains(normalize_text(search),
                                                        autoescape=True)))
    if kind:
        query = query.where(Matching.kind == kind)
    if status:
        query = query.where(Matching.status == status)
    if person_id is not None:
        query = query.where(Matching.person_id == person_id)
    if organization_id is not None:
        query = query.where(_involving(organization_id))
    if club_id is not None:
        query = query.where(Matching.club_id == club_id)
    if tag_id is not None:
        marked = tagged_ids(tag_id)
        query = query.where(or_(
            Matching.person_id.in_(marked), Matching.organization_id.in_(marked),
            Matching.host_id.in_(marked), Matching.club_id.in_(marked),
            Matching.meeting_id.in_(marked),
            Matching.person_id.in_(select(Person.id).where(Person.organization_id.in_(marked)))))
    if date_from is not None:
        query = query.where(Matching.made_on >= date_from)
    if date_to is not None:
        query = query.where(Matching.made_on <= date_to)
    return query


def _involving(organization_id: uuid.UUID) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = or_(
        Matching.organization_id == organization_id, Matching.host_id == organization_id,
        Matching.person_id.in_(select(Person.id).where(
            Person.organization_id == organization_id)))
    return condition
