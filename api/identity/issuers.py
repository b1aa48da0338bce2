"""Which issuers the running service trusts, from settings."""

from __future__ import annotations

import json

from api.identity.development import DEV_AUDIENCE, dev_issuers
from api.identity.tokens import TokenVerifier, load_issuers
from api.settings import Settings


def token_verifier(settings: Settings) -> TokenVerifier:
    if settings.issuers_file is not None:
        entries = json.loads(settings.issuers_file.read_text(encoding="utf-8"))
        issuers = load_issuers(entries, settings.issuers_file.parent)
        return TokenVerifier(issuers, settings.audience, settings.max_token_lifetime_seconds)
    if not settings.is_development:
        raise RuntimeError("no token issuers configured")
    return TokenVerifier(
        dev_issuers(settings.dev_key_dir), DEV_AUDIENCE, settings.max_token_lifetime_seconds
    )
