"""outcomes: matchings, stage history, KPIs of any kind, tags (issue 17)

Revision ID: 0011_outcomes
Revises: 0010_surveys
Create Date: 2026-12-10

Five synced tables. The club targets of ``kpi_target`` (three attendance measures per club and
年度) become ``kpi`` rows, one per measure, with the ids every replica derives from the same
club, year and measure and the stamps of the row they came from, so two replicas upgrading the
same data hold the same rows. ``kpi_target`` stays (bundles from older versions still carry
it) but is no longer written.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

from kankei_desktop.core.writes.natural_ids import kpi_measure_uuid

revision = '0011_outcomes'
down_revision = '0010_surveys'
branch_labels = None
depends_on = None

NEW_TABLES = ("matching", "stage_entry", "kpi", "tag", "tag_link")
_MEASURES = (("target_meetings", "meetings_held"), ("target_person_times", "person_times"),
             ("target_unique_persons", "unique_persons"))


def _stamps(table: str) -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("replica_id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=40), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("causal_length", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "matching",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("host_id", sa.Uuid(), nullable=True),
        sa.Column("theme", sa.String(length=300), nullable=False),
        sa.Column("club_id", sa.Uuid(), nullable=True),
        sa.Column("meeting_id", sa.Uuid(), nullable=True),
        sa.Column("made_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamps("matching"),
        _fk("matching", "person_id", "person"),
        _fk("matching", "organization_id", "organization"),
        _fk("matching", "host_id", "organization"),
        _fk("matching", "club_id", "club"),
        _fk("matching", "meeting_id", "meeting"),
    )
    for name, columns in (("ix_matching_made_on", ["made_on"]),
                          ("ix_matching_person", ["person_id"]),
                          ("ix_matching_organization", ["organization_id"]),
                          ("ix_matching_host", ["host_id"]), ("ix_matching_club", ["club_id"])):
        op.create_index(name, "matching", columns)
    op.create_table(
        "stage_entry",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        *_stamps("stage_entry"),
        _fk("stage_entry", "club_id", "club"),
    )
    op.create_index("ix_stage_entry_club", "stage_entry", ["club_id", "entered_on"])
    op.create_table(
        "kpi",
        sa.Column("club_id", sa.Uuid(), nullable=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=30), nullable=False),
        sa.Column("parameter", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("actual", sa.String(length=32), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps("kpi"),
        _fk("kpi", "club_id", "club"),
    )
    op.create_index("ix_kpi_year", "kpi", ["fiscal_year", "club_id"])
    op.create_table(
        "tag",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("search_key", sa.String(length=600), nullable=False),
        sa.Column("sort_key", sa.String(length=600), nullable=False),
        *_stamps("tag"),
    )
    op.create_index("ix_tag_sort", "tag", ["sort_key"])
    op.create_table(
        "tag_link",
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        *_stamps("tag_link"),
        _fk("tag_link", "tag_id", "tag"),
        sa.UniqueConstraint("tag_id", "target_id", name=op.f("uq_tag_link_tag_id")),
    )
    op.create_index("ix_tag_link_target", "tag_link", ["target_id", "tag_id"])
    for table in NEW_TABLES:
        op.create_index(f"ix_{table}_hlc", table, ["hlc"])
    _targets_to_kpis()


def _targets_to_kpis() -> None:
    """One ``kpi`` row per target set in ``kpi_target`` (tombstones stay tombstones)."""
    bind = op.get_bind()
    rows = bind.execute(text(
        "SELECT club_id, fiscal_year, target_meetings, target_person_times, "
        "target_unique_persons, notes, created_at, updated_at, replica_id, hlc, deleted_at, "
        "causal_length FROM kpi_target")).mappings().all()
    insert = text(
        "INSERT INTO kpi (id, club_id, fiscal_year, measure, parameter, label, unit, target, "
        "actual, notes, created_at, updated_at, replica_id, hlc, deleted_at, causal_length) "
        "VALUES (:id, :club_id, :fiscal_year, :measure, '', '', '', :target, '', :notes, "
        ":created_at, :updated_at, :replica_id, :hlc, :deleted_at, :causal_length)")
    for row in rows:
        notes = row["notes"] or ""
        for column, measure in _MEASURES:
            if row[column] is None:
                continue
            club_id = uuid.UUID(hex=str(row["club_id"]).replace("-", ""))
            bind.execute(insert, {
                **{key: row[key] for key in ("fiscal_year", "created_at", "updated_at",
                                             "replica_id", "hlc", "deleted_at",
                                             "causal_length")},
                "id": kpi_measure_uuid(club_id, int(row["fiscal_year"]), measure).hex,
                "club_id": club_id.hex, "measure": measure, "target": str(row[column]),
                "notes": notes})
            notes = ""  # the shared remark once, on the first measure


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)
