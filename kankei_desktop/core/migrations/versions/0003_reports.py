"""reports (submitted reports, report texts)

Revision ID: 0003_reports
Revises: 0002_sync
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0003_reports'
down_revision = '0002_sync'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
