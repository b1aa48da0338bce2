"""The policy administration page in a real headless browser (Debian's Chromium driven by
Playwright): a security officer withholds a field from the border police, sees beforehand that
exactly that coordinate is lost for that role, applies it with a reason, watches a police query
lose the field, and rolls it back, all recorded in the audit trail."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.settings import Settings
from tests.audit.helpers import audit_rows
from tests.authz.cases import handed_over
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient
from tests.policy.test_admin import PERSON
from tests.servers import free_port

CHROMIUM = Path("/usr/bin/chromium")
UNIT = "polisen-page-test"


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is not installed (Debian package `chromium`)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser test")
    pytest.skip(reason)


@pytest.fixture
async def served(tmp_path: Path, dev_key_dir: Path) -> AsyncIterator[GraphQLClient]:
    """A real uvicorn on a database of its own; the client talks to it over HTTP."""
    async with migrated_database("sqlite", tmp_path) as url:
        settings = Settings(
            database_url=url, dev_key_dir=dev_key_dir, rate_limit_per_minute=1_000_000
        )
        app = create_app(settings)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
        serving = asyncio.create_task(server.serve())
        try:
            while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
                await asyncio.sleep(0.05)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                yield GraphQLClient(http, app, settings)
        finally:
            server.should_exit = True
            await serving


async def test_a_security_officer_withholds_a_field_from_the_police_and_rolls_it_back(
    served: GraphQLClient,
):
    require_chromium()
    from playwright.async_api import async_playwright, expect

    case = await handed_over(served.as_user("case_officer", "return_officer"), UNIT)
    police = served.police(UNIT)
    assert (await police(PERSON, id=case["id"])).ok()["case"]["person"]["dateOfBirth"]
    officer = served.as_user(
        "security_officer", purposes=["POLICY_ADMIN"], unit=None, subject="maria.sakerhet"
    )

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = await browser.new_page()
            await page.goto(f"{served.http.base_url}/admin/policies")
            await page.fill("#token", officer.token or "")
            await page.click("text=Sign in")
            cell = page.locator(
                '[data-coordinate="Person.dateOfBirth"][data-role="border_police_officer"]'
            )
            await expect(cell).to_have_text("allow")
            await cell.click()
            await expect(cell).to_have_text("deny")

            await page.click("#preview")
            diff = page.locator("#diff")
            await expect(diff).to_be_visible()
            # Exactly one role loses exactly that coordinate.
            await expect(page.locator("#diff .role-diff")).to_have_count(1)
            await expect(page.locator("#diff .role-diff li")).to_have_text(
                ["loses read Person.dateOfBirth"]
            )
            await expect(page.locator('#diff .role-diff[data-role="border_police_officer"]'))\
                .to_have_count(1)  # fmt: skip

            await page.fill("#reason", "Date of birth is not needed for enforcement")
            await page.click("#apply")
            await expect(page.locator("#status")).to_contain_text("Applied as version 2")

            withheld = await police(PERSON, id=case["id"])
            assert withheld.data["case"]["person"]["dateOfBirth"] is None
            assert withheld.withheld == ["Person.dateOfBirth"]
            await expect(cell).to_have_text("deny")

            page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept("Undo")))
            await page.click('#history button[data-version="1"]')
            await expect(page.locator("#status")).to_contain_text("Rolled back: version 3")
            await expect(cell).to_have_text("allow")
        finally:
            await browser.close()

    assert (await police(PERSON, id=case["id"])).ok()["case"]["person"]["dateOfBirth"]
    changes = [row for row in await audit_rows(served) if row["kind"] == "policy_change"]
    assert [(row["subject"], row["written_coordinates"]) for row in changes] == [
        ("maria.sakerhet", "|Person.dateOfBirth|"),
        ("maria.sakerhet", "|Person.dateOfBirth|"),
    ]


async def test_the_page_is_static_and_framing_is_refused(served: GraphQLClient):
    response = await served.http.get("/admin/policies")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    script = await served.http.get("/admin/policies/page.js")
    assert script.headers["content-type"].startswith("text/javascript")
