"""Ids that every replica derives identically from a natural key (uuid5).

Rows that describe the same real thing everywhere — a public body by its 全国地方公共団体コード,
an attendance pair, a membership, a partner link, a follow-up's participant, a club's targets for
a 年度 — get their id from that key, so independent creations on two PCs meet in one row.
"""

from __future__ import annotations

import uuid

from kankei_desktop.core.models import natural_uuid

#: Tables whose ids derive from two of their fields: ``natural_uuid(table, first, second)``.
NATURAL_KEYS: dict[str, tuple[str, str]] = {
    "attendance": ("meeting_id", "person_id"),
    "membership": ("club_id", "person_id"),
    "club_partner": ("club_id", "organization_id"),
    "interaction_person": ("interaction_id", "person_id"),
    "kpi_target": ("club_id", "fiscal_year"),
    "registration": ("person_id", "municipality_id"),
}


def natural_id(table: str, first: object, second: object) -> uuid.UUID:
    """The id of the ``table`` row whose natural key (see :data:`NATURAL_KEYS`) is the pair."""
    return natural_uuid(table, first, second)


def attendance_uuid(meeting_id: uuid.UUID, person_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives the attendance of ``person_id`` at ``meeting_id``."""
    return natural_id("attendance", meeting_id, person_id)


def membership_uuid(club_id: uuid.UUID, person_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives the membership of ``person_id`` in ``club_id``."""
    return natural_id("membership", club_id, person_id)


def partner_uuid(club_id: uuid.UUID, organization_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives a club's partner organisation link."""
    return natural_id("club_partner", club_id, organization_id)


def interaction_person_uuid(interaction_id: uuid.UUID, person_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives a follow-up's participant."""
    return natural_id("interaction_person", interaction_id, person_id)


def kpi_uuid(club_id: uuid.UUID, fiscal_year: int) -> uuid.UUID:
    """The id every replica gives a club's targets for a fiscal year."""
    return natural_id("kpi_target", club_id, fiscal_year)


def municipality_uuid(lgcode: str) -> uuid.UUID:
    """The id every replica gives the organisation of a public body with this code."""
    return natural_uuid("organization", "lgcode", lgcode)


def registration_uuid(person_id: uuid.UUID, municipality_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives a person's ふるさと住民登録 with a municipality."""
    return natural_id("registration", person_id, municipality_id)
