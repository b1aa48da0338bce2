"""The README's worked question, asked of a real `returncases serve --demo` with the CLI."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from api.identity.development import mint_token
from db.enums import Agency
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.servers import RETURNCASES, start_serve, stop, wait_until_up

README = Path(__file__).parents[2] / "README.md"


def readme_answer() -> tuple[list[str], list[str]]:
    """The command line and the answer the README shows for the worked question."""
    text = README.read_text(encoding="utf-8")
    worked = r"```sh\n(RETURNCASES_TOKEN=[^\n]*? \.venv/bin/returncases stats .*?)\n```\n\n"
    match = re.search(worked + r"```text\n(.*?)\n```", text, re.DOTALL)
    assert match, "the README's worked question is missing"
    # After the token (which has a space in the README's placeholder) and the program.
    command = match.group(1).replace("\\\n", " ").split(".venv/bin/returncases", 1)[1].split()
    return command, match.group(2).splitlines()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_demo_analyst_gets_the_readme_answer_and_chart(backend, tmp_path):
    command, expected = readme_answer()
    async with migrated_database(backend, tmp_path) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "RETURNCASES_DEV_KEY_DIR": str(tmp_path / "key"),
            "RETURNCASES_POLICY_DIR": str(README.parent / "policies"),
        }
        base, server = start_serve(env, "--demo")
        try:
            wait_until_up(base, server)
            token = mint_token(
                tmp_path / "key",
                subject="olle.analytiker",
                agency=Agency.POLISEN,
                roles=["police_analyst"],
                unit=None,
                purposes=["STATISTICS"],
            )
            chart = tmp_path / "chart.png"
            arguments = [str(chart) if a.endswith(".png") else a for a in command]
            result = subprocess.run(  # noqa: ASYNC221 - the CLI is the thing under test
                [RETURNCASES, *arguments, "--url", f"{base}/graphql"],
                env={**env, "RETURNCASES_TOKEN": token},
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        finally:
            stop(server)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[: len(expected)] == expected
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
