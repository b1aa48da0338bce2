"""Shared by the benchmark scripts."""

from __future__ import annotations

from tests.databases import postgres_unavailable_reason


async def available_backends() -> list[str]:
    """SQLite always; PostgreSQL when the local server answers (said on stdout otherwise)."""
    reason = await postgres_unavailable_reason()
    if reason is not None:
        print(f"{reason}: SQLite only")
        return ["sqlite"]
    return ["sqlite", "postgresql"]
