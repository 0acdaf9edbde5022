"""人: participants, coordinators and contacts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kankei_desktop.core.figures.tagged import tagged_ids
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import codes
from kankei_desktop.core.japan.text import (
    display_name,
    normalize_multiline,
    normalize_text,
    search_key,
)
from kankei_desktop.core.models import Membership, Organization, Person
from kankei_desktop.core.services.context import escape_like
from kankei_desktop.core.services.records import RecordService
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import OrganizationKind, PersonCategory


@dataclass
class PersonDraft:
    """The editable fields of a person (姓・名 and their readings apart)."""

    family_name: str
    given_name: str = ""
    family_reading: str = ""
    given_reading: str = ""
    category: str = PersonCategory.OTHER.value
    organization_id: uuid.UUID | None = None
    job_title: str = ""
    email: str = ""
    phone: str = ""
    consent_date: date | None = None
    notes: str = ""
    residence_id: uuid.UUID | None = None
    """居住自治体: the municipality the person lives in (issue 20)."""
    postal_code: str = ""
    address: str = ""
    single_name: bool | None = None
    """The user said the person has a single name (no 名), so an empty 名 is right. ``False``:
    a 名 is required; ``None``: not asked (imports, the command line) — an empty 名 is
    accepted. Nothing typed is ever dropped because of it (the form empties 名 itself)."""

    @classmethod
    def of(cls, row: Person) -> PersonDraft:
        """A draft holding ``row``'s current values (for editing)."""
        values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name != "single_name"}
        return cls(**values, single_name=not row.given_name)


def person_name(row: Person) -> str:
    """「山田 太郎」: family name first."""
    return display_name(row.family_name, row.given_name)


def person_reading(row: Person) -> str:
    """「やまだ たろう」."""
    return display_name(row.family_reading, row.given_reading)


class PersonService(RecordService[Person, PersonDraft]):
    """Use cases for people."""

    model = Person

    def find(
        self,
        search: str = "",
        *,
        category: str | None = None,
        organization_id: uuid.UUID | None = None,
        club_id: uuid.UUID | None = None,
        tag_id: uuid.UUID | None = None,
        deleted: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Person]:
        """People in 50音順 of family then given reading, filtered."""
        return self._page(_filtered(search, category, organization_id, club_id, deleted,
                                    tag_id), (Person.sort_key, Person.id), limit, offset)

    def count(
        self,
        search: str = "",
        *,
        category: str | None = None,
        organization_id: uuid.UUID | None = None,
        club_id: uuid.UUID | None = None,
        tag_id: uuid.UUID | None = None,
        deleted: bool = False,
    ) -> int:
        """How many people :meth:`find` would return without a limit."""
        return self._count(_filtered(search, category, organization_id, club_id, deleted,
                                     tag_id))

    def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Display names for a set of ids (deleted ones included)."""
        if not ids:
            return {}
        with self._ctx.reading() as session:
            rows = session.scalars(select(Person).where(Person.id.in_(ids)))
            return {row.id: person_name(row) for row in rows}

    def _clean(self, session: Session, draft: PersonDraft, current_id: uuid.UUID | None
               ) -> dict[str, object]:
        check = Checker()
        family = normalize_text(draft.family_name)
        given = normalize_text(draft.given_name)
        check.required("family_name", family, _("Family name"))
        if draft.single_name is False and family and not given:
            check.add("given_name", _(
                "Given name is required. For someone with a single name, tick 'No given "
                "name'."))
        family_reading = normalize_text(draft.family_reading)
        given_reading = normalize_text(draft.given_reading)
        check.kana("family_reading", family_reading, _("Family name reading (kana)"))
        check.kana("given_reading", given_reading, _("Given name reading (kana)"))
        category = normalize_text(draft.category)
        check.choice("category", category, PersonCategory, _("Category"))
        email = normalize_text(draft.email)
        check.email("email", email)
        if draft.organization_id is not None:
            organization = session.get(Organization, draft.organization_id)
            if organization is None or organization.deleted_at is not None:
                check.add("organization_id", _("The chosen organisation no longer exists."))
        residence = _check_residence(session, check, draft)
        values: dict[str, object] = {
            "family_name": family,
            "given_name": given,
            "family_reading": family_reading,
            "given_reading": given_reading,
            "category": category,
            "organization_id": draft.organization_id,
            "job_title": normalize_text(draft.job_title),
            "email": email,
            "phone": normalize_text(draft.phone),
            "consent_date": draft.consent_date,
            "notes": normalize_multiline(draft.notes),
            **residence,
        }
        check.limits("person", values)
        check.raise_if_any()
        return values


def _check_residence(session: Session, check: Checker, draft: PersonDraft
                     ) -> dict[str, object]:
    """居住自治体 (a municipality, not a prefecture or a company), postal code and address."""
    if draft.residence_id is not None:
        body = session.get(Organization, draft.residence_id)
        if body is None or body.deleted_at is not None:
            check.add("residence_id", _("The chosen municipality no longer exists."))
        elif body.kind != OrganizationKind.MUNICIPALITY.value:
            check.add("residence_id", _("The residence must be a municipality (市区町村); "
                                        "{name} is not one.").format(name=body.name))
    postal = normalize_text(draft.postal_code)
    if postal:
        try:
            postal = codes.normalize_postal_code(postal)
        except ValueError:
            check.add("postal_code", _("'{code}' is not a postal code (7 digits, e.g. "
                                       "071-1292).").format(code=draft.postal_code))
    address = normalize_text(draft.address)  # its length: check.limits("person", …)
    return {"residence_id": draft.residence_id, "postal_code": postal, "address": address}


def _filtered(
    search: str,
    category: str | None,
    organization_id: uuid.UUID | None,
    club_id: uuid.UUID | None,
    deleted: bool,
    tag_id: uuid.UUID | None = None,
) -> Select[Person]:
    query = select(Person).where(
        Person.deleted_at.is_not(None) if deleted else Person.deleted_at.is_(None)
    )
    key = search_key(search)
    if key:
        query = query.where(Person.search_key.like(f"%{escape_like(key)}%", escape="\\"))
    if category:
        query = query.where(Person.category == category)
    if organization_id is not None:
        query = query.where(Person.organization_id == organization_id)
    if club_id is not None:
        query = query.where(
            Person.id.in_(
                select(Membership.person_id).where(
                    Membership.club_id == club_id, Membership.deleted_at.is_(None)
                )
            )
        )
    if tag_id is not None:
        query = query.where(Person.id.in_(tagged_ids(tag_id)))
    return query
