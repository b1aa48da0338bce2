"""staged audit entries are append-only too: deleted only once integrated

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 16:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Same wording as the triggers of 0002, so tooling and tests match one message.
REFUSAL = "audit tables are append-only"
INDEX = "uq_audit_entry_pending_id"


def _postgresql_triggers() -> None:
    """UPDATE and TRUNCATE are refused; DELETE only of rows whose integrated copies (same
    staged id, same request) are already in audit_entry, in this transaction or earlier.

    DELETE is checked once per statement over its transition table: one anti-join for the
    sequencer's whole batch instead of a lookup per row (bench/audit_pending.py)."""
    op.execute(
        f"""
        CREATE FUNCTION audit_pending_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{REFUSAL} (% on %)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION audit_pending_integrated_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM deleted
                       WHERE NOT EXISTS (
                           SELECT 1 FROM audit_entry
                           WHERE pending_id = deleted.id
                             AND request_id = (deleted.entry ->> 'request_id')::uuid)) THEN
                RAISE EXCEPTION '{REFUSAL} (% on %)', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending "
        "FOR EACH ROW EXECUTE FUNCTION audit_pending_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_pending_no_truncate BEFORE TRUNCATE ON audit_pending "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_pending_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_pending_delete_integrated AFTER DELETE ON audit_pending "
        "REFERENCING OLD TABLE AS deleted "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_pending_integrated_only()"
    )


def _sqlite_triggers() -> None:
    # SQLite stores a UUID column as 32 hex digits; the staged JSON has the dashed form.
    op.execute(
        "CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_pending_no_delete BEFORE DELETE ON audit_pending "
        "WHEN NOT EXISTS (SELECT 1 FROM audit_entry WHERE pending_id = OLD.id AND request_id "
        "= lower(replace(json_extract(OLD.entry, '$.request_id'), '-', ''))) "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    # Not hashed (api/audit/chain.py HASHED_FIELDS): old and new entries keep their hashes; the
    # append-only triggers of audit_entry keep it from being changed after integration.
    op.add_column("audit_entry", sa.Column("pending_id", sa.BigInteger(), nullable=True))
    op.create_index(INDEX, "audit_entry", ["pending_id"], unique=True)
    if postgres:
        _postgresql_triggers()
        return
    # SQLite reuses the largest rowid after a delete, and the inline integration empties the
    # table on every write: AUTOINCREMENT makes a staged id name one entry forever.
    with op.batch_alter_table(
        "audit_pending", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass
    _sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger in ("delete_integrated", "no_truncate", "no_update"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_pending_{trigger} ON audit_pending")
        op.execute("DROP FUNCTION IF EXISTS audit_pending_integrated_only()")
        op.execute("DROP FUNCTION IF EXISTS audit_pending_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_pending_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_pending_no_update")
        with op.batch_alter_table(
            "audit_pending", recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass
    op.drop_index(INDEX, table_name="audit_entry")
    op.drop_column("audit_entry", "pending_id")
