"""audit entries name the executor that completed the request's case reads

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 17:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN on both databases: the table keeps its append-only triggers. Hashed
    # only where present (api/audit/chain.py entry_hash), so older entries keep their hashes;
    # staged entries (audit_pending.entry, JSON) carry it as one more member.
    op.add_column("audit_entry", sa.Column("executor", sa.String(20), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_entry", "executor")
