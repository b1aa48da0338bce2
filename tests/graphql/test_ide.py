"""GraphiQL at /graphql works without internet: in headless Chromium with every request that
leaves the host aborted, the IDE loads from the service's own files under its strict CSP, runs
the README's worklist query with a border police token (the page comes back, with FORBIDDEN for
`Decision.asylumGrounds`), and a subscription started in the IDE with the same headers receives
a handover as it commits."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from api.graphql import ide
from tests.authz.cases import handed_over
from tests.demo import demo_server, demo_user
from tests.graphql_client import GraphQLClient
from tests.policy.test_page import CHROMIUM, require_chromium
from tests.readme import example

UNIT = "polisen-region-stockholm"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}
FEED = """query Feed($after: String) {
  caseEvents(first: 1000, after: $after) { pageInfo { hasNextPage endCursor } }
}"""
SUBSCRIPTION = """subscription Arrivals($after: String) {
  handoversToMyUnit(after: $after) { cursor node { type } case { id caseNumber } }
}"""


@pytest.fixture
async def served(tmp_path: Path, dev_key_dir: Path) -> AsyncIterator[GraphQLClient]:
    async with demo_server(tmp_path, dev_key_dir, cases=300) as anonymous:
        yield anonymous


async def test_the_ide_page_and_every_file_it_loads_come_from_the_service(served):
    page = await served.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == ide.CSP
    assert "unsafe" not in ide.CSP  # no inline or eval'd code or style
    assert "http" not in ide.CSP  # and nothing from another host
    assert "script-src 'self';" in ide.CSP
    assert "<script>" not in page.text  # no inline code: script-src 'self' forbids it
    for name, digest in ide.vendored().items():
        asset = await served.http.get(f"/graphql/ide/{name}")
        assert asset.status_code == 200, name
        assert hashlib.sha256(asset.content).hexdigest() == digest, f"{name} is not the build"
        assert asset.headers["content-security-policy"] == ide.CSP
    licences = (await served.http.get("/graphql/ide/THIRD_PARTY_LICENSES.txt")).text
    for package in ("graphiql@3.8.3", "react@18.3.1", "react-dom@18.3.1", "graphql-ws@"):
        assert f"==== {package}" in licences, package


def test_the_committed_assets_are_the_build_the_manifest_records():
    vendor = Path(ide.__file__).parent / "ide" / "vendor"
    manifest = json.loads((vendor / "manifest.json").read_text())
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == entry["sha256"], name
    lock = json.loads((Path(__file__).parents[2] / "scripts/ide/package-lock.json").read_text())
    installed = {path.removeprefix("node_modules/"): meta["version"]
                 for path, meta in lock["packages"].items() if path}  # fmt: skip
    for package in ("graphiql", "react", "react-dom"):
        assert manifest["packages"][package] == installed[package]


async def _set_editor(page, selector: str, text: str) -> None:
    """Set a GraphiQL (CodeMirror 5) editor's text the way typing would."""
    editor = f"{selector} .CodeMirror:visible"
    await page.wait_for_selector(editor)
    await page.eval_on_selector(editor, "(node, text) => node.CodeMirror.setValue(text)", text)


async def _set_query(page, text: str) -> None:
    """Set the operation, then wait until GraphiQL has parsed it: its (debounced) change handler
    stores the text and, in the same step, which operation it is."""
    await _set_editor(page, ".graphiql-query-editor", text)
    await page.wait_for_function(
        "text => window.localStorage.getItem('graphiql:query') === text", arg=text
    )


async def _response(page) -> dict:
    text = await page.eval_on_selector(
        ".graphiql-response .CodeMirror", "element => element.CodeMirror.getValue()"
    )
    return json.loads(text) if text.strip() else {}


async def _event_head(police: GraphQLClient) -> str | None:
    after = None
    while True:
        page = (await police(FEED, after=after)).ok()["caseEvents"]["pageInfo"]
        after = page["endCursor"] or after
        if not page["hasNextPage"]:
            return after


async def test_the_ide_runs_the_readme_worklist_and_a_subscription_with_the_network_blocked(
    served: GraphQLClient,
):
    require_chromium()
    from playwright.async_api import async_playwright

    police = demo_user(served, "border_police_officer")
    headers = json.dumps({"Authorization": f"Bearer {police.token}", "X-Purpose": "ENFORCEMENT"})
    worklist = example("query Worklist")
    blocked: list[str] = []
    problems: list[str] = []

    async def only_loopback(route):
        if urlsplit(route.request.url).hostname in LOOPBACK:
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort("internetdisconnected")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            context = await browser.new_context()
            await context.route("**/*", only_loopback)
            page = await context.new_page()
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on(
                "console",
                lambda message: (
                    problems.append(message.text)
                    if message.type == "error" and "Content Security Policy" in message.text
                    else None
                ),
            )
            await page.goto(f"{served.http.base_url}/graphql")
            await page.wait_for_selector(".graphiql-execute-button")

            await page.click(".graphiql-editor-tools button:has-text('Headers')")
            await _set_editor(page, ".graphiql-editor-tool", headers)
            await _set_query(page, worklist.document)
            await page.click(".graphiql-execute-button")
            await page.wait_for_function(
                "() => document.querySelector('.graphiql-response .CodeMirror')"
                ".CodeMirror.getValue().includes('totalCount')"
            )
            result = await _response(page)
            cases = result["data"]["cases"]
            assert cases["totalCount"] > 0
            assert cases["edges"]
            assert all(edge["node"]["decision"]["asylumGrounds"] is None for edge in cases["edges"])
            forbidden = [e["extensions"] for e in result["errors"]]
            assert forbidden == [{"code": "FORBIDDEN", "coordinate": "Decision.asylumGrounds"}]

            # A subscription from the last event on: what commits after that arrives, however
            # long the socket takes to open.
            after = await _event_head(police)
            await _set_query(page, SUBSCRIPTION)
            await page.click(".graphiql-editor-tools button:has-text('Variables')")
            await _set_editor(page, ".graphiql-editor-tool", json.dumps({"after": after}))
            await page.click(".graphiql-execute-button")
            case = await handed_over(served.as_user("case_officer", "return_officer"), UNIT)
            await page.wait_for_function(
                "id => document.querySelector('.graphiql-response .CodeMirror')"
                ".CodeMirror.getValue().includes(id)",
                arg=case["id"],
            )
            event = (await _response(page))["data"]["handoversToMyUnit"]
            assert event["case"]["id"] == case["id"]
            assert event["node"]["type"] == "HANDED_OVER"
        finally:
            await browser.close()
    assert blocked == []  # nothing even tried to leave the host
    assert problems == []
