"""Bearer-token verification: asymmetric JWTs from a fixed set of configured issuers.

The checks follow RFC 8725 (JWT best current practices): the algorithm comes from the configured
key, never from the token; `kid` only selects among that issuer's keys; `exp`, `iat`, `iss`,
`aud` and `sub` are required. Every failure raises `InvalidToken` with one generic message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from api.identity.principal import Principal, Purpose
from db.enums import Agency

ALLOWED_ALGORITHMS = frozenset({"RS256", "ES256"})
LEEWAY_SECONDS = 30


class InvalidToken(Exception):
    """The token is missing, malformed, expired or not ours; deliberately without detail."""

    def __init__(self, reason: str) -> None:
        super().__init__("invalid token")
        self.reason = reason  # for the server log only


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

    def verify(
        self, token: str, *, requested_purpose: str | None, case_reference: str | None = None
    ) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise InvalidToken(f"malformed: {type(error).__name__}") from None
        if header.get("alg") not in ALLOWED_ALGORITHMS:
            raise InvalidToken("algorithm not allowed")
        issuer = self.issuers.get(unverified.get("iss")) if isinstance(unverified, dict) else None
        if issuer is None:
            raise InvalidToken("unknown issuer")
        key = issuer.key(header.get("kid"))
        if header["alg"] != key.algorithm:
            raise InvalidToken("algorithm does not match the key")
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm],
                audience=self.audience,
                issuer=issuer.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(f"rejected: {type(error).__name__}") from None
        return _principal(claims, issuer, requested_purpose, case_reference)


def _principal(
    claims: Mapping[str, Any], issuer: Issuer, requested: str | None, case_reference: str | None
) -> Principal:
    if claims.get("agency", issuer.agency.value) != issuer.agency.value:
        raise InvalidToken("agency does not match the issuer")
    roles = claims.get("roles")
    if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
        raise InvalidToken("roles missing")
    allowed = claims.get("purposes") or ([claims["purpose"]] if "purpose" in claims else [])
    if not isinstance(allowed, list) or not set(allowed) <= Purpose.ALL or not allowed:
        raise InvalidToken("purposes missing")
    purpose = requested or claims.get("purpose") or allowed[0]
    if purpose not in allowed:
        raise PurposeNotAllowed(allowed)
    subject = claims["sub"]
    unit = claims.get("unit")
    client_id = claims.get("client_id") or claims.get("azp")
    if not isinstance(subject, str) or not (unit is None or isinstance(unit, str)):
        raise InvalidToken("malformed claims")
    return Principal(
        subject=subject,
        agency=issuer.agency,
        roles=frozenset(roles),
        unit=unit,
        purpose=purpose,
        client_id=client_id if isinstance(client_id, str) else None,
        issuer=issuer.issuer,
        case_reference=case_reference,
        expires_at=float(claims["exp"]),
    )
