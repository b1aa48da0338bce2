"""How the command line tells an operator what is wrong with the setup: one line on stderr and
an exit code (2: a setting or file to fix, 1: the database cannot be used), never a traceback.
Anything else is a bug and keeps its traceback."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from api.settings import ConfigurationError
from db.outage import unavailable_reason

# PostgreSQL error classes of a login the server refuses (appendix A of its manual): 28 invalid
# authorization (no such role, wrong password), 3D invalid catalog name (no such database).
_LOGIN_SQLSTATES = ("28", "3D")
_FILE_ERRORS = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)


def explain(error: BaseException) -> tuple[list[str], int] | None:
    """The lines to print and the exit code for an expected failure; None for a bug."""
    if isinstance(error, ConfigurationError):
        return [str(error)], 2
    if isinstance(error, ValidationError):  # a setting from the environment is unusable
        lines = []
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"]) or "settings"
            reason = problem.get("ctx", {}).get("error") or problem["msg"]
            lines.append(f"{where}: {reason}")
        return lines, 2
    if isinstance(error, _FILE_ERRORS):
        return [f"cannot read {error.filename}: {error.strerror}"], 2
    if (reason := unavailable_reason(error)) is not None:  # down, refused, unreachable
        return [f"the database (DATABASE_URL) cannot be used: {reason}; is it running?"], 1
    refused = error.orig if isinstance(error, DBAPIError) else None
    sqlstate = getattr(refused, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate.startswith(_LOGIN_SQLSTATES):
        # Refused at login: the server's words name the role or database, never case values
        # (no statement ran); never the URL, which may hold a password.
        return [f"the database (DATABASE_URL) cannot be used: {refused}"], 1
    return None
