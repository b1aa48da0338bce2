"""policy proposals and approvals (four eyes), versions linked to their proposal

Revision ID: 0017
Revises: 0019
Create Date: 2026-12-01 11:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "policy_proposal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("rollback_to", sa.Integer(), nullable=True),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=16), nullable=False),
        sa.Column("added", _json(), nullable=False),
        sa.Column("removed", _json(), nullable=False),
        sa.Column("preview", _json(), nullable=False),
        sa.Column("required", _json(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("author_agency", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("applied_version", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_proposal")),
    )
    op.create_table(
        "policy_approval",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["policy_proposal.id"],
            name=op.f("fk_policy_approval_proposal_id_policy_proposal"),
        ),
        sa.PrimaryKeyConstraint("proposal_id", "subject", name=op.f("pk_policy_approval")),
    )
    with op.batch_alter_table("policy_version") as batch_op:
        batch_op.add_column(sa.Column("proposal_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("policy_version") as batch_op:
        batch_op.drop_column("proposal_id")
    op.drop_table("policy_approval")
    op.drop_table("policy_proposal")
