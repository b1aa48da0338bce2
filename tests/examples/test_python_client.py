"""The Python example (examples/python/integrator.py, on the client ariadne-codegen generated)
against a real server that runs registered operations only: it syncs the case-event feed and
resumes from its saved cursor, reads a worklist page with a withheld field, hands a case over
after a CONFLICT. Waiting out RATE_LIMITED: test_waiting_out_rate_limits.py."""

from __future__ import annotations

import httpx

from tests.examples.conftest import Service
from tests.examples.conftest import json_lines as _lines
from tests.examples.conftest import run_python_example as _run


def test_the_server_refuses_documents_that_were_not_registered(service: Service):
    token = service.token("return_officer", "CASE_HANDLING", "mv-stockholm")
    response = httpx.post(service.url, json={"query": "{ __typename }"},
                          headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"


def test_sync_worklist_and_handover_as_a_return_officer(service: Service, tmp_path):
    token = service.token("return_officer", "CASE_HANDLING", "mv-stockholm")
    cursor_file = tmp_path / "cursor.txt"

    first_sync = _run(service, token, "sync", "--state-file", str(cursor_file), "--page-size", "90")
    assert first_sync.returncode == 0, first_sync.stderr
    synced = _lines(first_sync.stdout)
    assert len(synced) > 100  # several pages of the seeded cases' history
    assert len({event["cursor"] for event in synced}) == len(synced)
    assert cursor_file.read_text() == synced[-1]["cursor"]

    page = _run(service, token, "worklist", "--state", "MV_ENFORCEMENT", "--first", "10")
    assert page.returncode == 0, page.stderr
    rows = _lines(page.stdout)
    assert rows
    assert all(row["state"] == "MV_ENFORCEMENT" for row in rows)
    # Asylum grounds are C4: null for a return officer, with the coordinate named once.
    assert all(row["asylumGrounds"] is None for row in rows)
    assert page.stderr.splitlines().count("withheld: Decision.asylumGrounds") == 1

    handed = None
    for row in rows:  # the first case whose handover checklist is complete
        stale = str(row["version"] - 1)  # what a client holds when someone changed it since
        attempt = _run(service, token, "hand-over", row["id"], "--version", stale,
                       "--to-unit", "polisen-region-stockholm")  # fmt: skip
        if attempt.returncode == 0:
            handed = row
            break
        assert "INVALID_TRANSITION" in attempt.stderr, attempt.stderr
    assert handed is not None, "no seeded case in MV_ENFORCEMENT could be handed over"
    assert f"version {int(stale)} is stale, retrying with {handed['version']}" in attempt.stderr
    (result,) = _lines(attempt.stdout)
    assert result["state"] == "HANDED_OVER"
    assert result["version"] == handed["version"] + 1

    again = _run(service, token, "hand-over", handed["id"], "--version", str(handed["version"]),
                 "--to-unit", "polisen-region-stockholm")  # fmt: skip
    assert again.returncode == 2
    assert "no longer in MV_ENFORCEMENT" in again.stderr

    resumed = _run(service, token, "sync", "--state-file", str(cursor_file))
    assert resumed.returncode == 0, resumed.stderr
    new = _lines(resumed.stdout)
    assert {event["cursor"] for event in new}.isdisjoint(event["cursor"] for event in synced)
    assert ("HANDED_OVER", handed["id"]) in {(event["type"], event["caseId"]) for event in new}
