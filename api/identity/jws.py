"""A compact JWS, taken apart once and strictly, before anything trusts a byte of it.

The size is checked before any decoding (a token is a few hundred bytes; a 40 MB one must cost
nothing). Header and payload are base64url JSON objects; anything else (arrays, strings,
duplicate keys, NaN, non-base64url characters) is malformed. The signature is then checked
with PyJWT's algorithm implementations on the same bytes, so the token is decoded exactly once.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from jwt import get_algorithm_by_name

# Real tokens are well under 2 KiB; RFC 7515 sets no limit, so we do.
MAX_TOKEN_BYTES = 8192
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class MalformedToken(ValueError):
    """Not a compact JWS we can read; the reason is for the server log only."""


@dataclass(frozen=True, slots=True)
class CompactJWS:
    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes

    def signed_by(self, algorithm: str, key: Any) -> bool:
        try:
            return bool(
                get_algorithm_by_name(algorithm).verify(self.signing_input, key, self.signature)
            )
        except (ValueError, TypeError):  # a signature of the wrong shape
            return False


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise MalformedToken("duplicate member")  # RFC 7515 section 4: reject or last wins
    return result


def _refuse_constant(name: str) -> Any:
    raise MalformedToken(f"non-JSON number {name}")


def _segment(text: str) -> bytes:
    if not _BASE64URL.fullmatch(text):
        raise MalformedToken("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise MalformedToken("not base64url") from None


def _object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(
            _segment(text).decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_refuse_constant,
        )
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise MalformedToken("not a JSON object") from None
    if not isinstance(value, dict):
        raise MalformedToken("not a JSON object")
    return value


def parse_compact(token: str, max_bytes: int = MAX_TOKEN_BYTES) -> CompactJWS:
    if len(token) > max_bytes:
        raise MalformedToken("oversized")
    if not token.isascii():
        raise MalformedToken("not ASCII")
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedToken("not three segments")
    header, claims = _object(parts[0]), _object(parts[1])
    return CompactJWS(
        header=header,
        claims=claims,
        signing_input=f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature=_segment(parts[2]),
    )
