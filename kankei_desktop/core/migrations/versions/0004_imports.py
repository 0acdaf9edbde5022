"""imports (remembered Zoom display names)

Revision ID: 0004_imports
Revises: 0003_reports
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0004_imports'
down_revision = '0003_reports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
