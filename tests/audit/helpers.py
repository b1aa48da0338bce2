"""Read the audit tables directly, as an auditor's tooling would."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, text

from api.audit.record import AuditRecord, CoordinateSet
from api.audit.verify import Verdict, verify_chain
from api.identity.principal import Principal
from db.enums import Agency
from db.models import AuditCaseAccess, AuditEntry
from tests.graphql_client import GraphQLClient


async def audit_rows(client: GraphQLClient) -> list[dict[str, Any]]:
    engine = client.app.state.db.engine
    async with engine.connect() as connection:
        entries = (
            (await connection.execute(select(AuditEntry).order_by(AuditEntry.seq))).mappings().all()
        )
        cases = (await connection.execute(select(AuditCaseAccess))).mappings().all()
    rows = []
    for entry in entries:
        row = dict(entry)
        sets = row["coordinate_sets"]
        row["cases"] = {
            case["case_id"]: sets[case["coordinate_set"]]
            for case in cases
            if case["entry_seq"] == entry["seq"]
        }
        rows.append(row)
    return rows


async def verify(client: GraphQLClient, **kwargs: Any) -> Verdict:
    async with client.app.state.db.engine.connect() as connection:
        return await verify_chain(connection, **kwargs)


async def tamper(client: GraphQLClient, statement: str, **params: Any) -> None:
    """Change audit rows behind the triggers' back, as an attacker with DDL rights could."""
    engine = client.app.state.db.engine
    postgres = engine.dialect.name == "postgresql"
    async with engine.begin() as connection:
        if postgres:
            await connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for table in ("audit_entry", "audit_case_access"):
                for action in ("update", "delete"):
                    await connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{action}"))
        await connection.execute(text(statement), params)


WRITER = Principal(
    subject="writer",
    agency=Agency.MIGRATIONSVERKET,
    roles=frozenset({"case_officer"}),
    unit="mv-test",
    purpose="CASE_HANDLING",
)


def one_case_record() -> AuditRecord:
    """A small audit record of one case read, as a worker stages it for the sequencer."""
    record = AuditRecord(principal=WRITER, policy_version="test")
    record.read.add("Query.cases")
    record.case(str(uuid.uuid4()), CoordinateSet(read=frozenset({"ReturnCase.id"})))
    return record
