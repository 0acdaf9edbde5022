"""Ids derived from natural keys (uuid5), without the models (light to import)."""

from __future__ import annotations

import uuid

#: Namespace for UUIDs derived from natural keys (uuid5). Never change it.
NATURAL_KEY_NAMESPACE = uuid.UUID("6f1d3c1e-9a7b-5b0e-8f53-6b616e6b6569")


def natural_uuid(*parts: object) -> uuid.UUID:
    """A UUID that every replica derives identically from a natural key."""
    return uuid.uuid5(NATURAL_KEY_NAMESPACE, "|".join(str(part) for part in parts))


def municipality_uuid(lgcode: str) -> uuid.UUID:
    """The id every replica gives the organisation of a public body with this code."""
    return natural_uuid("organization", "lgcode", lgcode)
