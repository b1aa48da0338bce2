"""An integrator's client of the returncases API, on the typed client in returncases_client/.

    export RETURNCASES_URL=http://127.0.0.1:8000/graphql RETURNCASES_TOKEN=eyJ… \
        RETURNCASES_PURPOSE=CASE_HANDLING
    python integrator.py sync --state-file cursor.txt      # every event since the last run
    python integrator.py worklist --state MV_ENFORCEMENT    # one page, next deadline first
    python integrator.py hand-over <case id> --version 6 --to-unit polisen-region-stockholm

Output is JSON lines on stdout; what the service withheld and what the client did about an
error go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from returncases_client import CaseState, Client, HandoverReason
from returncases_client.base_client import Conflict, ServiceError


def _emit(record: dict[str, Any]) -> None:
    print(json.dumps(record, default=str), flush=True)


def _note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _load_cursor(state_file: Path) -> str | None:
    return (state_file.read_text().strip() if state_file.exists() else "") or None


def _save_cursor(state_file: Path, cursor: str) -> None:
    """Replace the file at once, so a crash never leaves half a cursor."""
    temporary = state_file.with_suffix(".tmp")
    temporary.write_text(cursor)
    temporary.replace(state_file)


async def sync(client: Client, state_file: Path, page_size: int) -> int:
    """Pull the case-event feed from the saved cursor to the end; the cursor is saved after
    every page, so an interrupted run resumes where it stopped, without gaps or repeats."""
    cursor = _load_cursor(state_file)
    received = 0
    while True:
        page = (await client.sync_events(first=page_size, after=cursor)).case_events
        for edge in page.edges:
            case = edge.case
            _emit({"cursor": edge.cursor, "type": edge.node.type_.value,
                   "caseId": case.id if case else None, "urgent": edge.node.urgent})  # fmt: skip
        received += len(page.edges)
        cursor = page.page_info.end_cursor or cursor
        if cursor is not None:
            _save_cursor(state_file, cursor)
        if not page.page_info.has_next_page:
            _note(f"synced {received} events")
            return received


async def worklist(client: Client, state: CaseState, first: int) -> None:
    page = (await client.worklist(first=first, states=[state])).cases
    for edge in page.edges:
        row = edge.node
        _emit({"id": row.id, "caseNumber": row.case_number, "state": row.state.value,
               "version": row.version, "owningUnit": row.owning_unit,
               "asylumGrounds": row.decision.asylum_grounds if row.decision else None})  # fmt: skip
    for coordinate in client.last_withheld:
        _note(f"withheld: {coordinate}")


async def hand_over(
    client: Client, case_id: str, version: int, to_unit: str, reason: str, guidance: str
) -> int:
    """Hand a case over; on CONFLICT read the case again and retry while it is still in
    MV_ENFORCEMENT (someone else changed it, e.g. recorded an address)."""
    for _ in range(3):
        try:
            result = (
                await client.hand_over(
                    id=case_id,
                    version=version,
                    to_unit=to_unit,
                    reason=HandoverReason(reason),
                    guidance=guidance,
                )
            ).hand_over_to_police
        except Conflict:
            current = (await client.case_version(id=case_id)).case
            if current is None or current.state is not CaseState.MV_ENFORCEMENT:
                _note("conflict: the case is no longer in MV_ENFORCEMENT; not handed over")
                return 2
            _note(f"conflict: version {version} is stale, retrying with {current.version}")
            version = current.version or version
            continue
        assert result is not None
        _emit({"id": result.id, "state": result.state.value, "owningUnit": result.owning_unit,
               "version": result.version})  # fmt: skip
        return 0
    _note("conflict: the case keeps changing; giving up")
    return 2


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sync_command = commands.add_parser("sync", help="pull new case events")
    sync_command.add_argument("--state-file", type=Path, required=True)
    sync_command.add_argument("--page-size", type=int, default=500)
    worklist_command = commands.add_parser("worklist", help="one worklist page")
    worklist_command.add_argument("--state", default="MV_ENFORCEMENT")
    worklist_command.add_argument("--first", type=int, default=20)
    hand_over_command = commands.add_parser("hand-over", help="hand a case to the police")
    hand_over_command.add_argument("case_id")
    hand_over_command.add_argument("--version", type=int, required=True)
    hand_over_command.add_argument("--to-unit", required=True)
    hand_over_command.add_argument("--reason", default="ABSCONDED")
    hand_over_command.add_argument("--guidance", default="Check the last known address first.")
    return parser.parse_args()


async def main() -> int:
    arguments = _arguments()
    client = Client(
        os.environ.get("RETURNCASES_URL", "http://127.0.0.1:8000/graphql"),
        os.environ["RETURNCASES_TOKEN"],
        os.environ.get("RETURNCASES_PURPOSE", "CASE_HANDLING"),
        on_wait=lambda seconds: _note(f"rate limited: waiting {seconds} s (Retry-After)"),
    )
    async with client:
        try:
            if arguments.command == "sync":
                await sync(client, arguments.state_file, arguments.page_size)
            elif arguments.command == "worklist":
                await worklist(client, CaseState(arguments.state), arguments.first)
            else:
                return await hand_over(
                    client,
                    arguments.case_id,
                    arguments.version,
                    arguments.to_unit,
                    arguments.reason,
                    arguments.guidance,
                )
        except ServiceError as error:
            _note(f"error: {error}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
