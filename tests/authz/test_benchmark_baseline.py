"""The benchmark-only baseline: without access control and audit, and never in production."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from api.settings import Settings
from tests.audit.helpers import audit_rows
from tests.cases.factory import create_case
from tests.databases import migrated_database
from tests.graphql_client import graphql_client


async def test_without_access_control_everything_is_readable_and_nothing_audited(
    tmp_path: Path, dev_key_dir: Path
):
    async with migrated_database("sqlite", tmp_path) as url:
        settings = Settings(
            database_url=url, dev_key_dir=dev_key_dir, benchmark_without_access_control=True
        )
        async with graphql_client(settings) as anonymous:
            officer = anonymous.as_user("case_officer", "return_officer")
            case = await create_case(officer)
            analyst = anonymous.as_user("police_analyst", agency="polisen", purposes=["STATISTICS"])
            answer = await analyst(
                "query($id: ID!) { case(id: $id) { decision { asylumGrounds } } }", id=case["id"]
            )
            assert answer.ok()["case"]["decision"]["asylumGrounds"] == "Synthetic narrative."
            assert await audit_rows(anonymous) == []


def test_production_refuses_the_benchmark_baseline(tmp_path: Path):
    with pytest.raises(ValidationError, match="benchmark_without_access_control"):
        Settings(
            env="production",
            issuers_file=tmp_path / "issuers.json",
            benchmark_without_access_control=True,
        )
