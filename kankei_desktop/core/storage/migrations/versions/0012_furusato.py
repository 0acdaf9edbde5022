"""ふるさと住民登録 (issue 20): residence and address of people, 担い手活動, registrations

Revision ID: 0012_furusato
Revises: 0011_outcomes
Create Date: 2026-12-12

New columns are added with ``ADD COLUMN`` (no table rebuild: the figure triggers on
``meeting`` stay as they are); ``registration`` is a new synced table whose id derives from
person × municipality.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012_furusato'
down_revision = '0011_outcomes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in place (no constraint ALTER).
        op.execute("ALTER TABLE person ADD COLUMN residence_id CHAR(32) CONSTRAINT "
                   "fk_person_residence_id_organization REFERENCES organization (id)")
    else:
        op.add_column("person", sa.Column("residence_id", sa.Uuid(), nullable=True))
        op.create_foreign_key("fk_person_residence_id_organization", "person",
                              "organization", ["residence_id"], ["id"])
    op.add_column("person", sa.Column("postal_code", sa.String(length=8), nullable=False,
                                      server_default=""))
    op.add_column("person", sa.Column("address", sa.String(length=300), nullable=False,
                                      server_default=""))
    op.add_column("club", sa.Column("designates_activities", sa.Integer(), nullable=False,
                                    server_default=sa.text("0")))
    op.add_column("meeting", sa.Column("designated", sa.Integer(), nullable=False,
                                       server_default=sa.text("0")))
    op.create_table(
        "registration",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("renewal_due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("replica_id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=40), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("causal_length", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_registration_person_id_person")),
        sa.ForeignKeyConstraint(["municipality_id"], ["organization.id"],
                                name=op.f("fk_registration_municipality_id_organization")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
        sa.UniqueConstraint("person_id", "municipality_id",
                            name=op.f("uq_registration_person_id")),
    )
    op.create_index("ix_registration_municipality", "registration",
                    ["municipality_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_registration_municipality", table_name="registration")
    op.drop_table("registration")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("designated")
    with op.batch_alter_table("club") as batch:
        batch.drop_column("designates_activities")
    with op.batch_alter_table("person") as batch:
        for column in ("address", "postal_code", "residence_id"):
            batch.drop_column(column)
