"""``kankei dump``: a canonical JSON of every live record, identical on replicas that agree.

Only exchanged fields appear (no replica id, clocks, timestamps, causal length, search or
sort keys); tables and rows are sorted, keys are sorted, so two files holding the same data
print the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.rows import storage_rows
from kankei_desktop.sync.schema import table_specs


def dump_data(services: Services) -> dict[str, list[dict[str, Any]]]:
    """Table name → live rows (as exchanged values), sorted by id."""
    result: dict[str, list[dict[str, Any]]] = {}
    with services.context.reading() as session:
        raw = storage_rows(session)
        for spec in table_specs():
            names = ["id", *spec.field_names]
            rows = raw.execute(f"SELECT {', '.join(names)} FROM {spec.name} "
                               "WHERE deleted_at IS NULL ORDER BY id")
            result[spec.name] = [dict(zip(names, row, strict=True)) for row in rows]
    return result


def dump_text(services: Services) -> str:
    """The canonical JSON text (UTF-8, sorted, one space indentation)."""
    return json.dumps(dump_data(services), ensure_ascii=False, sort_keys=True, indent=1)
