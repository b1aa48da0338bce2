"""Replay a proposal over the recorded traffic: for every audit entry of the last N days, would
the same request under the proposed policy read, withhold or be refused differently?

The audit trail records per request the principal class, the deciding policy version and the
coordinates read, withheld, refused and written (never values). That decides most requests
exactly. What it does not record, the replay reports as
undecided instead of guessing: which rows were protected identities (a coordinate that becomes
row-conditional), which filters a successful list used (a filter the class loses), and which
rows a changed row scope would let in or out.

Requests are grouped in SQL by what decides them (class, version, coordinates), so the work
is per distinct group, not per entry; only the groups that change are read again, for their
distinct subjects and example request ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, distinct, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from api.authz.coordinates import field_coordinates
from api.authz.plan import AccessPlan
from db.models import AuditEntry

_entry = AuditEntry.__table__
EXAMPLES = 5

Planner = Callable[[str | None, str, frozenset[str], str], AccessPlan | None]


@dataclass(frozen=True, slots=True)
class Group:
    """Requests the trail records identically: same class, version and coordinates."""

    agency: str
    roles: str
    purpose: str
    policy_version: str | None
    read: str
    withheld: str
    denied: str
    written: str
    requests: int = 1

    @property
    def key(self) -> tuple[str | None, ...]:
        return (
            self.agency,
            self.roles,
            self.purpose,
            self.policy_version,
            self.read,
            self.withheld,
            self.denied,
            self.written,
        )


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
    subjects: int = 0
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


def judge(entry: Group, old: AccessPlan | None, new: AccessPlan) -> Verdict:
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
                undecided.append(
                    f"{coordinate} becomes withheld on protected identities, "
                    "which the trail does not record"
                )
        elif old is not None and coordinate in old.callable and coordinate not in new.callable:
            flips.append((coordinate, "allowed", "refused"))
    for coordinate in sorted(withheld):
        if coordinate in new.readable:
            if coordinate in new.conditional or old is None or coordinate in old.conditional:
                undecided.append(
                    f"{coordinate} was withheld; whether on protected rows only is not recorded"
                )
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
        undecided.append(
            "it lists cases and the class loses filters; filters used are not recorded"
        )
    # Whether a request met cases shows in its coordinates (a list that found none is as
    # undecided: a wider scope could fill it).
    touched = bool((read | withheld | written) & fields) or "Query.case" in read | denied
    if old.scopes != new.scopes and (touched or lists):
        undecided.append("the row scope changes; which rows it lets in or out is not recorded")
    return Verdict(tuple(flips), tuple(undecided))


def replay(
    groups: Iterable[Group], planner: Planner, new: Planner
) -> tuple[ReplayReport, list[tuple[str | None, ...]], list[tuple[str | None, ...]]]:
    """The report, and the keys of the groups that change and that are undecided. `planner`
    gives the plan of a group's recorded version, `new` the proposed one."""
    by_class: dict[tuple[str, str], GroupReport] = {}
    report = ReplayReport()
    changed: list[tuple[str | None, ...]] = []
    undecided: list[tuple[str | None, ...]] = []
    for group in groups:
        report.entries += group.requests
        roles = frozenset(group.roles.split(",")) if group.roles else frozenset()
        after = new(None, group.agency, roles, group.purpose)
        before = planner(group.policy_version, group.agency, roles, group.purpose)
        verdict = judge(group, before, after) if after is not None else Verdict((), ())
        found = by_class.get((group.agency, group.roles))
        if found is None:
            found = by_class[(group.agency, group.roles)] = GroupReport(group.agency, group.roles)
        found.requests += group.requests
        if verdict.flips:
            found.changed += group.requests
            report.changed += group.requests
            found.flips.update(dict.fromkeys(verdict.flips, group.requests))
            changed.append(group.key)
        if verdict.undecided:
            found.undecided += group.requests
            report.undecided += group.requests
            found.reasons.update(dict.fromkeys(verdict.undecided, group.requests))
            undecided.append(group.key)
    report.groups = sorted(by_class.values(), key=lambda g: (g.agency, g.roles))
    return report, changed, undecided


_KEY = (
    _entry.c.agency,
    _entry.c.roles,
    _entry.c.purpose,
    _entry.c.policy_version,
    _entry.c.read_coordinates,
    _entry.c.withheld_coordinates,
    _entry.c.denied_coordinates,
    _entry.c.written_coordinates,
)


def _window(since: datetime) -> ColumnElement[bool]:
    # Policy administration steps name the changed coordinates as written: not requests.
    return and_(
        _entry.c.occurred_at >= since, _entry.c.agency.is_not(None), _entry.c.kind == "graphql"
    )


async def recorded(session: AsyncSession, since: datetime) -> list[Group]:
    """The API requests of the trail since `since`, grouped in SQL by what decides them."""
    statement = select(*_KEY, func.count()).where(_window(since)).group_by(*_KEY)
    return [
        Group(
            r[0], r[1] or "", r[2] or "", r[3], r[4] or "", r[5] or "", r[6] or "", r[7] or "", r[8]
        )
        for r in (await session.execute(statement)).all()
    ]


async def _who(
    session: AsyncSession, since: datetime, keys: list[tuple[str | None, ...]]
) -> dict[tuple[str, str], tuple[int, list[str]]]:
    """Per agency and roles: distinct subjects and example request ids of these groups."""
    if not keys:
        return {}
    # Columns of the key may be NULL; compare them the way the grouping did.
    chosen = tuple_(*(func.coalesce(c, "") for c in _KEY)).in_(
        [tuple(value or "" for value in key) for key in keys]
    )
    where = and_(_window(since), chosen)
    counts = select(_entry.c.agency, _entry.c.roles, func.count(distinct(_entry.c.subject)))
    counted = (
        await session.execute(counts.where(where).group_by(_entry.c.agency, _entry.c.roles))
    ).all()
    rank = (
        func.row_number()
        .over(partition_by=(_entry.c.agency, _entry.c.roles), order_by=_entry.c.seq)
        .label("rank")
    )
    ranked = select(_entry.c.agency, _entry.c.roles, _entry.c.request_id, rank).where(where)
    inner = ranked.subquery()
    examples = (await session.execute(select(inner).where(inner.c.rank <= EXAMPLES))).all()
    found: dict[tuple[str, str], tuple[int, list[str]]] = {
        (agency, roles or ""): (n, []) for agency, roles, n in counted
    }
    for agency, roles, request_id, _ in examples:
        found[(agency, roles or "")][1].append(str(request_id))
    return found


async def replay_trail(
    session: AsyncSession, since: datetime, planner: Planner, new: Planner
) -> ReplayReport:
    """Replay the trail since `since`: grouped in SQL, judged per group, and only for the
    groups that change or are undecided, who and which requests (examples)."""
    report, changed, undecided = replay(await recorded(session, since), planner, new)
    by_class = {(g.agency, g.roles): g for g in report.groups}
    for key, (subjects, examples) in (await _who(session, since, changed)).items():
        by_class[key].subjects = subjects
        by_class[key].examples = examples
    for key, (_, examples) in (await _who(session, since, undecided)).items():
        by_class[key].undecided_examples = examples
    return report
