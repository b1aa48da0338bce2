"""Signed checkpoints of the chain head (Ed25519), exported to where the database cannot reach."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from api.audit.verify import Checkpoint
from db.models import AuditHead


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the audit signing key must be an Ed25519 private key (PEM)")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    data = path.read_bytes()
    if b"PRIVATE" in data:
        return load_private_key(path).public_key()
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the audit verification key must be an Ed25519 public key (PEM)")
    return key


def public_key_path(private: Path) -> Path:
    """Where keygen puts the public half: `audit-key.pem` -> `audit-key.pub.pem`."""
    return private.with_name(f"{private.stem}.pub{private.suffix}")


def _create(path: Path, content: bytes, mode: int) -> None:
    """Write a new file; never replace a key that may already have signed checkpoints."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)


def generate_key(path: Path) -> Path:
    """A new Ed25519 key pair: the private key at `path` (mode 0600, for signing) and the
    public key beside it (for `verify --public-key`, shareable). Returns the public key's path."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    public_path = public_key_path(path)
    if public_path.exists():  # checked first, so a refusal leaves no half-written pair
        raise FileExistsError(17, "File exists", str(public_path))
    _create(path, private, 0o600)
    _create(public_path, public, 0o644)
    return public_path


async def checkpoint(connection: AsyncConnection, key: Ed25519PrivateKey) -> Checkpoint:
    """Sign the head: it covers integrated entries only, never ones still pending."""
    head = AuditHead.__table__
    row = (await connection.execute(select(head.c.seq, head.c.entry_hash))).one()
    unsigned = Checkpoint(row.seq, row.entry_hash, datetime.now(UTC).isoformat(), "")
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    return Checkpoint(row.seq, row.entry_hash, unsigned.signed_at, signature)
