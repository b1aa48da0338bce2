"""break-glass grants; indexes for protected households

Revision ID: 0016
Revises: 0017
Create Date: 2026-12-01 11:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "break_glass_grant",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column(
            "roles",
            sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column(
            "coordinates",
            sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("case_reference", sa.String(length=200), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_break_glass_grant_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_break_glass_grant")),
        sa.UniqueConstraint("id", name=op.f("uq_break_glass_grant_id")),
    )
    with op.batch_alter_table("break_glass_grant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_break_glass_grant_case_id"), ["case_id"])
        batch_op.create_index(batch_op.f("ix_break_glass_grant_subject"), ["subject"])
        batch_op.create_index(batch_op.f("ix_break_glass_grant_expires_at"), ["expires_at"])
    # Protected households (api/cases/households.py): members linking to a case, and cases
    # sharing an address.
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_member_linked_case_id"), ["linked_case_id"])
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.create_index("ix_address_household", ["street", "postal_code", "city"])


def downgrade() -> None:
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.drop_index("ix_address_household")
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_member_linked_case_id"))
    op.drop_table("break_glass_grant")
