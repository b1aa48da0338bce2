"""Replay a proposal over the recorded traffic: for every audit entry of the last N days, would
the same request under the proposed policy read, withhold or be refused differently?

The audit trail records per request the principal class, the deciding policy version and the
coordinates read, withheld, refused and written (never values), and whether cases were
touched. That decides most requests exactly. What it does not record, the replay reports as
undecided instead of guessing: which rows were protected identities (a coordinate that becomes
row-conditional), which filters a successful list used (a filter the class loses), and which
rows a changed row scope would let in or out.

Requests are grouped by what decides them (class, version, coordinates), so the work is per
distinct group, not per entry.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.authz.coordinates import field_coordinates
from api.authz.plan import AccessPlan
from db.models import AuditCaseAccess, AuditEntry

_entry = AuditEntry.__table__
_case = AuditCaseAccess.__table__
EXAMPLES = 5

Planner = Callable[[str | None, str, frozenset[str], str], AccessPlan | None]


@dataclass(frozen=True, slots=True)
class Entry:
    """What the trail says about one request."""

    request_id: str
    subject: str | None
    agency: str
    roles: str
    purpose: str
    policy_version: str | None
    read: str
    withheld: str
    denied: str
    written: str
    touched_cases: bool

    @property
    def key(self) -> tuple[object, ...]:
        return (self.agency, self.roles, self.purpose, self.policy_version, self.read,
                self.withheld, self.denied, self.written, self.touched_cases)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Verdict:
    """The replay of one group of identical requests."""

    flips: tuple[tuple[str, str, str], ...]  # (coordinate, recorded, replayed)
    undecided: tuple[str, ...]  # reasons


@dataclass(slots=True)
class GroupReport:
    agency: str
    roles: str
    requests: int = 0
    changed: int = 0
    undecided: int = 0
    subjects: set[str] = field(default_factory=set)
    flips: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    undecided_examples: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ReplayReport:
    entries: int = 0
    changed: int = 0
    undecided: int = 0
    groups: list[GroupReport] = field(default_factory=list)


def _split(joined: str) -> frozenset[str]:
    return frozenset(part for part in joined.split("|") if part)


def judge(entry: Entry, old: AccessPlan | None, new: AccessPlan) -> Verdict:
    """How the request would fare under `new`, from what the trail recorded under `old` (the
    plan of its recorded version; None when that version is not in the store)."""
    fields = field_coordinates()
    read, withheld = _split(entry.read), _split(entry.withheld)
    denied, written = _split(entry.denied), _split(entry.written)
    flips: list[tuple[str, str, str]] = []
    undecided: list[str] = []
    for coordinate in sorted(read):
        if coordinate in fields:
            if coordinate not in new.readable:
                flips.append((coordinate, "read", "withheld"))
            elif coordinate in new.conditional and (
                old is None or coordinate not in old.conditional
            ):
                undecided.append(f"{coordinate} becomes withheld on protected identities, "
                                 "which the trail does not record")  # fmt: skip
        elif old is not None and coordinate in old.callable and coordinate not in new.callable:
            flips.append((coordinate, "allowed", "refused"))
    for coordinate in sorted(withheld):
        if coordinate in new.readable:
            if coordinate in new.conditional or old is None or coordinate in old.conditional:
                undecided.append(f"{coordinate} was withheld; whether on protected rows only "
                                 "is not recorded")  # fmt: skip
            else:
                flips.append((coordinate, "withheld", "read"))
    for coordinate in sorted(denied):
        if old is None:
            break
        if coordinate in fields:
            if not old.can_filter(coordinate) and new.can_filter(coordinate):
                flips.append((coordinate, "refused", "allowed"))
        elif coordinate not in old.callable and coordinate in new.callable:
            flips.append((coordinate, "refused", "allowed"))
    for coordinate in sorted(written):
        if coordinate in fields and coordinate not in new.writable:
            flips.append((coordinate, "written", "refused"))
    if old is None:
        undecided.append("its policy version is not in the store")
        return Verdict(tuple(flips), tuple(undecided))
    lists = "Query.cases" in read or "Query.caseEvents" in read
    lost_filters = {c for c in fields if old.can_filter(c) and not new.can_filter(c)}
    if lists and lost_filters:
        undecided.append("it lists cases and the class loses filters; filters used are not "
                         "recorded")  # fmt: skip
    if old.scopes != new.scopes and (entry.touched_cases or lists or "Query.case" in denied):
        undecided.append("the row scope changes; which rows it lets in or out is not recorded")
    return Verdict(tuple(flips), tuple(undecided))


def replay(entries: Iterable[Entry], planner: Planner, new: Planner) -> ReplayReport:
    """`planner` gives the plan of an entry's recorded version, `new` the proposed one."""
    verdicts: dict[tuple[object, ...], Verdict] = {}
    groups: dict[tuple[str, str], GroupReport] = {}
    report = ReplayReport()
    changed_subjects: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in entries:
        report.entries += 1
        verdict = verdicts.get(entry.key)
        if verdict is None:
            roles = frozenset(entry.roles.split(",")) if entry.roles else frozenset()
            after = new(None, entry.agency, roles, entry.purpose)
            before = planner(entry.policy_version, entry.agency, roles, entry.purpose)
            verdict = verdicts[entry.key] = (
                judge(entry, before, after) if after is not None else Verdict((), ())
            )
        group = groups.get((entry.agency, entry.roles))
        if group is None:
            group = groups[(entry.agency, entry.roles)] = GroupReport(entry.agency, entry.roles)
        group.requests += 1
        if verdict.flips:
            group.changed += 1
            report.changed += 1
            group.flips.update(verdict.flips)
            if entry.subject:
                changed_subjects[(entry.agency, entry.roles)].add(entry.subject)
            if len(group.examples) < EXAMPLES:
                group.examples.append(entry.request_id)
        if verdict.undecided:
            group.undecided += 1
            report.undecided += 1
            group.reasons.update(verdict.undecided)
            if len(group.undecided_examples) < EXAMPLES:
                group.undecided_examples.append(entry.request_id)
    for key, group in groups.items():
        group.subjects = changed_subjects.get(key, set())
    report.groups = sorted(groups.values(), key=lambda g: (g.agency, g.roles))
    return report


async def recorded(session: AsyncSession, since: datetime) -> list[Entry]:
    """The API requests of the trail since `since` (entries with a principal)."""
    touched = exists().where(_case.c.entry_seq == _entry.c.seq)
    statement = (
        select(
            _entry.c.request_id,
            _entry.c.subject,
            _entry.c.agency,
            _entry.c.roles,
            _entry.c.purpose,
            _entry.c.policy_version,
            _entry.c.read_coordinates,
            _entry.c.withheld_coordinates,
            _entry.c.denied_coordinates,
            _entry.c.written_coordinates,
            touched.label("touched"),
        )
        # Policy administration steps name the changed coordinates as written: not requests.
        .where(
            _entry.c.occurred_at >= since,
            _entry.c.agency.is_not(None),
            _entry.c.kind == "graphql",
        )
        .order_by(_entry.c.seq)
    )
    rows = (await session.execute(statement)).all()
    return [
        Entry(
            str(r[0]),
            r[1],
            r[2],
            r[3] or "",
            r[4] or "",
            r[5],
            r[6] or "",
            r[7] or "",
            r[8] or "",
            r[9] or "",
            bool(r[10]),
        )
        for r in rows
    ]
