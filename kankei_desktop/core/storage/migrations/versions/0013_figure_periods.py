"""figures for any period: kinds of session and recorded rows kept, per-year totals, year spans

Revision ID: 0013_figure_periods
Revises: 0012_furusato
Create Date: 2026-12-05

``figure_presence`` gains the kinds ``k`` (per kind of session) and ``r`` (rows recorded as
attended, absent or excused: the 参加率 denominator);
``figure_count`` (per-year totals of live people by category and organisation),
``figure_span`` and ``figure_span_count`` (the years each person appears in each breakdown,
for 実人数 over several years; :mod:`kankei_desktop.core.figures.aggregates`) and
``figure_first_count`` (新規 per month; :mod:`kankei_desktop.core.figures.first_counts`) are
new. The index of sessions by club and date, and the one of people by id, now cover what
the figures read of them. As in 0008, the triggers and the
filling come from the code: every kept table is rebuilt and the triggers are created anew.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

from kankei_desktop.core.figures import rebuild, triggers

revision = '0013_figure_periods'
down_revision = '0012_furusato'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    for pattern in triggers.TRIGGER_PATTERNS:
        for (name,) in bind.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"),
                {"p": pattern}).all():
            op.execute(f'DROP TRIGGER "{name}"')
    op.execute("""
        CREATE TABLE figure_count (
            fy INTEGER NOT NULL,
            kind CHAR(1) NOT NULL,
            key CHAR(32) NOT NULL,
            category VARCHAR(20) NOT NULL,
            org CHAR(32) NOT NULL,
            persons INTEGER NOT NULL,
            times INTEGER NOT NULL,
            CONSTRAINT pk_figure_count PRIMARY KEY (fy, kind, key, category, org)
        ) WITHOUT ROWID""")
    op.execute("""
        CREATE TABLE figure_span (
            kind CHAR(1) NOT NULL,
            key CHAR(32) NOT NULL,
            person_id CHAR(32) NOT NULL,
            years INTEGER NOT NULL,
            CONSTRAINT pk_figure_span PRIMARY KEY (kind, key, person_id)
        ) WITHOUT ROWID""")
    op.execute("""
        CREATE TABLE figure_span_count (
            kind CHAR(1) NOT NULL,
            key CHAR(32) NOT NULL,
            category VARCHAR(20) NOT NULL,
            org CHAR(32) NOT NULL,
            years INTEGER NOT NULL,
            persons INTEGER NOT NULL,
            CONSTRAINT pk_figure_span_count PRIMARY KEY (kind, key, category, org, years)
        ) WITHOUT ROWID""")
    op.execute("""
        CREATE TABLE figure_first_count (
            kind CHAR(1) NOT NULL,
            month CHAR(7) NOT NULL,
            key CHAR(32) NOT NULL,
            category VARCHAR(20) NOT NULL,
            persons INTEGER NOT NULL,
            CONSTRAINT pk_figure_first_count PRIMARY KEY (kind, month, key, category)
        ) WITHOUT ROWID""")
    # The people's category and organisation read from the index alone (every kept count).
    op.execute("DROP INDEX ix_person_figures")
    op.execute("CREATE INDEX ix_person_figures ON person "
               "(id, deleted_at, category, organization_id)")
    rebuild.rebuild(lambda statement, parameters: bind.execute(text(statement), parameters),
                 lambda: sorted(int(row[0]) for row in bind.execute(text(triggers.YEARS))
                                if row[0] is not None))
    # The held sessions of a period per club, month and kind, read from the index alone.
    op.execute("DROP INDEX ix_meeting_club_date")
    op.execute("CREATE INDEX ix_meeting_club_date ON meeting "
               "(club_id, date, status, deleted_at, kind, format)")
    for name, body in triggers.TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    raise NotImplementedError("figure tables of 0008 cannot be restored; restore a backup")
