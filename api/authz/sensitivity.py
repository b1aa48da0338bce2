"""Sensitivity classes of coordinates (`policies/sensitivity.csv`), for people reading the
policy: the administration page groups and colours its matrix by them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casbin.util import key_match

FILE = "sensitivity.csv"


@dataclass(frozen=True, slots=True)
class SensitivityClasses:
    patterns: tuple[tuple[str, str], ...]  # (pattern, class), most specific first

    @classmethod
    def load(cls, directory: Path) -> SensitivityClasses:
        path = directory / FILE
        entries: list[tuple[str, str]] = []
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                pattern, _, label = (part.strip() for part in line.partition(","))
                entries.append((pattern, label))
        # Exact coordinates before `Type.*` patterns.
        entries.sort(key=lambda entry: entry[0].endswith(".*"))
        return cls(tuple(entries))

    def of(self, coordinate: str) -> str | None:
        for pattern, label in self.patterns:
            if key_match(coordinate, pattern):
                return label
        return None
