"""surveys (issue 19): survey, survey_question, survey_response, survey_answer

Revision ID: 0010_surveys
Revises: 0009_change_log
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010_surveys'
down_revision = '0009_change_log'
branch_labels = None
depends_on = None

TABLES = ("survey", "survey_question", "survey_response", "survey_answer")


def _synced_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("replica_id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=40), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("causal_length", sa.Integer(), nullable=False),
    ]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "survey",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        *_synced_columns(),
        _fk("survey", "club_id", "club"),
        _fk("survey", "meeting_id", "meeting"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey")),
    )
    op.create_index("ix_survey_club", "survey", ["club_id", "meeting_id"])
    op.create_table(
        "survey_question",
        sa.Column("survey_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("scale_min", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("low_label", sa.String(length=100), nullable=False),
        sa.Column("high_label", sa.String(length=100), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        *_synced_columns(),
        _fk("survey_question", "survey_id", "survey"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_question")),
    )
    op.create_index("ix_survey_question_survey", "survey_question", ["survey_id", "position"])
    op.create_table(
        "survey_response",
        sa.Column("survey_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("sheet", sa.Integer(), nullable=True),
        *_synced_columns(),
        _fk("survey_response", "survey_id", "survey"),
        _fk("survey_response", "meeting_id", "meeting"),
        _fk("survey_response", "person_id", "person"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_response")),
    )
    op.create_index("ix_survey_response_meeting", "survey_response", ["meeting_id", "survey_id"])
    op.create_index("ix_survey_response_survey", "survey_response", ["survey_id"])
    op.create_table(
        "survey_answer",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("question_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("featured", sa.Integer(), nullable=False),
        *_synced_columns(),
        _fk("survey_answer", "response_id", "survey_response"),
        _fk("survey_answer", "question_id", "survey_question"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answer")),
        sa.UniqueConstraint("response_id", "question_id",
                            name=op.f("uq_survey_answer_response_id")),
    )
    op.create_index("ix_survey_answer_question", "survey_answer", ["question_id"])
    for table in TABLES:  # as 0002_sync gave every synced table: bundles read rows by clock
        op.create_index(f"ix_{table}_hlc", table, ["hlc"])


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
