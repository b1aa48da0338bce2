"""audit trail

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 15:02:19.451827
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Table -> the column naming the entry a row belongs to.
AUDIT_TABLES = {"audit_entry": "seq", "audit_case_access": "entry_seq"}
REFUSAL = "audit tables are append-only"


def _append_only_triggers() -> None:
    """The database itself refuses UPDATE and DELETE on audit rows; DELETE is let through only
    for rows at or before the newest retention anchor (a signed checkpoint)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND (to_jsonb(OLD) ->> TG_ARGV[0])::bigint
                        <= (SELECT coalesce(max(seq), 0) FROM audit_anchor) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{REFUSAL} (% on %)', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """
        )
        for table, column in AUDIT_TABLES.items():
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION audit_append_only('{column}')"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only('{column}')"
            )
        op.execute(
            "CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE ON audit_anchor "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only('none')"
        )
        return
    for table, column in AUDIT_TABLES.items():
        op.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN OLD.{column} > (SELECT coalesce(max(seq), 0) FROM audit_anchor) "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_anchor_no_{action.lower()} BEFORE {action} ON audit_anchor "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("request_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("agency", sa.String(length=40), nullable=True),
        sa.Column("roles", sa.String(length=400), nullable=True),
        sa.Column("unit", sa.String(length=80), nullable=True),
        sa.Column("client_id", sa.String(length=200), nullable=True),
        sa.Column("purpose", sa.String(length=40), nullable=True),
        sa.Column("case_reference", sa.String(length=200), nullable=True),
        sa.Column("operation_type", sa.String(length=20), nullable=True),
        sa.Column("operation_name", sa.String(length=200), nullable=True),
        sa.Column("document_hash", sa.String(length=64), nullable=True),
        sa.Column("policy_version", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("read_coordinates", sa.Text(), nullable=False),
        sa.Column("withheld_coordinates", sa.Text(), nullable=False),
        sa.Column("denied_coordinates", sa.Text(), nullable=False),
        sa.Column("written_coordinates", sa.Text(), nullable=False),
        sa.Column(
            "coordinate_sets",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_audit_entry_entry_hash")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_entry_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_entry_outcome"), ["outcome"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_subject"), ["subject"], unique=False)
        batch_op.create_index(
            "ix_audit_entry_subject_time", ["subject", "occurred_at"], unique=False
        )

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_case_access",
        sa.Column("entry_seq", sa.BigInteger(), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("coordinate_set", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["audit_entry.seq"],
            name=op.f("fk_audit_case_access_entry_seq_audit_entry"),
        ),
        sa.PrimaryKeyConstraint("entry_seq", "case_id", name=op.f("pk_audit_case_access")),
    )
    with op.batch_alter_table("audit_case_access", schema=None) as batch_op:
        batch_op.create_index("ix_audit_case_access_case", ["case_id", "entry_seq"], unique=False)
    op.create_table(
        "audit_anchor",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=200), nullable=False),
        sa.Column("pruned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_anchor")),
    )
    op.bulk_insert(
        sa.table(
            "audit_head",
            sa.column("id", sa.Integer),
            sa.column("seq", sa.BigInteger),
            sa.column("entry_hash", sa.String),
        ),
        [{"id": 1, "seq": 0, "entry_hash": "0" * 64}],
    )
    _append_only_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in AUDIT_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER IF EXISTS audit_anchor_append_only ON audit_anchor")
        op.execute("DROP FUNCTION IF EXISTS audit_append_only()")
    op.drop_table("audit_anchor")
    with op.batch_alter_table("audit_case_access", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_case_access_case")

    op.drop_table("audit_case_access")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_subject_time")
        batch_op.drop_index(batch_op.f("ix_audit_entry_subject"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_outcome"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_occurred_at"))

    op.drop_table("audit_entry")
