"""Introspection by role, masked internal errors with a request id, safe production settings."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from api.settings import Settings
from tests.graphql_client import graphql_client

INTROSPECT = "{ __schema { queryType { name } } }"


async def test_introspection_is_open_in_development(client):
    assert (await client(INTROSPECT)).ok()["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_can_be_limited_to_roles(settings):
    limited = settings.model_copy(update={"introspection_roles": "case_officer"})
    async with graphql_client(limited) as anonymous:
        allowed = anonymous.as_user("case_officer")
        refused = anonymous.police("polisen-x")
        assert (await allowed(INTROSPECT)).ok()
        response = await refused(INTROSPECT)
        assert response.data is None
        assert set(response.codes) == {"GRAPHQL_VALIDATION_FAILED"}
        assert (await refused("{ __typename }")).ok() == {"__typename": "Query"}


async def test_unexpected_errors_are_masked_with_a_request_id(client, monkeypatch, caplog):
    from api.cases import queries

    async def broken(*_args, **_kwargs):
        raise RuntimeError("SELECT secret FROM /srv/app/db.py")

    monkeypatch.setattr(queries, "read_cases", broken)
    response = await client("{ cases(first: 1) { totalCount } }")
    error = response.errors[0]
    assert error["message"] == "Internal server error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["requestId"]
    text = json.dumps(response.body)
    assert "SELECT" not in text
    assert "db.py" not in text
    assert "Traceback" not in text
    # The request's one log line carries the id and the traceback.
    lines = [
        r
        for r in caplog.records
        if getattr(r, "request_id", None) == error["extensions"]["requestId"]
    ]
    assert len(lines) == 1
    assert lines[0].exc_info is not None


def _production(tmp_path, **overrides):
    issuers = tmp_path / "issuers.json"
    issuers.write_text("[]")
    return Settings(env="production", issuers_file=issuers, **overrides)


def test_production_mode_defaults_to_no_introspection(tmp_path):
    assert _production(tmp_path).introspecting_roles == frozenset()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"introspection_roles": "*"}, "introspection for everyone"),
        ({"log_level": "DEBUG"}, "debug logging"),
    ],
)
def test_production_mode_refuses_unsafe_settings(tmp_path, overrides, message):
    with pytest.raises(ValidationError, match=message):
        _production(tmp_path, **overrides)
