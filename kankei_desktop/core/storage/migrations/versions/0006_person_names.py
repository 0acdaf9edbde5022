"""an index on people's names and readings (possible duplicates, matching on import)

Revision ID: 0006_person_names
Revises: 0005_figures
Create Date: 2026-11-23

Grouping 100,000 people by name and reading (the 同期 page's possible duplicates) sorted the
whole table each time; with this index it is one ordered scan.
"""

from __future__ import annotations

from alembic import op

revision = '0006_person_names'
down_revision = '0005_figures'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_person_name ON person (family_name, given_name, family_reading, "
               "given_reading, deleted_at, sort_key)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_person_name")
