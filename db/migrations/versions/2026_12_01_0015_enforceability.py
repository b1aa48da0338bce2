"""decision: corrected final date, Dublin acceptance, Member State, request type, extension

Revision ID: 0015
Revises: 0019
Create Date: 2026-12-01 11:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    "final_date_corrected_on",
    "dublin_member_state",
    "dublin_request_type",
    "dublin_acceptance_date",
    "dublin_suspensive_appeal",
    "dublin_extension",
)


def upgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.add_column(sa.Column("final_date_corrected_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("dublin_member_state", sa.String(length=3), nullable=True))
        batch.add_column(
            sa.Column(
                "dublin_request_type",
                sa.Enum(
                    "TAKE_CHARGE",
                    "TAKE_BACK",
                    name=op.f("ck_decision_dublin_request_type"),
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("dublin_acceptance_date", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column(
                "dublin_suspensive_appeal",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
        batch.add_column(
            sa.Column(
                "dublin_extension",
                sa.Enum(
                    "IMPRISONMENT",
                    "ABSCONDING",
                    name=op.f("ck_decision_dublin_extension"),
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        for column in reversed(_COLUMNS):
            batch.drop_column(column)
