"""Bearer tokens: everything but a valid, asymmetric, configured-issuer token gets 401."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from api.identity.development import DEV_KID, dev_issuer_name
from db.enums import Agency

QUERY = {"query": "{ cases(first: 1) { totalCount } }"}
UNAUTHENTICATED = {
    "errors": [{"message": "Authentication required.", "extensions": {"code": "UNAUTHENTICATED"}}]
}


def _dev_key(settings) -> ec.EllipticCurvePrivateKey:
    return serialization.load_pem_private_key(
        (settings.dev_key_dir / "dev-signing-key.pem").read_bytes(), password=None
    )


def _claims(**overrides):
    now = int(time.time())
    claims = {
        "iss": dev_issuer_name("polisen"),
        "aud": "returncases",
        "sub": "officer-1",
        "iat": now,
        "exp": now + 600,
        "agency": "polisen",
        "roles": ["border_police_officer"],
        "unit": "polisen-region-syd",
        "purposes": ["ENFORCEMENT"],
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


async def _post(anonymous, token: str | None, **headers: str):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return await anonymous.http.post("/graphql", json=QUERY, headers=headers)


async def test_a_valid_development_token_is_accepted(anonymous):
    # Given a token signed by the configured development issuer
    anonymous.police("polisen-region-syd")  # creates the key on first use
    token = jwt.encode(_claims(), _dev_key(anonymous.settings), "ES256", {"kid": DEV_KID})
    # Then the request is served
    response = await _post(anonymous, token)
    assert response.status_code == 200, response.text


def _forge(settings, kind: str) -> str:
    key = _dev_key(settings)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    match kind:
        case "alg none":
            return jwt.encode(_claims(), None, "none")
        case "HS256 with the public key as secret":
            header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")
            body = base64.urlsafe_b64encode(json.dumps(_claims()).encode()).rstrip(b"=")
            import hashlib
            import hmac

            signature = hmac.new(public_pem, header + b"." + body, hashlib.sha256).digest()
            return b".".join(
                [header, body, base64.urlsafe_b64encode(signature).rstrip(b"=")]
            ).decode()
        case "expired":
            return jwt.encode(
                _claims(iat=now - 7200, exp=now - 3600), key, "ES256", {"kid": DEV_KID}
            )
        case "not yet valid":
            return jwt.encode(
                _claims(iat=now + 3600, nbf=now + 3600, exp=now + 7200),
                key,
                "ES256",
                {"kid": DEV_KID},
            )
        case "wrong issuer":
            return jwt.encode(_claims(iss="https://evil.example"), key, "ES256", {"kid": DEV_KID})
        case "wrong audience":
            return jwt.encode(_claims(aud="someone-else"), key, "ES256", {"kid": DEV_KID})
        case "unknown kid":
            return jwt.encode(_claims(), key, "ES256", {"kid": "other-key"})
        case "signed by another key":
            other = ec.generate_private_key(ec.SECP256R1())
            return jwt.encode(_claims(), other, "ES256", {"kid": DEV_KID})
        case "RS256 with a key of our own":
            other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            return jwt.encode(_claims(), other, "RS256", {"kid": DEV_KID})
        case "tampered payload":
            token = jwt.encode(_claims(), key, "ES256", {"kid": DEV_KID})
            header, _, signature = token.split(".")
            roles = _claims(roles=["case_officer", "return_officer"], agency="polisen")
            body = base64.urlsafe_b64encode(json.dumps(roles).encode()).rstrip(b"=").decode()
            return f"{header}.{body}.{signature}"
        case "agency other than the issuer's":
            return jwt.encode(_claims(agency="migrationsverket"), key, "ES256", {"kid": DEV_KID})
        case "no roles":
            return jwt.encode(_claims(roles=None), key, "ES256", {"kid": DEV_KID})
        case "no purposes":
            return jwt.encode(_claims(purposes=None), key, "ES256", {"kid": DEV_KID})
        case "garbage":
            return "not.a.token"
    missing = kind.removeprefix("missing ")
    return jwt.encode(_claims(**{missing: None}), key, "ES256", {"kid": DEV_KID})


@pytest.mark.parametrize(
    "kind",
    [
        "alg none",
        "HS256 with the public key as secret",
        "expired",
        "not yet valid",
        "wrong issuer",
        "wrong audience",
        "unknown kid",
        "signed by another key",
        "RS256 with a key of our own",
        "tampered payload",
        "agency other than the issuer's",
        "no roles",
        "no purposes",
        "garbage",
        "missing exp",
        "missing iat",
        "missing sub",
        "missing aud",
        "missing iss",
    ],
)
async def test_rejected_tokens_get_401_without_detail(anonymous, kind):
    anonymous.police("polisen-region-syd")  # the development key exists
    response = await _post(anonymous, _forge(anonymous.settings, kind))
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", [None, "Basic dXNlcjpwYXNz", "Bearer", "Bearer "])
async def test_requests_without_a_bearer_token_get_401(anonymous, header):
    headers = {} if header is None else {"Authorization": header}
    response = await anonymous.http.post("/graphql", json=QUERY, headers=headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


async def test_a_purpose_the_token_does_not_allow_is_refused(anonymous):
    police = anonymous.police("polisen-region-syd")
    allowed = await police.http.post(
        "/graphql",
        json=QUERY,
        headers={"Authorization": f"Bearer {police.token}", "X-Purpose": "ENFORCEMENT"},
    )
    assert allowed.status_code == 200
    refused = await police.http.post(
        "/graphql",
        json=QUERY,
        headers={"Authorization": f"Bearer {police.token}", "X-Purpose": "CASE_HANDLING"},
    )
    assert refused.status_code == 403
    error = refused.json()["errors"][0]
    assert error["extensions"] == {
        "code": "PURPOSE_NOT_ALLOWED",
        "allowedPurposes": ["ENFORCEMENT"],
    }
    assert "X-Purpose" in error["message"]
    assert "ENFORCEMENT" in error["message"]


@pytest.mark.parametrize("purpose", ["STATISTICS", "AUDIT", "HACKING", "enforcement", ""])
async def test_a_wrong_purpose_names_the_purposes_the_token_allows(anonymous, purpose):
    officer = anonymous.as_user("case_officer", purposes=("CASE_HANDLING", "ENFORCEMENT"))
    response = await officer.http.post(
        "/graphql",
        json=QUERY,
        headers={"Authorization": f"Bearer {officer.token}", "X-Purpose": purpose},
    )
    if purpose == "":  # an empty header is no header: the token's first purpose
        assert response.status_code == 200
        return
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["allowedPurposes"] == [
        "CASE_HANDLING",
        "ENFORCEMENT",
    ]


async def test_an_invalid_token_with_a_wrong_purpose_still_learns_nothing(anonymous, tmp_path):
    from api.identity.development import mint_token

    forged = mint_token(
        tmp_path / "other-key",
        subject="x",
        agency=Agency.POLISEN,
        roles=["border_police_officer"],
        unit="u",
        purposes=["ENFORCEMENT"],
    )
    response = await anonymous.http.post(
        "/graphql",
        json=QUERY,
        headers={"Authorization": f"Bearer {forged}", "X-Purpose": "AUDIT"},
    )
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


async def test_health_endpoints_are_open(anonymous):
    assert (await anonymous.http.get("/healthz")).status_code == 200
    assert (await anonymous.http.get("/readyz")).status_code == 200


def test_the_cli_mints_tokens_the_service_accepts(anonymous, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from api.cli import app
    from api.identity.issuers import token_verifier

    monkeypatch.setenv("RETURNCASES_DEV_KEY_DIR", str(tmp_path))
    result = CliRunner().invoke(
        app,
        [
            "token",
            "--subject",
            "anna",
            "--agency",
            "polisen",
            "--role",
            "border_police_officer",
            "--unit",
            "polisen-region-syd",
            "--purpose",
            "ENFORCEMENT",
        ],
    )
    assert result.exit_code == 0, result.output
    from api.settings import Settings

    principal = token_verifier(Settings(dev_key_dir=tmp_path)).verify(
        result.output.strip(), requested_purpose=None
    )
    assert principal.subject == "anna"
    assert principal.roles == frozenset({"border_police_officer"})
    assert principal.purpose == "ENFORCEMENT"
