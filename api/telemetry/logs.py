"""Log output: one JSON object per line (structlog's renderer on the standard library's
logging), or aligned plain text for a terminal.

structlog rather than a bare JSON formatter: one processor chain renders our records and those
of uvicorn, SQLAlchemy and strawberry alike, as JSON for a log store or as text for a person,
and it is typed and well kept. Everything in the service still logs through `logging`, so tests
and libraries need nothing else.

Tracebacks keep their frames and exception types but drop the exception messages: the text of
an exception can carry a value (a statement's parameters, a piece of input), and a case field's
value must never reach a log.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType
from typing import IO, Any, Literal

import orjson
import structlog
from structlog.typing import EventDict, WrappedLogger

LogFormat = Literal["json", "text"]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def traceback_without_messages(exc_info: ExcInfo) -> str:
    """Frames and exception types of the whole chain (causes first), no messages."""
    chain: list[BaseException] = []
    current: BaseException | None = exc_info[1]
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or current.__context__
    lines: list[str] = []
    for position, exception in enumerate(reversed(chain)):
        if position:
            lines.append("The above exception led to:")
        lines.append("Traceback (most recent call last):")
        lines.extend(frame.rstrip("\n") for frame in traceback.format_tb(exception.__traceback__))
        kind = type(exception)
        module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
        lines.append(f"{module}{kind.__qualname__}")
    return "\n".join(lines)


def _drop_color_message(_logger: WrappedLogger, _name: str, event: EventDict) -> EventDict:
    """uvicorn adds an ANSI-coloured copy of its messages as an extra field."""
    event.pop("color_message", None)
    return event


def _json(event: Any, **_: Any) -> str:
    return orjson.dumps(event, default=str).decode()


def formatter(log_format: LogFormat, *, colors: bool = False) -> logging.Formatter:
    """A formatter rendering every log record in `log_format`."""
    renderer: Any = (
        structlog.processors.JSONRenderer(serializer=_json)
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=colors, sort_keys=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.CallsiteParameterAdder(
                [structlog.processors.CallsiteParameter.PROCESS]
            ),
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _drop_color_message,
            structlog.processors.ExceptionRenderer(traceback_without_messages),
            renderer,
        ],
    )


def configure_logging(
    level: str, log_format: LogFormat, stream: IO[str] | None = None
) -> logging.Handler:
    """Send every logger's records to `stream` (stderr) in `log_format`; replaces the root
    logger's handlers, so call it once per process, from the command that serves."""
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    colors = log_format == "text" and hasattr(stream, "isatty") and stream.isatty()
    handler.setFormatter(formatter(log_format, colors=colors))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    # pycasbin prints the whole policy at INFO on every load: a page per worker and reload.
    logging.getLogger("casbin").setLevel(max(logging.WARNING, root.level))
    # Alembic announces each of its plugins at INFO before every migration run.
    logging.getLogger("alembic.runtime.plugins").setLevel(max(logging.WARNING, root.level))
    # uvicorn's own loggers print through their handlers unless told to propagate; its access
    # log would be a second line per request (api/http/telemetry.py writes the first).
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = name != "uvicorn.access"
    return handler
