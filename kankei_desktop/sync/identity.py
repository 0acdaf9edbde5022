"""The name of this copy (「鷹栖町役場 企画課」), shown to colleagues in their peer list.

The user chooses it once (the 同期 page asks at the first export; ``kankei replica-name``)
and it is stored in the file. It travels in every bundle's clear-text manifest, so it is
never taken from the operating system: the account and computer names say who sits at which
PC to anyone who finds a bundle. Until a name is chosen, the copy is called after its
replica id, which the manifest carries anyway.
"""

from __future__ import annotations

import unicodedata

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.field_limits import check_other
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Meta
from kankei_desktop.core.services import Services

NAME_KEY = "replica_name"


def stored_replica_name(services: Services) -> str:
    """The name the user chose ("" when none was)."""
    with services.context.reading() as session:
        row = session.get(Meta, NAME_KEY)
        return row.value if row is not None else ""


def has_replica_name(services: Services) -> bool:
    """Whether the user has named this copy."""
    return bool(stored_replica_name(services))


def replica_name(services: Services) -> str:
    """The chosen name, else ``Kankei Desktop`` and the start of the replica id."""
    return stored_replica_name(services) or unnamed(services)


def unnamed(services: Services) -> str:
    """What colleagues see for a copy not named yet."""
    return f"Kankei Desktop {services.context.replica_id.hex[:8]}"


def clean_replica_name(name: str) -> str:
    """The name as stored; :class:`ValidationError` when it cannot be one."""
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned:
        raise ValidationError([(NAME_KEY, _(
            "The name of this copy is empty. Give a name colleagues will recognise, such as "
            "the office and section (鷹栖町役場 企画課)."))])
    if any(unicodedata.category(ch)[0] == "C" for ch in cleaned):
        raise ValidationError([(NAME_KEY, _(
            "The name of this copy contains line breaks or control characters. Write it on "
            "one line."))])
    too_long = check_other(NAME_KEY, cleaned)
    if too_long is not None:
        raise ValidationError([(NAME_KEY, too_long.message)])
    return cleaned


def set_replica_name(services: Services, name: str) -> str:
    """Store the name colleagues will see; return it as stored."""
    cleaned = clean_replica_name(name)
    with services.context.transaction() as session:
        row = session.get(Meta, NAME_KEY)
        if row is None:
            session.add(Meta(key=NAME_KEY, value=cleaned))
        else:
            row.value = cleaned
    return cleaned
