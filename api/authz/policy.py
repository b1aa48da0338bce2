"""The Casbin policy: model and rules loaded from `policies/`, identified by a content version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import casbin
from casbin.model import Model
from casbin.util import key_match

from api.settings import ConfigurationError

REQUIRED_FILES = ("model.conf", "policy.csv")


def check_policy_directory(directory: Path) -> None:
    """Refuse a policy directory without the files a policy is made of, in one sentence."""
    if not directory.is_dir():
        raise ConfigurationError(
            f"policy directory {directory} does not exist (RETURNCASES_POLICY_DIR); it must "
            f"hold {' and '.join(REQUIRED_FILES)}"
        )
    missing = [name for name in REQUIRED_FILES if not (directory / name).is_file()]
    if missing:
        raise ConfigurationError(
            f"policy directory {directory} lacks {' and '.join(missing)} "
            "(RETURNCASES_POLICY_DIR names the directory)"
        )


@dataclass(frozen=True, slots=True)
class PolicyText:
    model: str
    rules: str
    # The content's digest, taken once: every plan lookup (each request, and each wake-up of
    # each open subscription) asks for it, and hashing the whole text each time was 60 µs.
    version: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256(f"{self.model}\x00{self.rules}".encode()).hexdigest()
        object.__setattr__(self, "version", digest[:16])

    @classmethod
    def from_directory(cls, directory: Path) -> PolicyText:
        check_policy_directory(directory)
        return cls(
            model=(directory / "model.conf").read_text(encoding="utf-8"),
            rules=(directory / "policy.csv").read_text(encoding="utf-8"),
        )


class _TextAdapter(casbin.persist.Adapter):  # type: ignore[misc]  # pycasbin is untyped (Any)
    """Loads rules from a string, so a policy can come from files or the database alike."""

    def __init__(self, rules: str) -> None:
        self.rules = rules

    def load_policy(self, model: Model) -> None:
        for line in self.rules.splitlines():
            casbin.persist.load_policy_line(line.strip(), model)


@dataclass(slots=True)
class Policy:
    """A loaded policy: the enforcer plus the declared row-conditional coordinates."""

    text: PolicyText
    enforcer: casbin.Enforcer
    conditions: tuple[tuple[str, str], ...]  # (coordinate pattern, row attribute)
    # p3 lines: (role, agency or *, smallest publishable statistics cell).
    cell_sizes: tuple[tuple[str, str, str], ...] = ()

    @property
    def version(self) -> str:
        return self.text.version

    @classmethod
    def load(cls, text: PolicyText) -> Policy:
        model = Model()
        model.load_model_from_text(text.model)
        enforcer = casbin.Enforcer(model, _TextAdapter(text.rules))
        conditions = tuple(
            (pattern, attribute) for pattern, attribute in enforcer.get_named_policy("p2")
        )
        # A model without p3 (an older stored version) sets no thresholds.
        declared = "p3" in enforcer.get_model().model.get("p", {})
        cell_sizes = (
            tuple(tuple(rule) for rule in enforcer.get_named_policy("p3") if len(rule) == 3)
            if declared
            else ()
        )
        return cls(text, enforcer, conditions, cell_sizes)

    def min_cell_size(self, agency: str, roles: frozenset[str]) -> int | None:
        """The largest threshold any of the roles has in the agency: the strictest wins."""
        sizes = [
            int(size)
            for role, domain, size in self.cell_sizes
            if role in roles and domain in (agency, "*") and size.isdigit()
        ]
        return max(sizes) if sizes else None

    def attributes_of(self, coordinate: str) -> frozenset[str]:
        """Every row attribute a coordinate is declared to depend on (it may be several)."""
        return frozenset(
            attribute for pattern, attribute in self.conditions if key_match(coordinate, pattern)
        )

    def condition_of(self, coordinate: str) -> str | None:
        """The row attribute a coordinate depends on, if it is declared row-conditional."""
        for pattern, attribute in self.conditions:
            if key_match(coordinate, pattern):
                return attribute
        return None
