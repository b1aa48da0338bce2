"""Signed checkpoints of the chain head (Ed25519), exported to where the database cannot reach."""

from __future__ import annotations

import base64
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


def generate_key(path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    path.chmod(0o600)


async def checkpoint(connection: AsyncConnection, key: Ed25519PrivateKey) -> Checkpoint:
    head = AuditHead.__table__
    row = (await connection.execute(select(head.c.seq, head.c.entry_hash))).one()
    unsigned = Checkpoint(row.seq, row.entry_hash, datetime.now(UTC).isoformat(), "")
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    return Checkpoint(row.seq, row.entry_hash, unsigned.signed_at, signature)
