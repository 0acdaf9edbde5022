"""団体: create, edit, delete/restore, list and search organisations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import NotFoundError, ValidationError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import codes, municipalities
from kankei_desktop.core.japan.text import normalize_multiline, normalize_text, search_key
from kankei_desktop.core.models import Organization
from kankei_desktop.core.services.context import escape_like, live
from kankei_desktop.core.services.records import RecordService
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import OrganizationKind
from kankei_desktop.core.writes.natural_ids import municipality_uuid

PUBLIC_BODIES = (OrganizationKind.MUNICIPALITY, OrganizationKind.PREFECTURE)


@dataclass
class OrganizationDraft:
    """The editable fields of an organisation."""

    kind: str
    name: str
    reading: str = ""
    lgcode: str | None = None
    corporate_number: str | None = None
    postal_code: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    contact_person: str = ""
    municipality_id: uuid.UUID | None = None
    notes: str = ""

    @classmethod
    def of(cls, row: Organization) -> OrganizationDraft:
        """A draft holding ``row``'s current values (for editing)."""
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


class OrganizationService(RecordService[Organization, OrganizationDraft]):
    """Use cases for organisations."""

    model = Organization

    def _new_row(self, session: Session, draft: OrganizationDraft) -> Organization:
        """A new organisation; a public body gets its natural id, and one deleted earlier
        comes back instead of being duplicated."""
        values = self._clean(session, draft, None)
        lgcode = values["lgcode"]
        if not (isinstance(lgcode, str) and values["kind"] in PUBLIC_BODIES):
            return self._writes.add(session, Organization(id=uuid.uuid4(), **values))
        row_id = municipality_uuid(lgcode)
        existing = session.get(Organization, row_id)
        if existing is None:
            return self._writes.add(session, Organization(id=row_id, **values))
        self._writes.revive(existing)
        self._writes.change(existing, values)
        return existing

    def ensure_municipality(self, code: str) -> Organization:
        """The organisation for a public body from the master list, created if needed."""
        entry = municipalities.by_code(code)
        if entry is None:
            raise ValidationError(
                [("lgcode", _("No municipality has the code '{code}'. Check the 6-digit "
                              "local government code.").format(code=code))]
            )
        existing = self.find_by_lgcode(entry.code)
        if existing is not None:
            return existing
        kind = (
            OrganizationKind.PREFECTURE if entry.kind == "prefecture"
            else OrganizationKind.MUNICIPALITY
        )
        return self.create(
            OrganizationDraft(
                kind=kind, name=entry.full_name, reading=entry.full_reading, lgcode=entry.code
            )
        )

    # -- reading -----------------------------------------------------------------------

    def find_by_lgcode(self, code: str) -> Organization | None:
        """The live organisation of a public body, if it is in the file."""
        with self._ctx.reading() as session:
            row = session.get(Organization, municipality_uuid(code))
            if row is not None and row.deleted_at is None:
                return row
            # A body typed in by hand and given its code later keeps its random id.
            return session.scalars(
                select(Organization)
                .where(Organization.lgcode == code, live(Organization))
                .order_by(Organization.created_at)
            ).first()

    def find(
        self,
        search: str = "",
        *,
        kind: str | None = None,
        municipality_id: uuid.UUID | None = None,
        deleted: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Organization]:
        """Organisations in 50音順 of their reading, filtered."""
        return self._page(_filtered(search, kind, municipality_id, deleted),
                          (Organization.sort_key, Organization.id), limit, offset)

    def count(
        self,
        search: str = "",
        *,
        kind: str | None = None,
        municipality_id: uuid.UUID | None = None,
        deleted: bool = False,
    ) -> int:
        """How many organisations :meth:`find` would return without a limit."""
        return self._count(_filtered(search, kind, municipality_id, deleted))

    def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Display names for a set of ids (deleted ones included)."""
        if not ids:
            return {}
        with self._ctx.reading() as session:
            rows = session.execute(
                select(Organization.id, Organization.name).where(Organization.id.in_(ids))
            )
            return {row_id: name for row_id, name in rows}

    def municipality_codes(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
        """(name, 全国地方公共団体コード) of those of ``ids`` that have a code, in one query."""
        if not ids:
            return {}
        with self._ctx.reading() as session:
            rows = session.execute(
                select(Organization.id, Organization.name, Organization.lgcode).where(
                    Organization.id.in_(ids), Organization.lgcode.is_not(None),
                    Organization.lgcode != ""))
            return {row_id: (name, code or "") for row_id, name, code in rows}

    # -- validation ----------------------------------------------------------------------

    def _clean(
        self, session: Session, draft: OrganizationDraft, current_id: uuid.UUID | None
    ) -> dict[str, object]:
        check = Checker()
        name = normalize_text(draft.name)
        kind = normalize_text(draft.kind)
        check.required("name", name, _("Name"))
        check.choice("kind", kind, OrganizationKind, _("Kind"))
        lgcode = normalize_text(draft.lgcode or "") or None
        if lgcode is not None:
            try:
                lgcode = codes.normalize_lgcode(lgcode)
            except ValueError:
                check.add(
                    "lgcode",
                    _("'{code}' is not a valid local government code (6 digits with a correct "
                      "check digit, e.g. 014524).").format(code=draft.lgcode),
                )
                lgcode = None
        if lgcode is not None:
            clash = session.scalar(
                select(Organization.id).where(
                    Organization.lgcode == lgcode,
                    live(Organization),
                    Organization.id != (current_id or uuid.UUID(int=0)),
                )
            )
            if clash is not None:
                check.add(
                    "lgcode",
                    _("Another organisation already has the code {code}.").format(code=lgcode),
                )
        corporate = normalize_text(draft.corporate_number or "") or None
        if corporate is not None:
            try:
                corporate = codes.normalize_corporate_number(corporate)
            except ValueError:
                check.add(
                    "corporate_number",
                    _("'{number}' is not a valid corporate number (13 digits whose first digit "
                      "is the check digit).").format(number=draft.corporate_number),
                )
        postal = normalize_text(draft.postal_code)
        if postal:
            try:
                postal = codes.normalize_postal_code(postal)
            except ValueError:
                check.add(
                    "postal_code",
                    _("'{code}' is not a postal code (7 digits, e.g. 071-1292).").format(
                        code=draft.postal_code
                    ),
                )
        email = normalize_text(draft.email)
        check.email("email", email)
        if draft.municipality_id is not None:
            location = session.get(Organization, draft.municipality_id)
            if location is None or location.deleted_at is not None:
                check.add("municipality_id", _("The chosen municipality no longer exists."))
        check.kana("reading", normalize_text(draft.reading), _("Reading (kana)"))
        values: dict[str, object] = {
            "kind": kind,
            "name": name,
            "reading": normalize_text(draft.reading),
            "lgcode": lgcode,
            "corporate_number": corporate,
            "postal_code": postal,
            "address": normalize_text(draft.address),
            "phone": normalize_text(draft.phone),
            "email": email,
            "website": normalize_text(draft.website),
            "contact_person": normalize_text(draft.contact_person),
            "municipality_id": draft.municipality_id,
            "notes": normalize_multiline(draft.notes),
        }
        check.limits("organization", values)
        check.raise_if_any()
        return values


def _filtered(
    search: str, kind: str | None, municipality_id: uuid.UUID | None, deleted: bool
) -> Select[Organization]:
    query = select(Organization)
    query = query.where(
        Organization.deleted_at.is_not(None) if deleted else Organization.deleted_at.is_(None)
    )
    key = search_key(search)
    if key:
        query = query.where(Organization.search_key.like(f"%{escape_like(key)}%", escape="\\"))
    if kind:
        query = query.where(Organization.kind == kind)
    if municipality_id is not None:
        query = query.where(
            (Organization.municipality_id == municipality_id) | (Organization.id == municipality_id)
        )
    return query


__all__ = ["NotFoundError", "OrganizationDraft", "OrganizationService"]
