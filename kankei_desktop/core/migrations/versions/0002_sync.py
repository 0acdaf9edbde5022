"""sync bookkeeping (field clocks, conflicts, peers, exchange history)

Revision ID: 0002_sync
Revises: 0001_initial
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0002_sync'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
