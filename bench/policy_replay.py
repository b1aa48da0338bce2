"""Replay of a policy proposal over recorded traffic: N synthetic audit entries shaped like the
demo roles' requests (each role's clients send a few dozen distinct documents), then the
insider change of issue 17 (the border police get Decision.asylumGrounds) replayed over them,
reading the trail from the database included.

Usage: .venv/bin/python -m bench.policy_replay [--entries 100000] [--runs 3]
Prints a Markdown table; figures, not pass/fail (target: 100,000 entries under 5 s).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from api.authz.authorizer import Authorizer
from api.authz.policy import Policy, PolicyText
from api.cli import DEMO_USERS
from api.policy.changes import Rule, apply_change
from api.policy.replay import replay_trail
from bench.common import available_backends
from db.engine import create_engine
from db.models import AuditCaseAccess, AuditEntry
from tests.databases import migrated_database

SHAPES_PER_ROLE = 40
# The README's worklist page, which every role's front-end sends.
WORKLIST = {"ReturnCase.id", "ReturnCase.caseNumber", "ReturnCase.state", "ReturnCase.person",
            "ReturnCase.decision", "Person.fullName", "Person.dateOfBirth",
            "Decision.type", "Decision.finalDate", "Decision.asylumGrounds"}  # fmt: skip
INSIDER = Rule("border_police_officer", "polisen", "Decision.asylumGrounds", "read",
               effect="deny")  # fmt: skip


def _joined(coordinates: set[str]) -> str:
    return "|" + "|".join(sorted(coordinates)) + "|" if coordinates else ""


def shapes(authorizer: Authorizer, rng: random.Random) -> list[dict[str, Any]]:
    """Per demo role a few dozen request shapes: a case read of some fields (some of them
    withheld), a list, or a mutation writing a few fields."""
    found = []
    everything = sorted(
        {c for plan in [authorizer.plan(authorizer.policy, a, frozenset({r}), p)
                        for _, a, r, _, p in DEMO_USERS] for c in plan.readable}
    )  # fmt: skip
    for _, agency, role, _, purpose in DEMO_USERS:
        plan = authorizer.plan(authorizer.policy, agency, frozenset({role}), purpose)
        readable = sorted(plan.readable)
        for number in range(SHAPES_PER_ROLE):
            kind = rng.random() if number else 0.7
            asked = set(rng.sample(everything, 15)) if number else WORKLIST
            read = asked & plan.readable
            withheld = asked - plan.readable
            shape = {"agency": agency, "roles": role, "purpose": purpose, "denied": set(),
                     "written": set(), "cases": bool(read) and bool(plan.scopes)}  # fmt: skip
            if kind < 0.6:
                shape.update(read=read | {"Query.case"}, withheld=withheld)
            elif kind < 0.9:
                shape.update(read=read | {"Query.cases"}, withheld=withheld)
            else:
                mutations = sorted(c for c in plan.callable if c.startswith("Mutation."))
                if not mutations or not readable:
                    shape.update(read=set(), withheld=set(), denied={"Mutation.correctDecision"})
                else:
                    written = set(rng.sample(sorted(plan.writable), min(3, len(plan.writable))))
                    shape.update(read={rng.choice(mutations)}, withheld=set(), written=written)
            found.append(shape)
    return found


async def seed_trail(url: str, entries: int, authorizer: Authorizer) -> None:
    rng = random.Random(17)
    pool = shapes(authorizer, rng)
    subjects = [f"user-{n}" for n in range(500)]
    now = datetime.now(UTC)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for start in range(0, entries, 5000):
                rows, cases = [], []
                for seq in range(start + 1, min(entries, start + 5000) + 1):
                    shape = rng.choice(pool)
                    digest = f"{seq:064x}"
                    rows.append({
                        "seq": seq, "request_id": str(uuid.uuid4()),
                        "occurred_at": now - timedelta(seconds=seq), "kind": "graphql",
                        "subject": rng.choice(subjects), "agency": shape["agency"],
                        "roles": shape["roles"], "purpose": shape["purpose"],
                        "policy_version": authorizer.policy.version,
                        "outcome": "withheld" if shape["withheld"] else "allowed",
                        "read_coordinates": _joined(shape["read"]),
                        "withheld_coordinates": _joined(shape["withheld"]),
                        "denied_coordinates": _joined(shape["denied"]),
                        "written_coordinates": _joined(shape["written"]),
                        "coordinate_sets": [], "prev_hash": digest, "entry_hash": digest,
                    })  # fmt: skip
                    if shape["cases"]:
                        cases.append({"entry_seq": seq, "case_id": str(uuid.uuid4()),
                                      "coordinate_set": 0})  # fmt: skip
                await connection.execute(insert(AuditEntry.__table__), rows)
                if cases:
                    await connection.execute(insert(AuditCaseAccess.__table__), cases)
    finally:
        await engine.dispose()


async def measure(backend: str, entries: int, runs: int, directory: Path) -> str:
    policy = Policy.load(PolicyText.from_directory(Path("policies")))
    authorizer = Authorizer(policy, 1)
    proposed = Policy.load(apply_change(policy.text, [], [INSIDER], "bench"))
    async with migrated_database(backend, directory) as url:
        await seed_trail(url, entries, authorizer)
        engine = create_engine(url)
        times = []
        try:
            from db.engine import Database

            database = Database.connect(url)
            for _ in range(runs):
                start = time.perf_counter()
                async with database.reads() as session:
                    report = await replay_trail(
                        session,
                        datetime.now(UTC) - timedelta(days=30),
                        lambda d, a, r, p: authorizer.plan(policy, a, r, p),
                        lambda d, a, r, p: authorizer.plan(proposed, a, r, p),
                    )
                times.append(time.perf_counter() - start)
            await database.engine.dispose()
        finally:
            await engine.dispose()
    changed = sum(g.changed for g in report.groups)
    return (f"| {backend} | {report.entries:,} | {statistics.median(times):.2f} | "
            f"{max(times):.2f} | {changed:,} | {report.undecided:,} |")  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| backend | entries | median s | max s | changed | undecided |")
    print("|---|---:|---:|---:|---:|---:|")
    for backend in await available_backends():
        with tempfile.TemporaryDirectory() as directory:
            print(await measure(backend, args.entries, args.runs, Path(directory)), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
