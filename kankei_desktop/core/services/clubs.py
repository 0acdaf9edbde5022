"""クラブ: clubs with their partner organisations, members and KPI targets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.figures.tagged import tagged_ids
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import normalize_multiline, normalize_text, search_key
from kankei_desktop.core.models import (
    Club,
    ClubPartner,
    Membership,
    Organization,
    Person,
)
from kankei_desktop.core.services.context import escape_like, get_row, live
from kankei_desktop.core.services.kpis import KpiService, TargetSet
from kankei_desktop.core.services.records import RecordService
from kankei_desktop.core.services.stages import StageService, current_stage, stage_of
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import ClubStage, MembershipRole
from kankei_desktop.core.writes.natural_ids import membership_uuid, partner_uuid


@dataclass
class ClubDraft:
    """The editable fields of a club; ``partner_ids`` replaces the partner list."""

    name: str
    reading: str = ""
    host_municipality_id: uuid.UUID | None = None
    theme: str = ""
    start_date: date | None = None
    end_date: date | None = None
    stage: str = ClubStage.VISUALISE.value
    coordinator_id: uuid.UUID | None = None
    notes: str = ""
    partner_ids: list[uuid.UUID] = field(default_factory=list)
    designates_activities: bool = False
    """New sessions of the club are 担い手活動 by default (issue 20)."""

    @classmethod
    def of(cls, row: Club, partner_ids: list[uuid.UUID]) -> ClubDraft:
        """A draft holding ``row``'s current values (for editing)."""
        values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name != "partner_ids"}
        values["designates_activities"] = bool(row.designates_activities)
        return cls(**values, partner_ids=list(partner_ids))


@dataclass(frozen=True)
class KpiValues:
    """A club's targets for one fiscal year (None = no target)."""

    meetings: int | None = None
    person_times: int | None = None
    unique_persons: int | None = None
    notes: str = ""


class ClubService(RecordService[Club, ClubDraft]):
    """Use cases for clubs, memberships and KPI targets."""

    model = Club

    def _after_save(self, session: Session, row: Club, draft: ClubDraft) -> None:
        session.flush()
        self._set_partners(session, row.id, draft.partner_ids)

    def update(self, row_id: uuid.UUID, draft: ClubDraft, *, expected: str | None = None
               ) -> Club:
        """Validate and save changes; a changed stage is recorded as a move dated today
        (:mod:`.stages`), all or nothing. ``expected``: the version the draft was made from
        (a club changed since by someone else raises ``EditConflictError``)."""
        with self._ctx.transaction() as session:
            row = self._row(session, row_id)
            before = stage_of(session, row_id)
            self._writes.change(row, self._clean(session, draft, row_id), expected=expected)
            self._after_save(session, row, draft)
            if draft.stage != before:
                StageService(self._ctx).move_in(session, row_id, {
                    "stage": draft.stage, "entered_on": date.today(), "output": ""})
            return row

    def current_stages(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """The current stage of each club (its latest recorded move, else its stage)."""
        if not ids:
            return {}
        with self._ctx.reading() as session:
            return dict(session.execute(select(Club.id, current_stage())
                                        .where(Club.id.in_(ids))).all())

    def _before_restore(self, session: Session, row: Club) -> None:
        """Refused when another live club took the name meanwhile."""
        self._check_unique_name(session, row.name, row.id)

    def find_by_name(self, name: str) -> Club | None:
        """The live club called ``name`` (width- and kana-insensitive), if any."""
        key = search_key(name)
        with self._ctx.reading() as session:
            for row in session.scalars(select(Club).where(live(Club))):
                if search_key(row.name) == key:
                    return row
        return None

    def find(
        self,
        search: str = "",
        *,
        host_municipality_id: uuid.UUID | None = None,
        stage: str | None = None,
        tag_id: uuid.UUID | None = None,
        deleted: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Club]:
        """Clubs in 50音順 of their reading (``stage``: the current stage)."""
        return self._page(_filtered(search, host_municipality_id, stage, deleted, tag_id),
                          (Club.sort_key, Club.id), limit, offset)

    def count(
        self,
        search: str = "",
        *,
        host_municipality_id: uuid.UUID | None = None,
        stage: str | None = None,
        tag_id: uuid.UUID | None = None,
        deleted: bool = False,
    ) -> int:
        """How many clubs :meth:`find` would return without a limit."""
        return self._count(_filtered(search, host_municipality_id, stage, deleted, tag_id))

    def partner_ids(self, club_id: uuid.UUID) -> list[uuid.UUID]:
        """The club's live partner organisations."""
        with self._ctx.reading() as session:
            return list(
                session.scalars(
                    select(ClubPartner.organization_id)
                    .join(Organization, Organization.id == ClubPartner.organization_id)
                    .where(ClubPartner.club_id == club_id, live(ClubPartner))
                    .order_by(Organization.sort_key)
                )
            )

    def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Names for a set of ids (deleted ones included)."""
        if not ids:
            return {}
        with self._ctx.reading() as session:
            rows = session.execute(select(Club.id, Club.name).where(Club.id.in_(ids)))
            return {row_id: name for row_id, name in rows}

    # -- members -------------------------------------------------------------------------

    def add_member(
        self,
        club_id: uuid.UUID,
        person_id: uuid.UUID,
        role: str = MembershipRole.MEMBER.value,
        joined_on: date | None = None,
    ) -> Membership:
        """Add (or re-add) a person to a club; adding twice keeps one membership."""
        check = Checker()
        check.choice("role", role, MembershipRole, _("Role"))
        check.raise_if_any()
        with self._ctx.transaction() as session:
            get_row(session, Club, club_id)
            get_row(session, Person, person_id)
            row_id = membership_uuid(club_id, person_id)
            existing = session.get(Membership, row_id)
            if existing is not None and joined_on is None:
                joined_on = existing.joined_on
            return self._writes.put(session, Membership, row_id,
                                    {"role": role, "joined_on": joined_on},
                                    keep={"club_id": club_id, "person_id": person_id})

    def change_members(self, club_id: uuid.UUID, added: dict[uuid.UUID, str],
                       removed: set[uuid.UUID]) -> None:
        """Add people (person → role) and take others out, in one transaction."""
        check = Checker()
        for role in set(added.values()):
            check.choice("role", role, MembershipRole, _("Role"))
        check.raise_if_any()
        with self._ctx.transaction() as session:
            get_row(session, Club, club_id)
            for person_id, role in added.items():
                get_row(session, Person, person_id)
                row_id = membership_uuid(club_id, person_id)
                existing = session.get(Membership, row_id)
                self._writes.put(session, Membership, row_id, {
                    "role": role, "joined_on": existing.joined_on if existing else None},
                    keep={"club_id": club_id, "person_id": person_id})
            for person_id in removed:
                row = session.get(Membership, membership_uuid(club_id, person_id))
                if row is not None:
                    self._writes.tombstone(row)

    def remove_member(self, club_id: uuid.UUID, person_id: uuid.UUID) -> None:
        """Take a person out of a club (their attendance stays)."""
        with self._ctx.transaction() as session:
            row = session.get(Membership, membership_uuid(club_id, person_id))
            if row is not None:
                self._writes.tombstone(row)

    def members(self, club_id: uuid.UUID) -> list[tuple[Membership, Person]]:
        """Live members with their person rows, in 50音順."""
        with self._ctx.reading() as session:
            rows = session.execute(
                select(Membership, Person)
                .join(Person, Person.id == Membership.person_id)
                .where(Membership.club_id == club_id, live(Membership), live(Person))
                .order_by(Person.sort_key)
            )
            return [(membership, person) for membership, person in rows]

    def clubs_of_person(self, person_id: uuid.UUID) -> list[tuple[Membership, Club]]:
        """The clubs a person belongs to."""
        with self._ctx.reading() as session:
            rows = session.execute(
                select(Membership, Club)
                .join(Club, Club.id == Membership.club_id)
                .where(Membership.person_id == person_id, live(Membership), live(Club))
                .order_by(Club.sort_key)
            )
            return [(membership, club) for membership, club in rows]

    # -- KPI targets ---------------------------------------------------------------------

    def set_targets(self, club_id: uuid.UUID, fiscal_year: int, values: KpiValues) -> TargetSet:
        """Set a club's attendance targets for a fiscal year (KPIs of those measures;
        :class:`~.kpis.KpiService` holds every kind)."""
        kpis = KpiService(self._ctx)
        kpis.set_targets(club_id, fiscal_year,
                         (values.meetings, values.person_times, values.unique_persons),
                         values.notes)
        found = kpis.targets(club_id, fiscal_year)
        return found[0] if found else TargetSet(club_id, fiscal_year, None, None, None, "")

    def targets(self, club_id: uuid.UUID | None = None, fiscal_year: int | None = None
                ) -> list[TargetSet]:
        """The attendance targets set, optionally for one club and/or year."""
        return KpiService(self._ctx).targets(club_id, fiscal_year)

    # -- internals -----------------------------------------------------------------------

    def _set_partners(
        self, session: Session, club_id: uuid.UUID, partner_ids: list[uuid.UUID]
    ) -> None:
        wanted: set[uuid.UUID] = set(partner_ids)
        existing = {
            row.organization_id: row
            for row in session.scalars(select(ClubPartner).where(ClubPartner.club_id == club_id))
        }
        for organization_id, row in existing.items():
            if organization_id not in wanted:
                self._writes.tombstone(row)
        for organization_id in wanted:
            link = existing.get(organization_id)
            if link is None:
                self._writes.add(session, ClubPartner(
                    id=partner_uuid(club_id, organization_id), club_id=club_id,
                    organization_id=organization_id))
            else:
                self._writes.revive(link)

    def _check_unique_name(self, session: Session, name: str, current_id: uuid.UUID | None
                           ) -> None:
        key = search_key(name)
        for other_id, other_name in session.execute(
            select(Club.id, Club.name).where(live(Club))
        ):
            if other_id != current_id and search_key(other_name) == key:
                raise ValidationError(
                    [("name", _("A club called '{name}' already exists. Choose another "
                                "name.").format(name=name))]
                )

    def _clean(
        self, session: Session, draft: ClubDraft, current_id: uuid.UUID | None
    ) -> dict[str, object]:
        check = Checker()
        name = normalize_text(draft.name)
        check.required("name", name, _("Club name"))
        check.choice("stage", draft.stage, ClubStage, _("Stage"))
        check.date_order("end_date", draft.start_date, draft.end_date, _("Start date"),
                         _("End date"))
        if draft.host_municipality_id is not None:
            host = session.get(Organization, draft.host_municipality_id)
            if host is None or host.deleted_at is not None:
                check.add("host_municipality_id", _("The chosen municipality no longer exists."))
        if draft.coordinator_id is not None:
            coordinator = session.get(Person, draft.coordinator_id)
            if coordinator is None or coordinator.deleted_at is not None:
                check.add("coordinator_id", _("The chosen coordinator no longer exists."))
        for partner_id in draft.partner_ids:
            partner = session.get(Organization, partner_id)
            if partner is None or partner.deleted_at is not None:
                check.add("partner_ids", _("A chosen partner organisation no longer exists."))
                break
        if name:
            try:
                self._check_unique_name(session, name, current_id)
            except ValidationError as exc:
                check.errors.extend(exc.errors)
        check.kana("reading", normalize_text(draft.reading), _("Reading (kana)"))
        values: dict[str, object] = {
            "name": name,
            "reading": normalize_text(draft.reading),
            "host_municipality_id": draft.host_municipality_id,
            "theme": normalize_text(draft.theme),
            "start_date": draft.start_date,
            "end_date": draft.end_date,
            "stage": draft.stage,
            "coordinator_id": draft.coordinator_id,
            "notes": normalize_multiline(draft.notes),
            "designates_activities": int(bool(draft.designates_activities)),
        }
        check.limits("club", values)
        check.raise_if_any()
        return values

    # -- members, a page at a time (for long member lists) ---------------------------------

    def member_page(
        self, club_id: uuid.UUID, *, limit: int, offset: int = 0
    ) -> list[tuple[Membership, Person]]:
        """Part of :meth:`members` (same order: 50音順, then id)."""
        with self._ctx.reading() as session:
            rows = session.execute(
                select(Membership, Person)
                .join(Person, Person.id == Membership.person_id)
                .where(Membership.club_id == club_id, live(Membership), live(Person))
                .order_by(Person.sort_key, Person.id)
                .limit(limit)
                .offset(offset)
            )
            return [(membership, person) for membership, person in rows]

    def member_count(self, club_id: uuid.UUID) -> int:
        """How many live members :meth:`members` would return."""
        with self._ctx.reading() as session:
            return int(
                session.scalar(
                    select(func.count(Membership.id))
                    .join(Person, Person.id == Membership.person_id)
                    .where(Membership.club_id == club_id, live(Membership), live(Person))
                )
                or 0
            )


def _filtered(
    search: str, host_municipality_id: uuid.UUID | None, stage: str | None, deleted: bool,
    tag_id: uuid.UUID | None = None,
) -> Select[Club]:
    query = select(Club).where(Club.deleted_at.is_not(None) if deleted else live(Club))
    key = search_key(search)
    if key:
        query = query.where(Club.search_key.like(f"%{escape_like(key)}%", escape="\\"))
    if host_municipality_id is not None:
        query = query.where(Club.host_municipality_id == host_municipality_id)
    if stage:
        query = query.where(current_stage() == stage)
    if tag_id is not None:
        query = query.where(Club.id.in_(tagged_ids(tag_id)))
    return query
