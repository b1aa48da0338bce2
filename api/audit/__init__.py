"""Audit: every resolver call of every request, append-only and hash-chained (invariant 7)."""
