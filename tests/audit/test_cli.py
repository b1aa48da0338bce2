"""`returncases audit ...`: verify, keygen, checkpoint, export and tail on a real database."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from api.audit.checkpoints import load_public_key
from api.cli import app


@pytest.fixture
async def active(audited):
    for _ in range(3):
        (await audited("{ cases(first: 1) { totalCount } }")).ok()
    return audited


def test_verify_checkpoint_and_export_from_the_command_line(active, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", active.settings.database_url)
    key = tmp_path / "audit-signing.pem"
    monkeypatch.setenv("RETURNCASES_AUDIT_SIGNING_KEY", str(key))
    runner = CliRunner()

    generated = runner.invoke(app, ["audit", "keygen", "--out", str(key)])
    assert generated.exit_code == 0, generated.output
    public = tmp_path / "audit-signing.pub.pem"
    assert str(public) in generated.output
    assert b"PUBLIC KEY" in public.read_bytes()
    assert b"PRIVATE" not in public.read_bytes()
    assert key.stat().st_mode & 0o077 == 0  # the private key is the owner's only
    again = runner.invoke(app, ["audit", "keygen", "--out", str(key)])
    assert again.exit_code == 1  # an existing key is never replaced
    assert load_public_key(public) == load_public_key(key)
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "intact: 3 entries" in verified.output

    signed = runner.invoke(app, ["audit", "checkpoint"])
    assert signed.exit_code == 0, signed.output
    checkpoints = tmp_path / "checkpoints.jsonl"
    checkpoints.write_text(signed.output)
    assert json.loads(signed.output)["seq"] == 3
    against = runner.invoke(
        app,
        ["audit", "verify", "--checkpoints", str(checkpoints), "--public-key", str(public)],
    )
    assert against.exit_code == 0, against.output

    exported = runner.invoke(app, ["audit", "export", "--since", "1"])
    lines = [json.loads(line) for line in exported.output.splitlines()]
    assert [line["seq"] for line in lines] == [2, 3]
    assert {"subject", "purpose", "entry_hash", "cases"} <= set(lines[0])
    tail = runner.invoke(app, ["audit", "tail", "-n", "1"])
    assert [json.loads(line)["seq"] for line in tail.output.splitlines()] == [3]
