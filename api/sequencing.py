"""Wiring of the sequencer: what it integrates (audit entries, then case events) and when.

See db/election.py for the election and api/audit/chain.py, db/event_sequence.py for the
steps. Every commit in this process wakes the local sequencer, so where this worker holds the
lock, integration follows the commit at once; other workers' commits are found by polling.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from api.audit import chain
from api.settings import Settings
from api.telemetry import metrics
from db import event_sequence
from db.election import Sequencer, Step
from db.engine import Database

STEPS = (
    Step(chain.WAITING, chain.integrate),
    Step(event_sequence.WAITING, event_sequence.integrate),
)


def _observe(moved: int, _seconds: float) -> None:
    metrics.SEQUENCER_BATCH_SIZE.observe(moved)


def sequencer_for(settings: Settings, database: Database) -> Sequencer | None:
    """The sequencer of this worker on PostgreSQL; None on SQLite (writes integrate inline)."""
    if database.engine.dialect.name != "postgresql":
        return None
    sequencer = Sequencer(
        settings.database_url,
        STEPS,
        poll_seconds=settings.sequencer_poll_seconds,
        takeover_seconds=settings.sequencer_takeover_seconds,
        pace_seconds=settings.sequencer_pace_seconds,
        observe=_observe,
    )

    def committed(_connection: Any) -> None:
        sequencer.wake()

    event.listen(database.engine.sync_engine, "commit", committed)
    return sequencer
