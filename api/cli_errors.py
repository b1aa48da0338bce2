"""How the command line tells an operator what is wrong with the setup: one line on stderr and
an exit code (2: a setting or file to fix, 1: the database cannot be used), never a traceback.
Anything else is a bug and keeps its traceback."""

from __future__ import annotations

import socket

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from api.settings import ConfigurationError

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
    if isinstance(error, DBAPIError | ConnectionError | socket.gaierror):
        # Unreachable, refused or misnamed: the driver's own words, never the URL (it may hold
        # a password) nor a statement.
        reason = error.orig if isinstance(error, DBAPIError) else error
        return [f"the database (DATABASE_URL) cannot be used: {reason}"], 1
    return None
