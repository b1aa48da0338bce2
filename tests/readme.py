"""The GraphQL examples of README.md, as the tests that run them read them.

Each ```graphql block is preceded by an HTML comment naming the demo role it runs as, e.g.
`<!-- runs as: border_police_officer -->` (one of `returncases serve --demo`'s users), and
optionally the name of the variables a test supplies: `<!-- runs as: return_officer; variables:
handover -->`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).parents[1] / "README.md"
_OPERATION = re.compile(r"^(?:query|mutation|subscription)\b|^\{", re.M)
_BLOCK = re.compile(r"(?:<!--\s*(?P<marker>[^>]*?)\s*-->\s*\n)?```graphql\n(?P<body>.*?)```", re.S)


@dataclass(frozen=True, slots=True)
class Example:
    role: str | None
    variables: str | None
    document: str
    line: int

    @property
    def operations(self) -> list[str]:
        """A block may hold several operations; each runs on its own."""
        starts = [match.start() for match in _OPERATION.finditer(self.document)]
        bounds = [*starts, len(self.document)]
        return [self.document[a:b].strip() for a, b in itertools.pairwise(bounds)]


def examples(text: str | None = None) -> list[Example]:
    text = README.read_text(encoding="utf-8") if text is None else text
    found = []
    for match in _BLOCK.finditer(text):
        role = variables = None
        for part in (match.group("marker") or "").split(";"):
            key, _, value = part.partition(":")
            if key.strip() == "runs as":
                role = value.strip()
            elif key.strip() == "variables":
                variables = value.strip()
        line = text.count("\n", 0, match.start("body"))
        found.append(Example(role, variables, match.group("body"), line))
    return found


def example(containing: str) -> Example:
    (found,) = [block for block in examples() if containing in block.document]
    return found
