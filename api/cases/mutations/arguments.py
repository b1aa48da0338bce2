"""The arguments every case mutation takes, with their descriptions."""

from __future__ import annotations

from typing import Annotated, TypeVar

import strawberry

T = TypeVar("T")

CaseId = Annotated[strawberry.ID, strawberry.argument(description="The case's `id`.")]
CaseVersion = Annotated[
    int,
    strawberry.argument(
        description="The case's `version` as you read it. If the case changed since, nothing "
        "is written and the answer is CONFLICT: read it again and retry."
    ),
]
Input = Annotated[T, strawberry.argument(description="What to record (see the input type).")]
