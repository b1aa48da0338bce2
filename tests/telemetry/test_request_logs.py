"""Quiet logs: every request is one JSON line with who, what, outcome and duration; expected
outcomes carry no traceback; no case value reaches a log line, not even an unexpected error's
traceback."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest

from tests.cases.factory import CREATE, case_input, create_case
from tests.graphql_client import GraphQLClient, graphql_client
from tests.logs import CapturedLogs, captured_logs

PLANTED = ("Xqvplantedgiven", "Zkwplantedfamily", "Jqxplantedrename")
RENAME = """mutation Rename($id: ID!, $v: Int!, $name: String!) {
  updatePerson(caseId: $id, version: $v, input: {givenName: $name}) { id version }
}"""
HAND_OVER = """mutation HandOver($id: ID!, $v: Int!) {
  handOverToPolice(caseId: $id, version: $v, input: {toUnit: "polisen-logs", reason: ABSCONDED,
    guidance: "Kontrollera adressen."}) { id }
}"""
WITHHELD = "query Police { cases(first: 1) { edges { node { decision { asylumGrounds } } } } }"
ALIASES = "query Wide { " + " ".join(f"a{n}: __typename" for n in range(40)) + " }"


async def _post(client: GraphQLClient, body: Any, **headers: str) -> Any:
    if client.token is not None:
        headers.setdefault("Authorization", f"Bearer {client.token}")
    return await client.http.post("/graphql", json=body, headers=headers)


def _line(logs: CapturedLogs, response: Any) -> dict[str, Any]:
    lines = logs.of_request(response.headers["x-request-id"])
    assert len(lines) == 1, lines
    return lines[0]


def _assert_no_planted_value(logs: CapturedLogs) -> None:
    for value in PLANTED:
        assert value not in logs.text


async def test_expected_outcomes_log_one_line_without_a_traceback(client, anonymous):
    case = await create_case(client, person={"givenName": PLANTED[0], "familyName": PLANTED[1]})
    police = client.police("polisen-logs")
    rename = {"id": case["id"], "name": PLANTED[2]}
    scenarios: list[tuple[str, GraphQLClient, Any, dict[str, str]]] = [
        ("OK", client, {"query": RENAME, "variables": {**rename, "v": case["version"]}}, {}),
        ("FORBIDDEN", police, {"query": WITHHELD}, {}),
        ("NOT_FOUND", client, {"query": RENAME, "variables": {
            **rename, "id": str(uuid.uuid4()), "v": 1}}, {}),
        ("CONFLICT", client, {"query": RENAME, "variables": {**rename, "v": 1}}, {}),
        ("BAD_USER_INPUT", client, {"query": CREATE, "variables": {
            "input": case_input(caseNumber=f"MV-{PLANTED[2]}")}}, {}),
        ("INVALID_TRANSITION", client, {"query": HAND_OVER, "variables": {
            "id": case["id"], "v": case["version"] + 1}}, {}),
        ("QUERY_TOO_COMPLEX", client, {"query": ALIASES}, {}),
        ("GRAPHQL_VALIDATION_FAILED", client, {"query": f"{{ {PLANTED[2]} }}"}, {}),
        ("UNAUTHENTICATED", anonymous, {"query": WITHHELD}, {}),
        ("PURPOSE_NOT_ALLOWED", police, {"query": WITHHELD}, {"X-Purpose": "AUDIT"}),
    ]  # fmt: skip
    with captured_logs() as logs:
        for code, caller, body, headers in scenarios:
            response = await _post(caller, body, **headers)
            line = _line(logs, response)
            assert line["outcome"] == code, (code, response.json())
            assert line["level"] == "info", line
            assert "exception" not in line
        refused_get = await client.http.get("/graphql?query={__typename}")
        assert _line(logs, refused_get)["outcome"] == "METHOD_NOT_ALLOWED"
        as_text = await client.http.post(
            "/graphql", content=b"{}", headers={"content-type": "text/plain"}
        )
        assert _line(logs, as_text)["outcome"] == "UNSUPPORTED_MEDIA_TYPE"
        elsewhere = await client.http.get(
            f"/{PLANTED[0]}", headers={"Authorization": f"Bearer {client.token}"}
        )
        assert _line(logs, elsewhere)["path"] == "other"  # a URL is the client's own text
    assert "Traceback" not in logs.text
    _assert_no_planted_value(logs)


async def test_a_request_line_names_who_asked_what_and_how_long_it_took(client):
    with captured_logs() as logs:
        worklist = "query Worklist { cases(first: 1) { totalCount } }"
        response = await _post(client, {"query": worklist})
    line = _line(logs, response)
    assert line["event"] == "request"
    assert line["logger"] == "returncases.request"
    assert line["operation"] == "Worklist"
    assert line["operation_type"] == "query"
    assert (line["subject"], line["agency"], line["purpose"]) == (
        "test-user",
        "migrationsverket",
        "CASE_HANDLING",
    )
    assert line["status"] == 200
    assert line["outcome"] == "OK"
    assert line["duration_ms"] >= 0
    assert line["timestamp"].endswith("Z")


async def test_the_rate_limit_logs_one_line_per_refusal(settings):
    from tests.rate_windows import early_in_a_window

    await early_in_a_window()  # both requests share one window
    async with graphql_client(settings.model_copy(update={"rate_limit_per_minute": 1})) as app:
        officer = app.as_user("case_officer")
        with captured_logs() as logs:
            await _post(officer, {"query": "{ __typename }"})
            refused = await _post(officer, {"query": "{ __typename }"})
        assert refused.status_code == 429
        line = _line(logs, refused)
        assert (line["outcome"], line["level"]) == ("RATE_LIMITED", "info")


async def test_an_unexpected_error_logs_its_traceback_once_without_messages(client, monkeypatch):
    from api.cases import queries

    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError(f"person {PLANTED[0]} {PLANTED[1]}")

    monkeypatch.setattr(queries, "read_cases", broken)
    with captured_logs() as logs:
        response = await _post(
            client,
            {"query": "{ cases(first: 1) { totalCount } }"},
        )
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    line = _line(logs, response)
    assert line["level"] == "error"
    assert line["outcome"] == "INTERNAL_SERVER_ERROR"
    assert line["unexpected_errors"] == 1
    assert "RuntimeError" in line["exception"]
    assert "test_request_logs.py" in line["exception"]
    _assert_no_planted_value(logs)


def test_plain_text_stays_available_for_a_terminal():
    from api.telemetry.logs import formatter

    record = logging.LogRecord("returncases.x", logging.INFO, __file__, 1, "request", (), None)
    record.outcome = "OK"
    rendered = formatter("text").format(record)
    assert not rendered.startswith("{")
    assert "request" in rendered
    assert "outcome=OK" in rendered


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_serve_takes_the_log_format_from_the_environment(monkeypatch, log_format):
    from api.settings import Settings

    monkeypatch.setenv("RETURNCASES_LOG_FORMAT", log_format)
    assert Settings().log_format == log_format
