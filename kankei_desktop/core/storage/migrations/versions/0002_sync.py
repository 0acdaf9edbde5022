"""sync bookkeeping (field clocks, conflicts, peers, exchange history)

Revision ID: 0002_sync
Revises: 0001_initial
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_sync'
down_revision = '0001_initial'
branch_labels = None
depends_on = None

SYNCED_TABLES = (
    "organization", "person", "club", "club_partner", "membership", "meeting", "attendance",
    "interaction", "interaction_person", "kpi_target",
)


def upgrade() -> None:
    op.create_table(
        "sync_field_clock",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("hlc", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", "field", name=op.f("pk_sync_field_clock")),
    )
    op.create_index("ix_sync_field_clock_hlc", "sync_field_clock", ["hlc"])
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("winner_value", sa.Text(), nullable=False),
        sa.Column("loser_value", sa.Text(), nullable=False),
        sa.Column("winner_hlc", sa.String(length=40), nullable=False),
        sa.Column("loser_hlc", sa.String(length=40), nullable=False),
        sa.Column("logged_at", sa.DateTime(), nullable=False),
        sa.Column("restored_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index("ix_sync_conflict_row", "sync_conflict", ["table_name", "row_id"])
    op.create_table(
        "sync_vector",
        sa.Column("replica_id", sa.String(length=32), nullable=False),
        sa.Column("hlc", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("replica_id", name=op.f("pk_sync_vector")),
    )
    op.create_table(
        "sync_peer",
        sa.Column("replica_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("vector", sa.Text(), nullable=False),
        sa.Column("last_import_at", sa.DateTime(), nullable=True),
        sa.Column("last_export_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("replica_id", name=op.f("pk_sync_peer")),
    )
    op.create_table(
        "sync_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("peer_replica_id", sa.String(length=32), nullable=False),
        sa.Column("peer_name", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_history")),
    )
    for table in SYNCED_TABLES:
        op.create_index(f"ix_{table}_hlc", table, ["hlc"])


def downgrade() -> None:
    for table in SYNCED_TABLES:
        op.drop_index(f"ix_{table}_hlc", table_name=table)
    for table in ("sync_history", "sync_peer", "sync_vector", "sync_conflict",
                  "sync_field_clock"):
        op.drop_table(table)
