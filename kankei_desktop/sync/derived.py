"""Search and sort keys, recomputed locally for rows that a merge inserts or changes.

They are derived from exchanged fields with the same functions the services use, so a merged
row is found and sorted exactly like one typed in here.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from kankei_desktop.core.services import clubs, meetings, organizations, people

DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "organization": ("search_key", "sort_key"),
    "person": ("search_key", "sort_key"),
    "club": ("search_key", "sort_key"),
    "meeting": ("search_key",),
}

REFRESH: dict[str, Callable[[Any], None]] = {
    "organization": organizations._refresh_keys,
    "person": people._refresh_keys,
    "club": clubs._refresh_keys,
}


def derived_values(table: str, values: dict[str, Any]) -> tuple[Any, ...]:
    """The derived key columns of ``table`` (see :data:`DERIVED_COLUMNS`) for ``values``."""
    if table == "meeting":
        row = SimpleNamespace(title=values.get("title") or "", place=values.get("place") or "")
        return (meetings._meeting_key(row),)  # type: ignore[arg-type]
    refresh = REFRESH.get(table)
    if refresh is None:
        return ()
    row = SimpleNamespace(**{key: ("" if value is None and key != "lgcode" else value)
                             for key, value in values.items()})
    refresh(row)
    return (row.search_key, row.sort_key)
