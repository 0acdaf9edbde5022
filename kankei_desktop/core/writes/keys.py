"""Derived key columns: how a row is found (``search_key``) and sorted (``sort_key``).

They are computed from the row's own fields, never typed or exchanged: whoever writes a row —
a service, an import, the bundle merge — gets them from :func:`derived_keys`, so a merged or
imported row is found and sorted exactly like one typed in here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kankei_desktop.core.japan.text import name_collation_key, reading_collation_key, search_key

#: Bump whenever a key rule or the text functions behind it change: rows arriving in a bundle
#: made with another version get their keys made again here (stored rows by a migration).
KEY_VERSION = 1


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    return value if isinstance(value, str) else ""


def _joined(*keys: str) -> str:
    return "\n".join(key for key in keys if key)


def _organization(values: Mapping[str, Any]) -> tuple[str, ...]:
    name, reading = _text(values, "name"), _text(values, "reading")
    return (_joined(search_key(name), search_key(reading), _text(values, "lgcode")),
            reading_collation_key(reading or name))


def _person(values: Mapping[str, Any]) -> tuple[str, ...]:
    family, given = _text(values, "family_name"), _text(values, "given_name")
    family_reading = _text(values, "family_reading")
    given_reading = _text(values, "given_reading")
    return (_joined(search_key(family + given), search_key(family_reading + given_reading),
                    search_key(_text(values, "email"))),
            name_collation_key(family_reading or family, given_reading or given))


def _club(values: Mapping[str, Any]) -> tuple[str, ...]:
    name, reading = _text(values, "name"), _text(values, "reading")
    return (_joined(search_key(name), search_key(reading), search_key(_text(values, "theme"))),
            reading_collation_key(reading or name))


def _meeting(values: Mapping[str, Any]) -> tuple[str, ...]:
    return (_joined(search_key(_text(values, "title")), search_key(_text(values, "place"))),)


def _tag(values: Mapping[str, Any]) -> tuple[str, ...]:
    name = _text(values, "name")
    return (search_key(name), reading_collation_key(name))


@dataclass(frozen=True)
class KeyRule:
    """The derived columns of one table and how they are computed from its fields."""

    columns: tuple[str, ...]
    compute: Callable[[Mapping[str, Any]], tuple[str, ...]]


#: Table name → its derived key columns. A table not listed has none.
KEY_RULES: dict[str, KeyRule] = {
    "organization": KeyRule(("search_key", "sort_key"), _organization),
    "person": KeyRule(("search_key", "sort_key"), _person),
    "club": KeyRule(("search_key", "sort_key"), _club),
    "meeting": KeyRule(("search_key",), _meeting),
    "tag": KeyRule(("search_key", "sort_key"), _tag),
}


def key_columns(table: str) -> tuple[str, ...]:
    """The derived columns of ``table`` (empty for a table without keys)."""
    rule = KEY_RULES.get(table)
    return rule.columns if rule is not None else ()


def derived_values(table: str, values: Mapping[str, Any]) -> tuple[str, ...]:
    """The derived columns' values (in :func:`key_columns` order) for a row's ``values``."""
    rule = KEY_RULES.get(table)
    return rule.compute(values) if rule is not None else ()


def derived_keys(table: str, values: Mapping[str, Any]) -> dict[str, str]:
    """Derived column → value for a row's ``values``."""
    rule = KEY_RULES.get(table)
    if rule is None:
        return {}
    return dict(zip(rule.columns, rule.compute(values), strict=True))


class _Attributes(Mapping[str, Any]):
    """An object's attributes read as a mapping (for ORM rows)."""

    def __init__(self, row: object) -> None:
        self._row = row

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self._row, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Any:  # pragma: no cover - key rules only look names up
        return iter(())

    def __len__(self) -> int:  # pragma: no cover
        return 0


def refresh_keys(table: str, row: object) -> None:
    """Set ``row``'s derived columns from its current fields (an ORM row or any object)."""
    for column, value in derived_keys(table, _Attributes(row)).items():
        setattr(row, column, value)
