"""The GraphQL examples of README.md, as the tests that run them read them.

Each ```graphql block is preceded by an HTML comment naming the demo role it runs as, e.g.
`<!-- runs as: border_police_officer -->` (one of `returncases serve --demo`'s users), and
optionally the variables a test supplies (`variables: a case`) and the errors the README says
the example answers with (`errors: FORBIDDEN Decision.asylumGrounds`).
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
    subject: str | None  # another person of that role (`subject: kim`), e.g. a second officer
    variables: str | None
    errors: str | None
    document: str
    line: int
    prose: str  # the README's text between the previous example and this one

    @property
    def operations(self) -> list[str]:
        """A block may hold several operations; each runs on its own."""
        starts = [match.start() for match in _OPERATION.finditer(self.document)]
        bounds = [*starts, len(self.document)]
        return [self.document[a:b].strip() for a, b in itertools.pairwise(bounds)]


def examples(text: str | None = None) -> list[Example]:
    text = README.read_text(encoding="utf-8") if text is None else text
    found = []
    previous_end = 0
    for match in _BLOCK.finditer(text):
        keys: dict[str, str] = {}
        for part in (match.group("marker") or "").split(";"):
            key, _, value = part.partition(":")
            keys[key.strip()] = value.strip()
        line = text.count("\n", 0, match.start("body"))
        prose = text[previous_end : match.start()]
        found.append(
            Example(
                role=keys.get("runs as"),
                subject=keys.get("subject"),
                variables=keys.get("variables"),
                errors=keys.get("errors"),
                document=match.group("body"),
                line=line,
                prose=prose,
            )
        )
        previous_end = match.end()
    return found


def example(containing: str) -> Example:
    (found,) = [block for block in examples() if containing in block.document]
    return found
