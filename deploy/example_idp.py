"""A stand-in identity provider for trying production mode (compose.yaml) without a real one.

It does what each agency's IdP does for the service, with files instead of endpoints:

    .venv/bin/python deploy/example_idp.py keys deploy/issuers
        a P-256 signing key per issuer named in deploy/issuers/issuers.json (kept here, mode
        0600, git-ignored) and the public half as the JWKS file the issuers file names, as an
        IdP publishes it at its jwks_uri;
    .venv/bin/python deploy/example_idp.py token deploy/issuers --agency polisen \\
        --subject sara --role border_police_officer --unit polisen-region-stockholm \\
        --purpose ENFORCEMENT
        a token with the claims the service requires (README.md, "Production identity").

With a real IdP, skip `keys`: save its JWKS (e.g. `curl -fsS https://idp.example/jwks.json`)
under the name the issuers file gives, and let the IdP issue the tokens.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def _issuers(directory: Path) -> list[dict[str, str]]:
    return json.loads((directory / "issuers.json").read_text(encoding="utf-8"))


def _kid(agency: str) -> str:
    return f"{agency}-example-1"


def keys(directory: Path) -> None:
    for entry in _issuers(directory):
        agency, private_path = entry["agency"], directory / f"{entry['agency']}-signing.pem"
        if private_path.exists():
            print(f"{private_path} exists; kept")
            continue
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
        jwk.update(kid=_kid(agency), alg="ES256", use="sig")
        (directory / entry["jwks_file"]).write_text(json.dumps({"keys": [jwk]}, indent=2) + "\n")
        print(f"wrote {private_path} and {directory / entry['jwks_file']}")


def token(directory: Path, arguments: argparse.Namespace) -> str:
    (entry,) = [e for e in _issuers(directory) if e["agency"] == arguments.agency]
    pem = (directory / f"{arguments.agency}-signing.pem").read_bytes()
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": entry["issuer"],
        "aud": os.environ.get("RETURNCASES_AUDIENCE", "returncases"),
        "sub": arguments.subject,
        "iat": now,
        "exp": now + arguments.ttl,
        "jti": str(uuid.uuid4()),
        "agency": arguments.agency,
        "roles": arguments.role,
        "purposes": arguments.purpose,
        "client_id": "example-idp",
    }
    if arguments.unit:
        claims["unit"] = arguments.unit
    key = serialization.load_pem_private_key(pem, password=None)
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": _kid(arguments.agency)})  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("keys").add_argument("directory", type=Path)
    minting = commands.add_parser("token")
    minting.add_argument("directory", type=Path)
    minting.add_argument("--agency", required=True, choices=["migrationsverket", "polisen"])
    minting.add_argument("--subject", required=True)
    minting.add_argument("--role", action="append", required=True)
    minting.add_argument("--purpose", action="append", required=True)
    minting.add_argument("--unit")
    minting.add_argument("--ttl", type=int, default=3600)
    arguments = parser.parse_args()
    if arguments.command == "keys":
        keys(arguments.directory)
    else:
        print(token(arguments.directory, arguments))


if __name__ == "__main__":
    main()
