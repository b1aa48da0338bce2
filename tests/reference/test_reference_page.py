"""The schema reference at /reference: every type, field, argument, input field and enum value
with its description, the roles that typically see it under the policy in force, and every
error code; served without a token in development, off in production unless enabled; opens in
Chromium with nothing loaded from outside."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from api.app import create_app
from api.authz.authorizer import Authorizer
from api.reference.error_codes import ERROR_CODES
from api.reference.page import ReferencePage
from api.schema import schema
from api.settings import Environment, Settings
from tests.databases import migrated_database
from tests.policy.test_page import CHROMIUM, require_chromium
from tests.servers import serving_in_process

ROOT = Path(__file__).resolve().parents[2]
FIELDED = GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType


@pytest.fixture(scope="module")
def page() -> str:
    authorizer = Authorizer.from_directory(ROOT / "policies")
    return ReferencePage(schema._schema, authorizer).html().decode()


def _row(page: str, anchor: str) -> str:
    found = re.search(rf'<tr id="{re.escape(anchor)}">(.*?)</tr>', page)
    assert found, anchor
    return found.group(1)


def _anchors() -> set[str]:
    """Every schema element the page must show, as its anchor (a schema coordinate)."""
    expected = set()
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__"):
            continue
        expected.add(name)
        if isinstance(graphql_type, GraphQLEnumType):
            expected.update(f"{name}.{value}" for value in graphql_type.values)
        if isinstance(
            graphql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType
        ):
            for field_name, field in graphql_type.fields.items():
                expected.add(f"{name}.{field_name}")
                expected.update(
                    f"{name}.{field_name}({arg}:)" for arg in getattr(field, "args", {})
                )
    return expected


def test_every_type_field_argument_and_enum_value_has_its_place(page: str):
    anchors = set(re.findall(r' id="([^"]+)"', page))
    assert _anchors() - anchors == set()


def test_descriptions_come_from_the_schema(page: str):
    field = schema._schema.type_map["Decision"].fields["asylumGrounds"]  # type: ignore[union-attr]
    assert field.description in _row(page, "Decision.asylumGrounds")


def test_the_roles_that_see_a_coordinate_follow_the_policy(page: str):
    asylum = _row(page, "Decision.asylumGrounds")
    assert "case officer" in asylum
    assert "border police officer" not in asylum  # C4: never the police (DOMAIN.md)
    assert "return officer" in _row(page, "Mutation.handOverToPolice")
    audit = _row(page, "Query.auditEvents")
    assert "auditor" in audit
    assert "case officer" not in audit
    assert "wherever its parent is visible" in _row(page, "PageInfo.hasNextPage")


def test_every_error_code_of_the_readme_is_on_the_page(page: str):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Errors", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            documented.update(re.findall(r"`([A-Z_]+)`", line.split("|")[1]))
    assert documented == {code for code, _ in ERROR_CODES}
    for code, _ in ERROR_CODES:
        assert f'id="error-{code}"' in page


async def test_the_page_is_served_without_a_token_with_a_strict_policy(anonymous):
    response = await anonymous.http.get("/reference")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    for asset in ("/reference/reference.css", "/reference/reference.js"):
        assert (await anonymous.http.get(asset)).status_code == 200


def test_the_page_is_off_in_production_unless_enabled():
    production = Settings.model_construct(env=Environment.PRODUCTION, reference_page=None)
    assert not production.reference_page_enabled
    enabled = Settings.model_construct(env=Environment.PRODUCTION, reference_page=True)
    assert enabled.reference_page_enabled


async def test_a_disabled_page_is_not_served(settings: Settings):
    app = create_app(settings.model_copy(update={"reference_page": False}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        assert (await http.get("/reference")).status_code == 404


@pytest.fixture
async def base_url(tmp_path: Path, dev_key_dir: Path) -> AsyncIterator[str]:
    """A real uvicorn serving the app on a database of its own."""
    async with migrated_database("sqlite", tmp_path) as url:
        app = create_app(Settings(database_url=url, dev_key_dir=dev_key_dir))
        async with serving_in_process(app) as base:
            yield base


async def test_the_page_opens_in_chromium_with_every_outside_request_blocked(base_url: str):
    require_chromium()
    from playwright.async_api import async_playwright, expect

    outside: list[str] = []
    problems: list[str] = []

    async def only_loopback(route, request):
        if request.url.startswith(base_url + "/"):
            await route.continue_()
        else:
            outside.append(request.url)
            await route.abort()

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = await browser.new_page()
            await page.route("**/*", only_loopback)
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            await page.goto(f"{base_url}/reference")
            await expect(page.locator("h1")).to_have_text("returncases API reference")
            # The stylesheet applied (a grid layout), so the page's own assets loaded.
            display = await page.evaluate("getComputedStyle(document.body).display")
            assert display == "grid"
            await page.click('nav a[href="#ReturnCase"]')
            await expect(page.locator("#ReturnCase h2")).to_be_in_viewport()
            await page.fill("#filter", "asylumGrounds")
            await expect(page.locator('tr[id="Decision.asylumGrounds"]')).to_be_visible()
            await expect(page.locator('tr[id="Decision.finalDate"]')).to_be_hidden()
            await expect(page.locator("section#PageInfo")).to_be_hidden()
        finally:
            await browser.close()
    assert outside == []
    assert problems == []
