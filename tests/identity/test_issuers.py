"""Configured issuers: keys from a JWKS or PEM file, one issuer per agency; production refuses
the development issuer."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pydantic import ValidationError

from api.identity.issuers import token_verifier
from api.identity.tokens import InvalidToken
from api.settings import Settings


def _claims(issuer: str, agency: str) -> dict:
    now = int(time.time())
    return {
        "iss": issuer,
        "aud": "returncases",
        "sub": "someone",
        "iat": now,
        "exp": now + 300,
        "agency": agency,
        "roles": ["case_officer"],
        "unit": "mv-goteborg",
        "purposes": ["CASE_HANDLING"],
    }


@pytest.fixture
def configured(tmp_path):
    """Migrationsverket publishes an RSA JWKS; the police hand over an EC public key as PEM."""
    mv_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    mv_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(mv_key.public_key()))
    mv_jwk.update(kid="mv-2026", alg="RS256", use="sig")
    (tmp_path / "mv.jwks").write_text(json.dumps({"keys": [mv_jwk]}))
    police_key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "police.pem").write_bytes(
        police_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    issuers = [
        {"issuer": "https://idp.mv.example", "agency": "migrationsverket", "jwks_file": "mv.jwks"},
        {
            "issuer": "https://idp.polisen.example",
            "agency": "polisen",
            "pem_file": "police.pem",
            "kid": "pol-1",
        },
    ]
    (tmp_path / "issuers.json").write_text(json.dumps(issuers))
    settings = Settings(env="production", issuers_file=tmp_path / "issuers.json")
    return token_verifier(settings), mv_key, police_key


def test_tokens_from_each_configured_issuer_verify(configured):
    verifier, mv_key, police_key = configured
    mv = jwt.encode(
        _claims("https://idp.mv.example", "migrationsverket"), mv_key, "RS256", {"kid": "mv-2026"}
    )
    police = jwt.encode(
        _claims("https://idp.polisen.example", "polisen"), police_key, "ES256", {"kid": "pol-1"}
    )
    assert verifier.verify(mv, requested_purpose=None).agency == "migrationsverket"
    assert verifier.verify(police, requested_purpose=None).agency == "polisen"


def test_a_kid_only_selects_among_the_issuers_own_keys(configured):
    verifier, mv_key, _ = configured
    # Signed by Migrationsverket's key but claiming the police issuer: the police issuer has
    # no key "mv-2026", so the kid cannot reach across issuers.
    forged = jwt.encode(
        _claims("https://idp.polisen.example", "polisen"), mv_key, "RS256", {"kid": "mv-2026"}
    )
    with pytest.raises(InvalidToken):
        verifier.verify(forged, requested_purpose=None)


def test_production_mode_never_trusts_the_development_issuer(configured):
    verifier, _, _ = configured
    assert not any("dev.returncases" in issuer for issuer in verifier.issuers)
    with pytest.raises(ValidationError, match="RETURNCASES_ISSUERS_FILE"):
        Settings(env="production")


async def test_graphiql_page_is_open_in_development_only(anonymous):
    page = await anonymous.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
