"""figure tables kept for every year by triggers made from one counting rule; no figure cache

Revision ID: 0008_figure_rule
Revises: 0007_presence
Create Date: 2026-12-05

The triggers of 0005_figures and 0007_presence spelled what counts by hand; they are replaced
by the ones :mod:`kankei_desktop.core.figures.triggers` builds from the counting rule, and the
kept tables are filled for every year at once (no year is filled on first reading any more:
reading the figures never writes). ``figure_cache`` and ``figure_version`` (a cache written by
reads) and ``figure_presence_year`` go.

The rebuild and the new triggers are left to the last migration that changes the kept tables
(``figure_periods``, kept the last in the chain): it takes the current rule, tables and triggers from the code, so
this one only removes what 0005 and 0007 made.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

from kankei_desktop.core.figures import triggers

revision = '0008_figure_rule'
down_revision = '0007_presence'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    for pattern in triggers.TRIGGER_PATTERNS:  # the old triggers, before the tables change
        for (name,) in bind.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"),
                {"p": pattern}).all():
            op.execute(f'DROP TRIGGER "{name}"')
    for table in ("figure_cache", "figure_version", "figure_presence_year"):
        op.execute(f"DROP TABLE IF EXISTS {table}")


def downgrade() -> None:
    raise NotImplementedError("figure tables of 0007 cannot be restored; restore a backup")
