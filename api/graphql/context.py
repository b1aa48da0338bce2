"""What every resolver receives: settings, database access and, per request, who is asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, true
from strawberry.types import Info as StrawberryInfo

from api.settings import Settings
from db.engine import Database


@dataclass(slots=True)
class Actor:
    """Who a change is attributed to in the case history."""

    subject: str | None = None
    agency: str | None = None


@dataclass(slots=True)
class RequestContext:
    settings: Settings
    db: Database
    actor: Actor = field(default_factory=Actor)
    # Row scope: the SQL predicate on `return_case` that limits which cases exist for the caller.
    case_scope: ColumnElement[bool] = field(default_factory=true)
    request: Any = None


Info = StrawberryInfo[RequestContext, None]
