"""The development issuer: a local key that signs tokens for demos and tests.

Generated on first use and kept in the development key directory. The service never trusts it
in production mode (settings refuse to start with it).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from api.identity.tokens import Issuer, VerificationKey
from db.enums import Agency

DEV_KID = "returncases-dev-1"
DEV_AUDIENCE = "returncases"


def dev_issuer_name(agency: Agency | str) -> str:
    return f"https://dev.returncases.invalid/{Agency(agency).value}"


def _private_key(directory: Path) -> ec.EllipticCurvePrivateKey:
    path = directory / "dev-signing-key.pem"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Create with owner-only permissions; a concurrent creator simply loses the race.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as file:
                file.write(pem)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, ec.EllipticCurvePrivateKey)
    return loaded


def dev_issuers(directory: Path) -> dict[str, Issuer]:
    public_key = _private_key(directory).public_key()
    key = VerificationKey(DEV_KID, "ES256", public_key)
    return {
        dev_issuer_name(agency): Issuer(dev_issuer_name(agency), agency, (key,))
        for agency in Agency
    }


def mint_token(
    directory: Path,
    *,
    subject: str,
    agency: Agency,
    roles: Iterable[str],
    unit: str | None = None,
    purposes: Iterable[str] = (),
    ttl_seconds: int = 3600,
    client_id: str = "returncases-dev",
    now: float | None = None,
    extra: dict[str, object] | None = None,
) -> str:
    issued = int(now if now is not None else time.time())
    claims: dict[str, object] = {
        "iss": dev_issuer_name(agency),
        "aud": DEV_AUDIENCE,
        "sub": subject,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl_seconds,
        "jti": str(uuid.uuid4()),
        "agency": agency.value,
        "roles": list(roles),
        "purposes": list(purposes),
        "client_id": client_id,
    }
    if unit is not None:
        claims["unit"] = unit
    claims.update(extra or {})
    return jwt.encode(claims, _private_key(directory), algorithm="ES256", headers={"kid": DEV_KID})
