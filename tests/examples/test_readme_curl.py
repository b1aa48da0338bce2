"""The README's curl example, exactly as written there, against a real server."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from tests.examples.conftest import ROOT, Service


def test_the_readme_curl_example_reads_cases_with_a_purpose(service: Service):
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```sh\n(.*?)```", readme, re.S) if b.startswith("curl ")]
    command = block.replace("http://127.0.0.1:8000", service.open_url)
    token = service.token("return_officer", "CASE_HANDLING", "mv-stockholm")
    done = subprocess.run(["/bin/bash", "-c", command], env={**os.environ, "TOKEN": token},
                          capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    cases = json.loads(done.stdout)["data"]["cases"]
    assert cases["totalCount"] > 0
    assert len(cases["edges"]) == 2
