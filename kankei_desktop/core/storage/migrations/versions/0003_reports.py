"""reports (submitted reports, report texts)

Revision ID: 0003_reports
Revises: 0002_sync
Create Date: 2026-11-23

Cover fields and the per-year texts (成果・課題・今後の展開) live in the ``meta`` table
(keys ``report.cover`` and ``report.texts.<year>``); only the filed reports need a table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003_reports'
down_revision = '0002_sync'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submitted_report",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submitted_report")),
    )


def downgrade() -> None:
    op.drop_table("submitted_report")
