"""Bearer-token verification: asymmetric JWTs from a fixed set of configured issuers.

The checks follow RFC 8725 (JWT best current practices): the algorithm comes from the configured
key, never from the token; `kid` only selects among that issuer's keys; `exp`, `iat`, `iss`,
`aud` and `sub` are required and checked by type (`api/identity/claims.py`). The token is
size-checked and decoded once (`api/identity/jws.py`). Every failure raises `InvalidToken` with
one generic message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from api.identity.claims import (
    DEFAULT_MAX_LIFETIME_SECONDS,
    MAX_CLIENT_ID,
    MAX_SUBJECT,
    MAX_UNIT,
    InvalidToken,
    check_audience,
    check_times,
    roles,
    strings,
    text,
)
from api.identity.jws import MAX_TOKEN_BYTES, MalformedToken, parse_compact
from api.identity.principal import Principal, Purpose
from db.enums import Agency

ALLOWED_ALGORITHMS = frozenset({"RS256", "ES256"})
__all__ = ["InvalidToken", "Issuer", "PurposeNotAllowed", "TokenVerifier", "VerificationKey"]


class PurposeNotAllowed(InvalidToken):
    """A valid token, but the request's purpose (X-Purpose) is not one it allows. Raised only
    after the signature and claims are verified, so the allowed purposes it names are the
    caller's own token's."""

    def __init__(self, allowed: list[str]) -> None:
        super().__init__("purpose not allowed by the token")
        self.allowed = sorted(allowed)


@dataclass(frozen=True, slots=True)
class VerificationKey:
    kid: str
    algorithm: str
    key: Any


@dataclass(frozen=True, slots=True)
class Issuer:
    """A configured token issuer: one per agency, with its own keys."""

    issuer: str
    agency: Agency
    keys: tuple[VerificationKey, ...]

    def key(self, kid: str | None) -> VerificationKey:
        if kid is None and len(self.keys) == 1:
            return self.keys[0]
        for key in self.keys:
            if key.kid == kid:
                return key
        raise InvalidToken("unknown kid")


def _algorithm_for(key: Any, declared: str | None) -> str:
    expected = "RS256" if isinstance(key, rsa.RSAPublicKey) else None
    if isinstance(key, ec.EllipticCurvePublicKey):
        expected = "ES256" if isinstance(key.curve, ec.SECP256R1) else None
    if expected is None or (declared is not None and declared != expected):
        raise ValueError("only RSA (RS256) and P-256 (ES256) public keys are accepted")
    return expected


def keys_from_jwks(document: Mapping[str, Any]) -> tuple[VerificationKey, ...]:
    keys = []
    for entry in document.get("keys", []):
        if "d" in entry:
            raise ValueError("a JWKS for verification must not contain private keys")
        parsed = jwt.PyJWK(dict(entry))
        algorithm = _algorithm_for(parsed.key, entry.get("alg"))
        keys.append(VerificationKey(entry.get("kid") or "", algorithm, parsed.key))
    return tuple(keys)


def key_from_pem(pem: bytes, kid: str) -> VerificationKey:
    public_key = load_pem_public_key(pem)
    return VerificationKey(kid, _algorithm_for(public_key, None), public_key)


def load_issuers(config: Sequence[Mapping[str, Any]], base: Path) -> dict[str, Issuer]:
    """Issuers from configuration entries `{issuer, agency, jwks_file | pem_file [, kid]}`."""
    issuers: dict[str, Issuer] = {}
    for entry in config:
        agency = Agency(entry["agency"])
        if "jwks_file" in entry:
            keys = keys_from_jwks(json.loads((base / entry["jwks_file"]).read_text()))
        else:
            keys = (key_from_pem((base / entry["pem_file"]).read_bytes(), entry.get("kid", "")),)
        if not keys:
            raise ValueError(f"issuer {entry['issuer']} has no keys")
        issuers[entry["issuer"]] = Issuer(entry["issuer"], agency, keys)
    return issuers


@dataclass(frozen=True, slots=True)
class TokenVerifier:
    issuers: Mapping[str, Issuer]
    audience: str
    max_lifetime_seconds: float = DEFAULT_MAX_LIFETIME_SECONDS
    max_token_bytes: int = MAX_TOKEN_BYTES

    def verify(
        self,
        token: str,
        *,
        requested_purpose: str | None,
        case_reference: str | None = None,
        now: float | None = None,
    ) -> Principal:
        """The principal of a valid token; `InvalidToken` for anything else, never another
        exception (the size is checked before any decoding, the token decoded once)."""
        try:
            jws = parse_compact(token, self.max_token_bytes)
        except MalformedToken as error:
            raise InvalidToken(f"malformed: {error}") from None
        header, claims = jws.header, jws.claims
        algorithm, kid = header.get("alg"), header.get("kid")
        if not isinstance(algorithm, str) or algorithm not in ALLOWED_ALGORITHMS:
            raise InvalidToken("algorithm not allowed")
        if not (kid is None or isinstance(kid, str)) or "crit" in header:
            raise InvalidToken("header malformed")  # no extensions we would have to honour
        issuer_name = claims.get("iss")
        issuer = self.issuers.get(issuer_name) if isinstance(issuer_name, str) else None
        if issuer is None:
            raise InvalidToken("unknown issuer")
        key = issuer.key(kid)
        if algorithm != key.algorithm:
            raise InvalidToken("algorithm does not match the key")
        if not jws.signed_by(key.algorithm, key.key):
            raise InvalidToken("bad signature")
        expires = check_times(
            claims, time.time() if now is None else now, self.max_lifetime_seconds
        )
        check_audience(claims, self.audience)
        return _principal(claims, issuer, requested_purpose, case_reference, expires)


def _principal(
    claims: Mapping[str, Any],
    issuer: Issuer,
    requested: str | None,
    case_reference: str | None,
    expires: float,
) -> Principal:
    if claims.get("agency", issuer.agency.value) != issuer.agency.value:
        raise InvalidToken("agency does not match the issuer")
    subject = text(claims, "sub", MAX_SUBJECT, required=True) or ""
    granted, unit = roles(claims), text(claims, "unit", MAX_UNIT, required=False)
    client_id = text(claims, "client_id", MAX_CLIENT_ID, required=False) or text(
        claims, "azp", MAX_CLIENT_ID, required=False
    )
    purpose_claim = text(claims, "purpose", 40, required=False)
    allowed = strings(claims, "purposes") or ([purpose_claim] if purpose_claim else [])
    if not allowed or not set(allowed) <= Purpose.ALL:
        raise InvalidToken("purposes missing")
    purpose = requested or purpose_claim or allowed[0]
    if purpose not in allowed:  # last: every other claim is known good by now
        raise PurposeNotAllowed(allowed)
    return Principal(
        subject=subject,
        agency=issuer.agency,
        roles=granted,
        unit=unit,
        purpose=purpose,
        client_id=client_id,
        issuer=issuer.issuer,
        case_reference=case_reference,
        expires_at=expires,
    )
