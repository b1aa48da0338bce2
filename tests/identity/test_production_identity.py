"""README.md's "Production identity", done as written: the example issuers file with JWKS files
from a (stand-in) identity provider, a real `returncases serve` in production mode, a token with
the required claims accepted, and a token without any one of the claims the table marks required
refused. compose.yaml wires the same files to the image the Dockerfile builds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import jwt
import pytest
import yaml
from cryptography.hazmat.primitives import serialization

from tests.readme import README
from tests.servers import RETURNCASES, spawn_serving, stop, wait_until_up

REPO = Path(__file__).parents[2]
EXAMPLE = REPO / "deploy" / "issuers"
IDP = REPO / "deploy" / "example_idp.py"
QUERY = {"query": "{ cases(first: 1) { totalCount } }"}


def _required_claims() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Production identity") : text.index("## Policies and audit")]
    return re.findall(r"^\| `(\w+)` \| yes \|", section, re.M)


def _idp(*arguments: str | Path) -> str:
    result = subprocess.run(
        [sys.executable, IDP, *map(str, arguments)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory):
    """The example issuers directory with the stand-in's keys, served in production mode."""
    root = tmp_path_factory.mktemp("production")
    issuers = root / "issuers"
    issuers.mkdir()
    shutil.copy(EXAMPLE / "issuers.json", issuers / "issuers.json")
    _idp("keys", issuers)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RETURNCASES_")}
    env.update(
        RETURNCASES_ENV="production",
        RETURNCASES_ISSUERS_FILE=str(issuers / "issuers.json"),
        DATABASE_URL=f"sqlite:///{root / 'production.db'}",
    )
    base, server = spawn_serving(
        [RETURNCASES, "serve"],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base, server)
        yield base, issuers
    finally:
        stop(server)


def _police_token(issuers: Path) -> str:
    return _idp(
        "token", issuers, "--agency", "polisen", "--subject", "sara",
        "--role", "border_police_officer", "--unit", "polisen-region-stockholm",
        "--purpose", "ENFORCEMENT",
    )  # fmt: skip


def test_a_token_from_the_configured_provider_is_accepted_in_production(production):
    base, issuers = production
    token = _police_token(issuers)
    answer = httpx.post(f"{base}/graphql", json=QUERY, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert answer.json() == {"data": {"cases": {"totalCount": 0}}}
    # Production: no GraphiQL, no development issuer.
    assert httpx.get(f"{base}/graphql", headers={"Accept": "text/html"}).status_code == 405


def test_the_readme_table_names_the_claims_the_verifier_requires():
    assert _required_claims() == ["iss", "aud", "sub", "exp", "iat", "roles", "purposes"]


@pytest.mark.parametrize("claim", _required_claims())
def test_a_token_without_a_required_claim_is_refused(production, claim):
    base, issuers = production
    claims = jwt.decode(_police_token(issuers), options={"verify_signature": False})
    claims["iat"] = int(time.time())
    del claims[claim]
    key = serialization.load_pem_private_key(
        (issuers / "polisen-signing.pem").read_bytes(), password=None
    )
    token = jwt.encode(claims, key, algorithm="ES256", headers={"kid": "polisen-example-1"})  # type: ignore[arg-type]
    answer = httpx.post(f"{base}/graphql", json=QUERY, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


def test_compose_runs_the_dockerfile_image_in_production_with_the_example_issuers():
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    api, db = compose["services"]["api"], compose["services"]["db"]
    assert api["build"] == "."
    assert (REPO / "Dockerfile").is_file()
    env = api["environment"]
    assert env["RETURNCASES_ENV"] == "production"
    (mount,) = api["volumes"]
    source, target, mode = mount.split(":")
    assert mode == "ro"
    issuers_file = Path(env["RETURNCASES_ISSUERS_FILE"])
    assert issuers_file.parent == Path(target)
    assert (REPO / source / issuers_file.name).is_file()
    assert re.fullmatch(r"postgresql://\w+:\w+@db:5432/\w+", env["DATABASE_URL"])
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert "healthcheck" in db
    assert api["command"][0] == "serve"
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert 'ENTRYPOINT ["returncases"]' in dockerfile
