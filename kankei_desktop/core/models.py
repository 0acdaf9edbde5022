"""The domain as SQLAlchemy 2 typed models.

Every synced row carries a UUID primary key, created/updated stamps, the replica that last
changed it, a hybrid-logical-clock stamp of that change and a tombstone (``deleted_at`` plus a
causal length: odd = alive, even = deleted), so the sync code can merge files without
rewriting the schema. Rows that describe the same real thing on every replica (a
municipality, an attendance pair, a membership, a KPI target) get UUIDs derived from their
natural key, so independent creations meet in one row.

Text columns hold normalised text; ``*_key`` columns hold derived search and 50音 sort keys
that the services keep up to date.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kankei_desktop.core.ids import NATURAL_KEY_NAMESPACE as NATURAL_KEY_NAMESPACE
from kankei_desktop.core.ids import natural_uuid as natural_uuid

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

class Base(DeclarativeBase):
    """Declarative base with the shared type map and constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        uuid.UUID: Uuid(),
        datetime: DateTime(),
        date: Date(),
        time: Time(),
        str: String(),
    }


class Synced:
    """Columns every synced row carries (see the module docstring)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    replica_id: Mapped[uuid.UUID]
    hlc: Mapped[str] = mapped_column(String(40), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    causal_length: Mapped[int] = mapped_column(Integer, default=1)

    @property
    def is_deleted(self) -> bool:
        """Tombstoned (shown only under the 削除済み filter)."""
        return self.deleted_at is not None


class Meta(Base):
    """Facts about this file: replica id, schema version, the fingerprint of its origin."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Organization(Synced, Base):
    """団体: municipality, prefecture, company, intermediary, NPO, school or other."""

    __tablename__ = "organization"

    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    reading: Mapped[str] = mapped_column(String(200), default="")
    lgcode: Mapped[str | None] = mapped_column(String(6), default=None)
    corporate_number: Mapped[str | None] = mapped_column(String(13), default=None)
    postal_code: Mapped[str] = mapped_column(String(8), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    contact_person: Mapped[str] = mapped_column(String(100), default="")
    municipality_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id"), default=None
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[str] = mapped_column(String(600), default="")
    sort_key: Mapped[str] = mapped_column(String(600), default="")

    __table_args__ = (
        Index("ix_organization_sort", "sort_key"),
        Index("ix_organization_lgcode", "lgcode"),
    )


class Person(Synced, Base):
    """人: a participant, coordinator or contact. 姓・名 and their readings kept apart."""

    __tablename__ = "person"

    family_name: Mapped[str] = mapped_column(String(100))
    given_name: Mapped[str] = mapped_column(String(100), default="")
    family_reading: Mapped[str] = mapped_column(String(100), default="")
    given_reading: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(20))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id"), default=None
    )
    job_title: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    consent_date: Mapped[date | None] = mapped_column(default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # 居住自治体 and the address for letters (issue 20: ふるさと住民登録)
    residence_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id"), default=None)
    postal_code: Mapped[str] = mapped_column(String(8), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    search_key: Mapped[str] = mapped_column(String(600), default="")
    sort_key: Mapped[str] = mapped_column(String(600), default="")

    __table_args__ = (
        Index("ix_person_sort", "sort_key", "id", "deleted_at", "search_key", "category"),
        Index("ix_person_organization", "organization_id"),
        Index("ix_person_figures", "id", "deleted_at", "category", "organization_id"),
        Index("ix_person_name", "family_name", "given_name", "family_reading", "given_reading",
              "deleted_at", "sort_key"),
    )


class Club(Synced, Base):
    """クラブ: a continuing group in one host municipality with partner organisations."""

    __tablename__ = "club"

    name: Mapped[str] = mapped_column(String(200))
    reading: Mapped[str] = mapped_column(String(200), default="")
    host_municipality_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id"), default=None
    )
    theme: Mapped[str] = mapped_column(String(300), default="")
    start_date: Mapped[date | None] = mapped_column(default=None)
    end_date: Mapped[date | None] = mapped_column(default=None)
    stage: Mapped[str] = mapped_column(String(20), default="visualise")
    coordinator_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id"), default=None
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    #: 1: new sessions of the club are 担い手活動 by default (issue 20).
    designates_activities: Mapped[int] = mapped_column(Integer, default=0)
    search_key: Mapped[str] = mapped_column(String(600), default="")
    sort_key: Mapped[str] = mapped_column(String(600), default="")

    __table_args__ = (Index("ix_club_sort", "sort_key"),)


class ClubPartner(Synced, Base):
    """A partner organisation of a club (id derived from club × organisation)."""

    __tablename__ = "club_partner"

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("club.id"))
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organization.id"))

    __table_args__ = (UniqueConstraint("club_id", "organization_id"),)


class Membership(Synced, Base):
    """メンバー: a person in a club with a role (id derived from club × person)."""

    __tablename__ = "membership"

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("club.id"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    role: Mapped[str] = mapped_column(String(20), default="member")
    joined_on: Mapped[date | None] = mapped_column(default=None)
    left_on: Mapped[date | None] = mapped_column(default=None)

    __table_args__ = (
        UniqueConstraint("club_id", "person_id"),
        Index("ix_membership_person", "person_id"),
    )


class Meeting(Synced, Base):
    """セッション (not ``Session``: that is SQLAlchemy's unit of work)."""

    __tablename__ = "meeting"

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("club.id"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="session")
    date: Mapped[date]
    start_time: Mapped[time | None] = mapped_column(default=None)
    end_time: Mapped[time | None] = mapped_column(default=None)
    format: Mapped[str] = mapped_column(String(20), default="online")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    tool: Mapped[str] = mapped_column(String(40), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    series_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    #: 1: a 担い手活動 designated by the host municipality (issue 20; counted when held).
    designated: Mapped[int] = mapped_column(Integer, default=0)
    search_key: Mapped[str] = mapped_column(String(600), default="")

    __table_args__ = (
        Index("ix_meeting_date_status", "date", "status"),
        # Covers the figures' count of held sessions per club, month and kind (0009).
        Index("ix_meeting_club_date", "club_id", "date", "status", "deleted_at", "kind",
              "format"),
    )


class Attendance(Synced, Base):
    """出欠: one row per meeting × person (id derived from the pair)."""

    __tablename__ = "attendance"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(20), default="attended")
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id"),
        Index("ix_attendance_person", "person_id", "status"),
        Index("ix_attendance_figures", "meeting_id", "status", "deleted_at", "person_id"),
    )


class Interaction(Synced, Base):
    """交流記録: a follow-up contact after sessions."""

    __tablename__ = "interaction"

    date: Mapped[date]
    channel: Mapped[str] = mapped_column(String(20), default="other")
    club_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("club.id"), default=None)
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meeting.id"), default=None)
    summary: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_interaction_date", "date"),)


class InteractionPerson(Synced, Base):
    """A person who took part in a follow-up (id derived from interaction × person)."""

    __tablename__ = "interaction_person"

    interaction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("interaction.id"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))

    __table_args__ = (UniqueConstraint("interaction_id", "person_id"),)


class KpiTarget(Synced, Base):
    """目標: a club's targets for one fiscal year (id derived from club × year)."""

    __tablename__ = "kpi_target"

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("club.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    target_meetings: Mapped[int | None] = mapped_column(Integer, default=None)
    target_person_times: Mapped[int | None] = mapped_column(Integer, default=None)
    target_unique_persons: Mapped[int | None] = mapped_column(Integer, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("club_id", "fiscal_year"),)


class FirstAttendance(Base):
    """Derived, never synced: a person's first counted session of a club.

    Kept by triggers (:mod:`kankei_desktop.core.figures.triggers`) on every write to
    attendance and meetings, so 新規 is counted without reading whole histories; tombstones of
    people and clubs are applied by the figures when reading.
    """

    __tablename__ = "first_attendance"

    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    club_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    first_date: Mapped[date]

    __table_args__ = (
        Index("ix_first_attendance_date", "first_date", "club_id", "person_id"),
        {"sqlite_with_rowid": False},
    )


class FirstAttendancePerson(Base):
    """Derived, never synced: a person's first attended held session of any live club.

    Kept by triggers on ``first_attendance`` and clubs
    (:mod:`kankei_desktop.core.figures.triggers`).
    """

    __tablename__ = "first_attendance_person"

    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    first_date: Mapped[date]

    __table_args__ = (
        Index("ix_first_attendance_person_date", "first_date", "person_id"),
        {"sqlite_with_rowid": False},
    )


class FirstAttendanceHost(Base):
    """Derived, never synced: a person's first session per host municipality ('' = none)."""

    __tablename__ = "first_attendance_host"

    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    host_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_date: Mapped[date]

    __table_args__ = (
        Index("ix_first_attendance_host_date", "first_date", "host_id", "person_id"),
        {"sqlite_with_rowid": False},
    )


class FigurePresence(Base):
    """Derived, never synced: how often a person attended in a 年度, as a whole (kind ``t``)
    and per club (``c``), host municipality (``h``), month (``m``) and kind of session
    (``k``); ``r`` counts the rows recorded at all (attended, absent, excused).

    Kept by triggers for every year (:mod:`kankei_desktop.core.figures.triggers`).
    """

    __tablename__ = "figure_presence"

    fy: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)


class FigureCount(Base):
    """Derived, never synced: ``figure_presence`` summed per 年度, kind, key, category and (kind
    ``t``) organisation over live people (:mod:`kankei_desktop.core.figures.aggregates`)."""

    __tablename__ = "figure_count"

    fy: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    org: Mapped[str] = mapped_column(String(32), primary_key=True)
    persons: Mapped[int] = mapped_column(Integer)
    times: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)


class FigureSpan(Base):
    """Derived, never synced: the 年度 (a bit mask) in which a person is present per presence
    kind and key (:mod:`kankei_desktop.core.figures.aggregates`)."""

    __tablename__ = "figure_span"

    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    years: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)


class FigureSpanCount(Base):
    """Derived, never synced: live people per presence kind, key, category, organisation
    (kind ``t``) and set of 年度 (:mod:`kankei_desktop.core.figures.aggregates`)."""

    __tablename__ = "figure_span_count"

    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    org: Mapped[str] = mapped_column(String(32), primary_key=True)
    years: Mapped[int] = mapped_column(Integer, primary_key=True)
    persons: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)


class FigureFirstCount(Base):
    """Derived, never synced: live people whose first session (overall ``n``, of a host
    ``h``, of a club ``c``) falls in a month, by category
    (:mod:`kankei_desktop.core.figures.first_counts`)."""

    __tablename__ = "figure_first_count"

    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    persons: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)


SYNCED_MODELS: tuple[type[Synced], ...] = (
    Organization,
    Person,
    Club,
    ClubPartner,
    Membership,
    Meeting,
    Attendance,
    Interaction,
    InteractionPerson,
    KpiTarget,
)


# --- furusato (issue 20) ----------------------------------------------------------------------


class Registration(Synced, Base):
    """ふるさと住民登録: a person registered with a municipality (id derived from the pair).

    ``tier`` is ``basic`` or ``premium``; ``renewal_due`` is a year after ``registered_on``
    by default; ``status`` is ``active``, ``lapsed`` or ``withdrawn``
    (:class:`~kankei_desktop.core.vocabulary.RegistrationStatus`).
    """

    __tablename__ = "registration"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    municipality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organization.id"))
    tier: Mapped[str] = mapped_column(String(20), default="basic")
    registered_on: Mapped[date]
    renewal_due: Mapped[date | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(20), default="active")
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("person_id", "municipality_id"),
        Index("ix_registration_municipality", "municipality_id", "status"),
    )


SYNCED_MODELS = (*SYNCED_MODELS, Registration)


# --- imports (issue 8) -----------------------------------------------------------------------


class ZoomAlias(Base):
    """A Zoom display name matched once to a person, remembered for the next report.

    Local to this file (not synced): it only saves typing on the next Zoom import.
    ``name_key`` is the display name's search key (width/kana/case/space-insensitive).
    """

    __tablename__ = "zoom_alias"

    name_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    updated_at: Mapped[datetime]


# --- sync bookkeeping (kankei_desktop.sync; replica-local, never part of a dump) -------------


class SyncFieldClock(Base):
    """The clock of one field group of a row, stored only where it differs from the row's hlc.

    A row's ``hlc`` is the clock of its latest change; a field group without an entry here
    was last changed at that clock, so rows that were never partly edited need no entries.
    """

    __tablename__ = "sync_field_clock"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(40))

    __table_args__ = (Index("ix_sync_field_clock_hlc", "hlc"),)


class SyncConflict(Base):
    """A value that lost against a concurrent edit of the same field (kept, restorable)."""

    __tablename__ = "sync_conflict"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[uuid.UUID]
    field: Mapped[str] = mapped_column(String(40))
    winner_value: Mapped[str] = mapped_column(Text)
    loser_value: Mapped[str] = mapped_column(Text)
    winner_hlc: Mapped[str] = mapped_column(String(40))
    loser_hlc: Mapped[str] = mapped_column(String(40))
    logged_at: Mapped[datetime]
    restored_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_sync_conflict_row", "table_name", "row_id"),)


class SyncVector(Base):
    """This file's version vector: the highest clock seen from each replica."""

    __tablename__ = "sync_vector"

    replica_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(40))


class SyncPeer(Base):
    """A colleague's replica and what it is known to have (from its own bundles)."""

    __tablename__ = "sync_peer"

    replica_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    vector: Mapped[str] = mapped_column(Text, default="{}")
    last_import_at: Mapped[datetime | None] = mapped_column(default=None)
    last_export_at: Mapped[datetime | None] = mapped_column(default=None)


class SyncHistory(Base):
    """One exchange: a bundle written or read."""

    __tablename__ = "sync_history"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime]
    direction: Mapped[str] = mapped_column(String(10))
    peer_replica_id: Mapped[str] = mapped_column(String(32), default="")
    peer_name: Mapped[str] = mapped_column(String(200), default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="{}")


# --- history of local edits (issue 22; replica-local, never exchanged) ----------------------


class ChangeLog(Base):
    """One local edit of a synced row: created, a field changed (old and new value, as JSON),
    deleted or restored; with its clock and the user action it was part of.

    Kept for the 変更履歴 tab (the last entries per record only, see
    :mod:`kankei_desktop.core.writes.change_log`); who changed a field on another PC is read
    from the field clocks instead.
    """

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[uuid.UUID]
    at: Mapped[datetime]
    hlc: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[str] = mapped_column(Text, default="null")
    new_value: Mapped[str] = mapped_column(Text, default="null")
    action: Mapped[str] = mapped_column(String(200), default="")

    # no INSERT … RETURNING: on a shared database a scoped login writes the entry of a new row
    # just before the row itself, when it may not read it back yet (row-level security)
    __table_args__ = (Index("ix_change_log_row", "table_name", "row_id", "id"),
                      {"implicit_returning": False})


# --- reports (issue 5) -----------------------------------------------------------------------


class SubmittedReport(Base):
    """A report marked 提出済み: the PDF exactly as filed and the figures it showed.

    Local to the file (not synced): what this office filed, to whom and when. ``figures``
    is JSON ``[{"key", "label", "value"}]`` so later edits can be compared figure by figure.
    """

    __tablename__ = "submitted_report"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    parameters: Mapped[str] = mapped_column(Text, default="{}")
    figures: Mapped[str] = mapped_column(Text, default="[]")
    recipient: Mapped[str] = mapped_column(String(200), default="")
    submitted_on: Mapped[date]
    created_at: Mapped[datetime]
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


# --- surveys (issue 19) ----------------------------------------------------------------------


class Survey(Synced, Base):
    """アンケート: a questionnaire of one session (``meeting_id`` set) or of a club, reused
    for every session of the club that has none of its own.

    A session's survey and a club's survey have ids derived from the session or the club
    (:mod:`kankei_desktop.core.writes.natural_ids`), so the same questionnaire made on two PCs
    meets in one row.
    """

    __tablename__ = "survey"

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("club.id"))
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meeting.id"), default=None)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_survey_club", "club_id", "meeting_id"),)


class Question(Synced, Base):
    """A question of a survey: ``scale`` (``scale_min``…``points`` with labels at both ends),
    ``single`` or ``multiple`` choice (``options``, one per line) or free ``text``."""

    __tablename__ = "survey_question"

    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    scale_min: Mapped[int] = mapped_column(Integer, default=1)
    points: Mapped[int] = mapped_column(Integer, default=5)
    low_label: Mapped[str] = mapped_column(String(100), default="")
    high_label: Mapped[str] = mapped_column(String(100), default="")
    options: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_survey_question_survey", "survey_id", "position"),)


class Response(Synced, Base):
    """One filled-in questionnaire (a paper sheet or a row of an online form's export),
    given at a session; ``person_id`` None = anonymous."""

    __tablename__ = "survey_response"

    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey.id"))
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"), default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    source: Mapped[str] = mapped_column(String(20), default="paper")
    sheet: Mapped[int | None] = mapped_column(Integer, default=None)

    __table_args__ = (
        Index("ix_survey_response_meeting", "meeting_id", "survey_id"),
        Index("ix_survey_response_survey", "survey_id"),
    )


class Answer(Synced, Base):
    """One answer of a response (id derived from response × question). ``value``: the scale
    point as digits, the chosen option, the chosen options one per line, or the free text;
    ``featured`` 1 = a free text chosen for the reports."""

    __tablename__ = "survey_answer"

    response_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey_response.id"))
    question_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey_question.id"))
    value: Mapped[str] = mapped_column(Text, default="")
    featured: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        Index("ix_survey_answer_question", "question_id"),
    )


SYNCED_MODELS += (Survey, Question, Response, Answer)
# --- outcomes: matchings, stage history, KPIs, tags (issue 17) ------------------------------


class Matching(Synced, Base):
    """マッチング: a person or an organisation (the party) matched with a host.

    Exactly one of ``person_id``/``organization_id`` is the party; the host is a municipality
    or another organisation. The id is derived from the natural key at creation (party, host,
    kind, 成立日: :func:`kankei_desktop.core.writes.natural_ids.matching_uuid`), so importing a
    list twice, or recording the same matching on two PCs, ends in one row; later edits keep
    the id.
    """

    __tablename__ = "matching"

    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="made")
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"), default=None)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id"), default=None)
    host_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id"), default=None)
    theme: Mapped[str] = mapped_column(String(300), default="")
    club_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("club.id"), default=None)
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meeting.id"), default=None)
    made_on: Mapped[date | None] = mapped_column(default=None)
    ended_on: Mapped[date | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_matching_made_on", "made_on"),
        Index("ix_matching_person", "person_id"),
        Index("ix_matching_organization", "organization_id"),
        Index("ix_matching_host", "host_id"),
        Index("ix_matching_club", "club_id"),
    )


class StageEntry(Synced, Base):
    """段階の記録: a club moved to a stage on a date, with what that stage produced.

    The club's current stage is its latest live entry (by date, then by ``recorded_at``, the
    moment the move was typed, which travels with the row so every replica orders ties alike);
    ``Club.stage`` holds the stage of a club without entries.
    """

    __tablename__ = "stage_entry"

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("club.id"))
    stage: Mapped[str] = mapped_column(String(20))
    entered_on: Mapped[date]
    output: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime]

    __table_args__ = (Index("ix_stage_entry_club", "club_id", "entered_on"),)


class Kpi(Synced, Base):
    """指標: one measure with its target (and, for a value typed in, its actual) for a 年度,
    of a club or (``club_id`` None) of the whole programme.

    ``target`` and ``actual`` hold decimal numbers as text (「12」「4.5」「1200000」, empty =
    none): bundles exchange text exactly, and a sales figure or a survey score is not an
    integer. The id is derived from (club, year, measure, parameter, and the label of a value
    typed in) at creation.
    """

    __tablename__ = "kpi"

    club_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("club.id"), default=None)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    measure: Mapped[str] = mapped_column(String(30))
    parameter: Mapped[str] = mapped_column(String(40), default="")
    label: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    target: Mapped[str] = mapped_column(String(32), default="")
    actual: Mapped[str] = mapped_column(String(32), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_kpi_year", "fiscal_year", "club_id"),)


class Tag(Synced, Base):
    """タグ: a label put on people, organisations, clubs and sessions (「高校生」「協定先」).

    Its id derives from its name's search key at creation, so the same tag made on two PCs is
    one tag.
    """

    __tablename__ = "tag"

    name: Mapped[str] = mapped_column(String(100))
    search_key: Mapped[str] = mapped_column(String(600), default="")
    sort_key: Mapped[str] = mapped_column(String(600), default="")

    __table_args__ = (Index("ix_tag_sort", "sort_key"),)


class TagLink(Synced, Base):
    """A tag on one record (id derived from tag × record). ``target_kind`` names the table
    of ``target_id`` (person, organization, club, meeting)."""

    __tablename__ = "tag_link"

    tag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tag.id"))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[uuid.UUID]

    __table_args__ = (
        UniqueConstraint("tag_id", "target_id"),
        Index("ix_tag_link_target", "target_id", "tag_id"),
    )


SYNCED_MODELS = (*SYNCED_MODELS, Matching, StageEntry, Kpi, Tag, TagLink)
