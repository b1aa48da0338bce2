"""Data owners (`policies/owners.csv`): the agency that owns each coordinate, call and row
scope. A policy change that widens another agency's access to a coordinate needs the owner's
approval (api/policy/approvals.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casbin.util import key_match

from db.enums import Agency

FILE = "owners.csv"
JOINT = "*"


@dataclass(frozen=True, slots=True)
class DataOwners:
    patterns: tuple[tuple[str, str], ...]  # (pattern, agency or `*`), most specific first

    @classmethod
    def load(cls, directory: Path) -> DataOwners:
        """The owners declared beside the policy; an unknown agency is a start-up error."""
        entries: list[tuple[str, str]] = []
        path = directory / FILE
        if path.exists():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                pattern, _, agency = (part.strip() for part in line.partition(","))
                if agency != JOINT and agency not in {a.value for a in Agency}:
                    raise ValueError(f"{path}:{number}: unknown agency {agency!r}")
                entries.append((pattern, agency))
        # Exact coordinates before `Type.*` patterns.
        entries.sort(key=lambda entry: entry[0].endswith(".*"))
        return cls(tuple(entries))

    def of(self, coordinate: str) -> frozenset[str]:
        """The owning agencies of a coordinate (all of them when jointly owned); empty when
        no pattern declares it."""
        for pattern, agency in self.patterns:
            if key_match(coordinate, pattern):
                return (
                    frozenset(a.value for a in Agency) if agency == JOINT else frozenset({agency})
                )
        return frozenset()
