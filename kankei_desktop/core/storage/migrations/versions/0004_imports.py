"""imports (remembered Zoom display names)

Revision ID: 0004_imports
Revises: 0003_reports
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_imports'
down_revision = '0003_reports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zoom_alias",
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_zoom_alias_person_id_person")
        ),
        sa.PrimaryKeyConstraint("name_key", name=op.f("pk_zoom_alias")),
    )


def downgrade() -> None:
    op.drop_table("zoom_alias")
