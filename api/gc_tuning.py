"""Garbage-collector settings for a long-running server process.

A 1,000-case page creates about a million short-lived objects. With CPython's default gen-0
threshold (700) that triggers over forty collections per request, and the older generations'
collections walk every long-lived object too (the schema, the policy, SQLAlchemy's metadata):
a quarter of a bulk request went to the collector. Freezing what exists after start-up takes
those objects out of every collection, and a larger gen-0 threshold lets reference counting
free a request's objects before the collector looks. Cycles are still collected, only later.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def tuned_garbage_collector(gen0_threshold: int) -> Iterator[None]:
    """For the life of the app; 0 leaves the interpreter's settings alone. On exit the frozen
    objects are handed back to the collector, so an app that stops (tests start many) leaves
    nothing behind."""
    if gen0_threshold <= 0:
        yield
        return
    saved = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(gen0_threshold, *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        gc.unfreeze()
