"""Arguments that mean the same wherever they appear, with their descriptions.

Use them as annotations in resolvers (`first: First = None`); strawberry reads the description
from the `Annotated` metadata.
"""

from __future__ import annotations

from typing import Annotated, TypeVar

import strawberry

T = TypeVar("T")

Filter = Annotated[T, strawberry.argument(description="Only what meets every given condition.")]
First = Annotated[T, strawberry.argument(description="Page size: how many to return at most.")]
After = Annotated[
    str | None,
    strawberry.argument(description="A cursor from an earlier page: continue right after it."),
]
Reason = Annotated[
    str, strawberry.argument(description="Why; kept with the change in its history and audit.")
]
