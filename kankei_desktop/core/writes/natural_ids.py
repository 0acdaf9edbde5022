"""Ids that every replica derives identically from a natural key (uuid5).

Rows that describe the same real thing everywhere — a public body by its 全国地方公共団体コード,
an attendance pair, a membership, a partner link, a follow-up's participant, a club's targets for
a 年度 — get their id from that key, so independent creations on two PCs meet in one row.
"""

from __future__ import annotations

import uuid
from datetime import date

from kankei_desktop.core.ids import municipality_uuid as municipality_uuid
from kankei_desktop.core.ids import natural_uuid
from kankei_desktop.core.japan.text import search_key

#: Tables whose ids derive from two of their fields: ``natural_uuid(table, first, second)``.
NATURAL_KEYS: dict[str, tuple[str, str]] = {
    "attendance": ("meeting_id", "person_id"),
    "membership": ("club_id", "person_id"),
    "club_partner": ("club_id", "organization_id"),
    "interaction_person": ("interaction_id", "person_id"),
    "kpi_target": ("club_id", "fiscal_year"),
    "registration": ("person_id", "municipality_id"),
    "survey_answer": ("response_id", "question_id"),
    "tag_link": ("tag_id", "target_id"),
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


def registration_uuid(person_id: uuid.UUID, municipality_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives a person's ふるさと住民登録 with a municipality."""
    return natural_id("registration", person_id, municipality_id)


# --- surveys (issue 19) ----------------------------------------------------------------------


def meeting_survey_uuid(meeting_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives a session's own survey (one per session)."""
    return natural_uuid("survey", "meeting", meeting_id)


def club_survey_uuid(club_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives a club's survey (one per club, reused by its sessions)."""
    return natural_uuid("survey", "club", club_id)


def imported_question_uuid(survey_id: uuid.UUID, header_key: str) -> uuid.UUID:
    """The id of a question an import created from a column header (its search key plus the
    header's occurrence), so the same export imported on two PCs makes one question."""
    return natural_uuid("survey_question", survey_id, header_key)


def imported_response_uuid(survey_id: uuid.UUID, meeting_id: uuid.UUID, row_key: str
                           ) -> uuid.UUID:
    """The id of an imported response: survey, session, and the row's timestamp, content hash
    and occurrence (``row_key``), so importing a file twice changes nothing."""
    return natural_uuid("survey_response", survey_id, meeting_id, row_key)


def answer_uuid(response_id: uuid.UUID, question_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives the answer of a response to a question."""
    return natural_id("survey_answer", response_id, question_id)
# -- outcomes (issue 17): ids derived at creation; the fields may be edited later, so the
# bundle verifier does not check them (they are not in NATURAL_KEYS) ------------------------


def matching_uuid(party_id: uuid.UUID, host_id: uuid.UUID | None, kind: str,
                  made_on: date | None) -> uuid.UUID:
    """The id a new matching of ``party_id`` (person or organisation) with ``host_id`` of
    ``kind`` made on ``made_on`` gets on every replica (and on every import of the list)."""
    return natural_uuid("matching", party_id, host_id or "", kind,
                        made_on.isoformat() if made_on else "")


def kpi_measure_uuid(club_id: uuid.UUID | None, fiscal_year: int, measure: str,
                     parameter: str = "", label: str = "") -> uuid.UUID:
    """The id of a new KPI: a club's (or, with ``club_id`` None, the programme's) measure
    for a 年度; a value typed in is told apart by its label."""
    return natural_uuid("kpi", club_id or "", fiscal_year, measure, parameter,
                        search_key(label))


def tag_uuid(name: str) -> uuid.UUID:
    """The id a new tag called ``name`` gets (width, kana and case ignored)."""
    return natural_uuid("tag", search_key(name))


def tag_link_uuid(tag_id: uuid.UUID, target_id: uuid.UUID) -> uuid.UUID:
    """The id every replica gives tag ``tag_id`` on record ``target_id``."""
    return natural_id("tag_link", tag_id, target_id)
