"""Search functions for the pickers, built from the services (widgets never query)."""

from __future__ import annotations

from collections.abc import Hashable

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import municipalities
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import person_name
from kankei_desktop.core.vocabulary import OrganizationKind, label
from kankei_desktop.ui.widgets.record_picker import RecordPicker, SearchFunction

PICKER_LIMIT = 30


def municipality_label(full_name: str, code: str) -> str:
    """「北海道鷹栖町 (014524)」."""
    return f"{full_name} ({code})"


def search_municipalities(text: str) -> list[tuple[Hashable, str]]:
    """The master list: ``(code, label)``."""
    return [
        (entry.code, municipality_label(entry.full_name, entry.code))
        for entry in municipalities.search(text, PICKER_LIMIT)
    ]


def organization_search(services: Services, kind: str | None = None) -> SearchFunction:
    """A search function over the file's organisations: ``(id, "name — kind")``."""

    def search(text: str) -> list[tuple[Hashable, str]]:
        rows = services.organizations.find(text, kind=kind, limit=PICKER_LIMIT)
        return [(row.id, organization_label(row.name, row.kind)) for row in rows]

    return search


def organization_choice_errors(picker: RecordPicker) -> list[tuple[str, str]]:
    """The ``organization_id`` message while the picker holds text that matched nothing."""
    if picker.has_unmatched_text():
        return [("organization_id", _("Choose the organisation from the list that opens "
                                      "while you type, or clear the field."))]
    return []


def organization_label(name: str, kind: str) -> str:
    """「鷹栖町 — 自治体」."""
    try:
        return f"{name} — {label(OrganizationKind(kind))}"
    except ValueError:
        return name


def person_search(services: Services) -> SearchFunction:
    """A search function over the file's people: ``(id, "山田 太郎")``."""

    def search(text: str) -> list[tuple[Hashable, str]]:
        rows = services.people.find(text, limit=PICKER_LIMIT)
        return [(row.id, person_name(row)) for row in rows]

    return search
