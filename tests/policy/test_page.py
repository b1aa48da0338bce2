"""The policy administration page in a real headless browser (Debian's Chromium driven by
Playwright): a security officer proposes withholding a field from the border police, having
seen beforehand that exactly that coordinate is lost for that role and who must approve; a
second officer approves, the change applies, a police query loses the field; the rollback is
approved by both agencies; a rejection ends a proposal; every step is in the audit trail."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from tests.audit.helpers import audit_rows
from tests.authz.cases import handed_over
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient
from tests.policy.conftest import security_officer
from tests.policy.test_admin import PERSON
from tests.servers import serving_in_process

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
        async with serving_in_process(app) as base, httpx.AsyncClient(base_url=base) as http:
            yield GraphQLClient(http, app, settings)


async def sign_in(browser: Any, base_url: str, client: GraphQLClient) -> Any:
    """A browser context of its own per officer (the token lives in the tab's session)."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{base_url}/admin/policies")
    await page.fill("#token", client.token or "")
    await page.click("text=Sign in")
    await page.locator("#workspace").wait_for()
    return page


async def decide(page: Any, proposal: int, decision: str, reason: str) -> None:
    item = page.locator(f'#proposals [data-proposal="{proposal}"]')
    await item.locator(".decision-reason").fill(reason)
    await item.locator(f"button.{decision}").click()


async def test_officers_propose_approve_and_apply_a_change_and_its_rollback_in_the_browser(
    served: GraphQLClient,
):
    """Maria (Migrationsverket) withholds a field from the border police: Pia (Polisen)
    approves, since it is a Polisen role. Giving it back also opens Migrationsverket's data to
    the police, so Pia and Erik (Migrationsverket, not the author) both approve the rollback."""
    require_chromium()
    from playwright.async_api import async_playwright, expect

    # A bound for a loaded machine (the first preview in a process builds every plan cold),
    # not a latency claim.
    expect.set_options(timeout=60_000)
    case = await handed_over(served.as_user("case_officer", "return_officer"), UNIT)
    police = served.police(UNIT)
    assert (await police(PERSON, id=case["id"])).ok()["case"]["person"]["dateOfBirth"]
    maria = security_officer(served, "maria.sakerhet")
    pia = security_officer(served, "pia.polis", "polisen")
    erik = security_officer(served, "erik.granskning")
    base = str(served.http.base_url)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = await sign_in(browser, base, maria)
            cell = page.locator(
                '[data-coordinate="Person.dateOfBirth"][data-role="border_police_officer"]'
            )
            await expect(cell).to_have_text("closed")  # not on closed cases (issue 15)
            await cell.click()
            await expect(cell).to_have_text("deny")

            await page.click("#preview")
            await expect(page.locator("#diff")).to_be_visible()
            # Exactly one role loses exactly that coordinate; Polisen must approve.
            await expect(page.locator("#diff .role-diff")).to_have_count(1)
            await expect(page.locator("#diff .role-diff li")).to_have_text(
                ["loses readUnlessClosed Person.dateOfBirth"]
            )
            await expect(page.locator("#required")).to_contain_text("approval of: polisen")
            await page.fill("#reason", "Date of birth is not needed for enforcement")
            await page.click("#propose")
            await expect(page.locator("#status")).to_contain_text("Proposed as #1")
            await expect(page.locator('[data-proposal="1"] h3')).to_contain_text("pending")
            # The author cannot approve it.
            await decide(page, 1, "approve", "my own")
            await expect(page.locator("#status")).to_contain_text("POLICY_FOUR_EYES")

            police_page = await sign_in(browser, base, pia)
            proposal = police_page.locator('[data-proposal="1"]')
            await expect(proposal.locator(".effect li")).to_have_text(
                ["border_police_officer (polisen) loses readUnlessClosed Person.dateOfBirth"]
            )
            await decide(police_page, 1, "approve", "Agreed for enforcement")
            await expect(police_page.locator("#status")).to_contain_text("Approved #1")
            await expect(proposal.locator("h3")).to_contain_text("approved")

            await page.reload()
            await page.locator('[data-proposal="1"] button.apply-proposal').click()
            await expect(page.locator("#status")).to_contain_text("Applied as version 2")
            withheld = await police(PERSON, id=case["id"])
            assert withheld.data["case"]["person"]["dateOfBirth"] is None
            assert withheld.withheld == ["Person.dateOfBirth"]
            await expect(cell).to_have_text("deny")
            await expect(page.locator('#history tr[data-version="2"]')).to_contain_text(
                "pia.polis (polisen)"
            )

            page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept("Undo")))
            await page.click('#history button[data-version="1"]')
            await expect(page.locator("#status")).to_contain_text("Proposed as #2")
            required = page.locator('[data-proposal="2"] .required li')
            await expect(required).to_have_count(2)
            await police_page.reload()
            await decide(police_page, 2, "approve", "Fine")
            mv_page = await sign_in(browser, base, erik)
            await decide(mv_page, 2, "approve", "Owner agrees")
            await expect(mv_page.locator("#status")).to_contain_text("Approved #2")
            await mv_page.locator('[data-proposal="2"] button.apply-proposal').click()
            await expect(mv_page.locator("#status")).to_contain_text("Applied as version 3")
            await page.reload()
            await expect(cell).to_have_text("closed")  # not on closed cases (issue 15)

            # A rejection, with its reason, ends a proposal.
            await cell.click()
            await page.click("#preview")
            await page.fill("#reason", "Again")
            await page.click("#propose")
            await expect(page.locator("#status")).to_contain_text("Proposed as #3")
            await police_page.reload()
            await decide(police_page, 3, "reject", "We need it")
            await expect(police_page.locator('[data-proposal="3"]')).to_contain_text(
                "Rejected by pia.polis (polisen): We need it"
            )
        finally:
            await browser.close()

    assert (await police(PERSON, id=case["id"])).ok()["case"]["person"]["dateOfBirth"]
    steps = [
        (row["kind"], row["subject"])
        for row in await audit_rows(served)
        if row["kind"].startswith("policy_")
    ]
    assert steps == [
        ("policy_proposal", "maria.sakerhet"),
        ("policy_approval", "pia.polis"),
        ("policy_change", "maria.sakerhet"),
        ("policy_proposal", "maria.sakerhet"),
        ("policy_approval", "pia.polis"),
        ("policy_approval", "erik.granskning"),
        ("policy_change", "erik.granskning"),
        ("policy_proposal", "maria.sakerhet"),
        ("policy_rejection", "pia.polis"),
    ]


async def test_the_page_is_static_and_framing_is_refused(served: GraphQLClient):
    response = await served.http.get("/admin/policies")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    script = await served.http.get("/admin/policies/page.js")
    assert script.headers["content-type"].startswith("text/javascript")
