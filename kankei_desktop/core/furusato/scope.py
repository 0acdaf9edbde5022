"""The municipality a status or certificate is about: its code, name and the organisations in
the file that stand for it (a designated city with its wards)."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import codes, municipalities
from kankei_desktop.core.japan.municipalities import MunicipalityEntry
from kankei_desktop.core.models import Organization


@dataclass(frozen=True)
class MunicipalityScope:
    """A municipality as counted: ``codes`` are its own and its wards' codes,
    ``organization_ids`` every organisation of the file with one of them (deleted ones too:
    a person still lives where a deleted record says)."""

    code: str
    name: str
    full_name: str
    codes: frozenset[str]
    organization_ids: frozenset[uuid.UUID]

    @property
    def in_file(self) -> bool:
        """Some organisation of the file stands for the municipality."""
        return bool(self.organization_ids)


def normalized_code(text: str) -> str:
    """A 6-digit local government code with a correct check digit, else a
    :class:`ValidationError` with one sentence."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not codes.is_valid_lgcode(cleaned):
        raise ValidationError([("municipality", _(
            "'{code}' is not a valid local government code (6 digits with a correct check "
            "digit, e.g. 014524).").format(code=text))])
    return cleaned


@cache
def ward_codes(code: str) -> frozenset[str]:
    """The codes of a designated city's wards (empty for any other body)."""
    city = municipalities.by_code(code)
    if city is None or city.kind != "municipality":
        return frozenset()
    return frozenset(entry.code for entry in municipalities.all_entries()
                     if entry.kind == "ward" and entry.prefecture_code == city.prefecture_code
                     and entry.name.startswith(city.name))


def scope_for(session: Session, code: str) -> MunicipalityScope:
    """The scope of the municipality with ``code`` (validated: 6 digits and check digit)."""
    normal = normalized_code(code)
    wanted = frozenset({normal, *ward_codes(normal)})
    rows = session.execute(select(Organization.id, Organization.name, Organization.lgcode,
                                  Organization.deleted_at)
                           .where(Organization.lgcode.in_(sorted(wanted)))).all()
    entry: MunicipalityEntry | None = municipalities.by_code(normal)
    if entry is not None:
        name, full_name = entry.name, entry.full_name
    else:  # a code the master list does not know (a body merged away): the file's name
        own = [row for row in rows if row.lgcode == normal]
        live = [row for row in own if row.deleted_at is None]
        name = full_name = (live or own)[0].name if own else normal
    return MunicipalityScope(normal, name, full_name, wanted,
                             frozenset(row.id for row in rows))
