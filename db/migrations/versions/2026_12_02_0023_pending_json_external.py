"""staged audit entries are stored as written: json, out of line, uncompressed

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 14:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("entry", "cases")


def upgrade() -> None:
    """PostgreSQL only (SQLite stores JSON as text already).

    A read waits for its staged row's INSERT. As jsonb, compressed in line (pglz), a bulk
    page's 43 kB row took 3.4 ms to insert, a worklist's 4 kB row 0.9 ms; as json stored
    EXTERNAL (out of line, not compressed) 1.05 and 0.70 ms (bench/audit_pending.py
    `--storage`). The row lives until the sequencer moves it, so neither parsing nor
    compression pays for itself; json still refuses text that is not JSON. The move casts
    to jsonb once (api/audit/batch.py), so it reads either type: a worker of release 0022
    still stages (jsonb to json is an assignment cast)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in _COLUMNS:
        op.execute(
            f"ALTER TABLE audit_pending ALTER COLUMN {column} TYPE json USING {column}::json"
        )
        op.execute(f"ALTER TABLE audit_pending ALTER COLUMN {column} SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in _COLUMNS:
        op.execute(
            f"ALTER TABLE audit_pending ALTER COLUMN {column} TYPE jsonb USING {column}::jsonb"
        )
        op.execute(f"ALTER TABLE audit_pending ALTER COLUMN {column} SET STORAGE EXTENDED")
