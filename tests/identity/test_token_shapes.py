"""Every token that is not exactly right is InvalidToken (HTTP 401 UNAUTHENTICATED), whatever its
shape: generated headers and payloads, signed with the real key or not, never raise anything
else. Oversized tokens are refused before they are decoded."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import jwt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jwt import get_algorithm_by_name

from api.identity.claims import MAX_SUBJECT
from api.identity.development import DEV_KID, _private_key, dev_issuer_name, dev_issuers
from api.identity.tokens import InvalidToken, TokenVerifier
from tests.graphql_client import graphql_client
from tests.identity.test_tokens import UNAUTHENTICATED, _claims, _dev_key, _post

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
CLAIMS = (
    "iss",
    "aud",
    "sub",
    "iat",
    "exp",
    "nbf",
    "roles",
    "purposes",
    "purpose",
    "unit",
    "agency",
)


def _segment(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def _unsigned(header: object, payload: object) -> str:
    return f"{_segment(header)}.{_segment(payload)}.c2ln"


@pytest.fixture(scope="module")
def key_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("shapes")


@pytest.fixture(scope="module")
def verifier(key_dir) -> TokenVerifier:
    return TokenVerifier(dev_issuers(key_dir), "returncases", 3600)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(header=JSON, payload=JSON)
def test_any_json_header_and_payload_is_an_invalid_token(verifier, header, payload):
    with pytest.raises(InvalidToken):
        verifier.verify(_unsigned(header, payload), requested_purpose=None)


def _signed_by(key_dir: Path, claims: object) -> str:
    """Signed with the real key, whatever the claims are (PyJWT's encoder refuses some)."""
    signing_input = f"{_segment({'alg': 'ES256', 'kid': DEV_KID})}.{_segment(claims)}"
    signature = get_algorithm_by_name("ES256").sign(signing_input.encode(), _private_key(key_dir))
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def test_the_signing_helper_makes_tokens_the_verifier_accepts(verifier, key_dir):
    principal = verifier.verify(_signed_by(key_dir, _claims()), requested_purpose=None)
    assert principal.subject == "officer-1"


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim=st.sampled_from(CLAIMS), value=JSON)
def test_a_signed_token_with_any_claim_replaced_is_refused_or_well_typed(
    verifier, key_dir, claim, value
):
    """Signed with the real key: a replaced claim either fails cleanly or yields a principal
    whose fields have the right types (never a TypeError, never a str where a number was)."""
    claims = _claims(iss=dev_issuer_name("polisen"))
    claims[claim] = value
    token = _signed_by(key_dir, claims)
    try:
        principal = verifier.verify(token, requested_purpose=None)
    except InvalidToken:
        return
    assert isinstance(principal.subject, str)
    assert principal.subject.strip()
    assert isinstance(principal.expires_at, float)
    assert all(isinstance(role, str) for role in principal.roles)
    assert principal.unit is None or isinstance(principal.unit, str)


@pytest.mark.parametrize(
    ("header", "payload"),
    [
        ({"alg": ["ES256"]}, {"iss": "x"}),
        ({}, {}),
        ({"alg": "ES256", "kid": DEV_KID}, {"iss": []}),
        ({"alg": "ES256", "kid": DEV_KID}, {}),
        ({"alg": "ES256", "kid": ["a"]}, {"iss": dev_issuer_name("polisen")}),
        ({"alg": "ES256", "kid": {}}, {"iss": {}}),
        ([], []),
        ("ES256", "x"),
    ],
)
async def test_malformed_token_parts_are_401_not_500(anonymous, header, payload):
    response = await _post(anonymous, _unsigned(header, payload))
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def _signed(anonymous, **overrides) -> str:
    anonymous.police("polisen-region-syd")  # the development key exists
    return jwt.encode(_claims(**overrides), _dev_key(anonymous.settings), "ES256", {"kid": DEV_KID})


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": str(int(time.time()) + 600)},  # a numeric string
        {"iat": str(int(time.time()))},
        {"exp": True},
        {"sub": ""},
        {"sub": "   "},
        {"sub": 7},
        {"sub": "x" * (MAX_SUBJECT + 1)},
        {"exp": int(time.time()) + 100 * 365 * 24 * 3600},  # a century ahead
        {"iat": int(time.time()) + 3600, "exp": int(time.time()) + 7200},  # issued in the future
        {"aud": ["someone-else"]},
        {"aud": {"returncases": True}},
        {"roles": "case_officer"},
        {"roles": [["case_officer"]]},
        {"purposes": "ENFORCEMENT"},
        {"unit": ["polisen-region-syd"]},
        {"unit": "u" * 81},
        {"client_id": "c" * 201},
        {"client_id": 7},
    ],
)
async def test_validly_signed_but_odd_tokens_are_refused(anonymous, overrides):
    response = await _post(anonymous, _signed(anonymous, **overrides))
    assert response.status_code == 401, overrides
    assert response.json() == UNAUTHENTICATED


async def test_a_token_longer_than_the_configured_lifetime_is_refused(anonymous):
    now = int(time.time())
    day = 24 * 3600
    assert (await _post(anonymous, _signed(anonymous, iat=now, exp=now + day))).status_code == 200
    too_long = _signed(anonymous, iat=now, exp=now + day + 120)
    assert (await _post(anonymous, too_long)).status_code == 401
    short = anonymous.settings.model_copy(update={"max_token_lifetime_seconds": 600})
    async with graphql_client(short) as strict:
        assert (await _post(strict, _signed(anonymous, iat=now, exp=now + 601))).status_code == 401
        assert (await _post(strict, _signed(anonymous, iat=now, exp=now + 590))).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "ES256", "kid": DEV_KID, "crit": ["exp"]},  # an extension we would have to honour
        {"alg": "ES256", "kid": 7},
    ],
)
def test_a_signed_token_with_an_odd_header_is_refused(verifier, key_dir, header):
    signing_input = f"{_segment(header)}.{_segment(_claims())}"
    signature = get_algorithm_by_name("ES256").sign(signing_input.encode(), _private_key(key_dir))
    token = f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    with pytest.raises(InvalidToken):
        verifier.verify(token, requested_purpose=None)


def test_an_oversized_token_is_refused_before_it_is_decoded(verifier):
    # 40 MB of one base64 segment: refused on its length alone.
    with pytest.raises(InvalidToken) as refused:
        verifier.verify("a" * 40_000_000, requested_purpose=None)
    assert refused.value.reason == "malformed: oversized"


async def test_an_oversized_authorization_header_is_401(anonymous):
    token = _signed(anonymous, padding="x" * 20_000)
    assert (await _post(anonymous, token)).status_code == 401


@pytest.mark.parametrize("value", [[], "token", 7, None])
def test_a_connection_init_payload_of_any_shape_is_an_invalid_token(verifier, value):
    from api.graphql.websocket import authenticate

    with pytest.raises(InvalidToken):
        authenticate(verifier, value if value is not None else {"Authorization": 7})


async def test_an_over_long_case_reference_is_refused_up_front_naming_the_header(client):
    ok = await client.http.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"Authorization": f"Bearer {client.token}", "X-Case-Reference": "r" * 200},
    )
    assert ok.status_code == 200, ok.text
    response = await client.http.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"Authorization": f"Bearer {client.token}", "X-Case-Reference": "r" * 201},
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "X-Case-Reference"}
