"""Who must approve a policy change, and which changes may apply at once.

A change needs the approval of every agency whose roles it changes (its own roles need its
own officers) and of the owner of every coordinate it opens to another agency's role
(`policies/owners.csv`). Approval is by a security officer of that agency other than the
author (four eyes). Only a change that can do nothing but narrow access (it adds deny rules and
removes allow rules) may apply at once as an emergency, and only within the author's own roles
or own data; it is flagged for the same review afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from api.errors import ApiError
from api.policy.changes import Rule
from api.policy.owners import DataOwners
from api.policy.preview import AccessChange, widened
from db.enums import Agency

AGENCIES = tuple(agency.value for agency in Agency)


@dataclass(frozen=True, slots=True)
class Requirement:
    """One agency's approval, and why the change needs it."""

    agency: str
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {"agency": self.agency, "reasons": list(self.reasons)}

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Requirement:
        """From `as_json`'s form, read back from a JSON column."""
        return cls(str(data["agency"]), tuple(data["reasons"]))


def _agencies(domain: str) -> tuple[str, ...]:
    return AGENCIES if domain == "*" else (domain,)


def required_approvals(
    changes: Iterable[AccessChange],
    added: Iterable[Rule],
    removed: Iterable[Rule],
    owners: DataOwners,
) -> list[Requirement]:
    """Every agency that must approve, with its reasons (never empty for a real change)."""
    reasons: dict[str, list[str]] = {}

    def need(agency: str, reason: str) -> None:
        found = reasons.setdefault(agency, [])
        if reason not in found:
            found.append(reason)

    for verb, rules in (("adds", added), ("removes", removed)):
        for rule in rules:
            for agency in _agencies(rule.agency):
                need(agency, f"{verb} a rule of {rule.role} in {agency}")
    for change in changes:
        need(change.agency, f"changes what {change.role} ({change.agency}) may do")
        for action, coordinate in widened(change):
            for owner in sorted(owners.of(coordinate) - {change.agency}):
                need(
                    owner,
                    f"opens {action} {coordinate} (owned by {owner}) to "
                    f"{change.role} ({change.agency})",
                )
    return [Requirement(agency, tuple(found)) for agency, found in sorted(reasons.items())]


def only_narrows(added: Iterable[Rule], removed: Iterable[Rule]) -> bool:
    """Whether the change can only take access away, for any combination of roles: deny
    wins over allow, so adding a deny or removing an allow never grants anything."""
    return all(rule.effect == "deny" for rule in added) and all(
        rule.effect == "allow" for rule in removed
    )


def emergency_refusal(
    author_agency: str,
    added: list[Rule],
    removed: list[Rule],
    changes: Iterable[AccessChange],
    owners: DataOwners,
) -> str | None:
    """Why the change may not apply at once (None: it may, flagged for review)."""
    if not only_narrows(added, removed):
        return "it can widen access (it adds an allow or removes a deny)"
    for change in changes:
        if widened(change) or change.cases_in:
            return f"it widens what {change.role} ({change.agency}) may do"
        if change.agency == author_agency:
            continue
        for action, coordinate in change.lost:
            if author_agency not in owners.of(coordinate):
                return (
                    f"it narrows {action} {coordinate} for {change.role} ({change.agency}), "
                    f"neither {author_agency}'s role nor its data"
                )
    return None


class PolicyApprovalRequired(ApiError):
    """Applying a change that needs approvals it does not have."""

    code = "POLICY_APPROVAL_REQUIRED"


class PolicyProposalExpired(ApiError):
    """The policy moved on since the proposal was made: propose again on the newest version."""

    code = "POLICY_PROPOSAL_EXPIRED"


class PolicyFourEyes(ApiError):
    """An approval that is not a second pair of eyes: the author's own, or by an officer of
    an agency the change does not need."""

    code = "POLICY_FOUR_EYES"
