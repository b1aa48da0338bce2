"""Migration court case numbers (målnummer), e.g. `UM 402-06` or `UM 4021-23`.

Checked strictly, without trimming or case folding, so that what is accepted is exactly what is
stored and compared: a case number copied with stray spacing would otherwise fail to match.
"""

from __future__ import annotations

import re

__all__ = ["is_court_case_number"]

# `UM`, one ASCII space, 1–5 digits of serial, a hyphen, two digits of year.
_PATTERN = re.compile(r"UM [0-9]{1,5}-[0-9]{2}")


def is_court_case_number(value: str) -> bool:
    """Whether `value` has the form `UM <1–5 digits>-<2 digits>`."""
    return _PATTERN.fullmatch(value) is not None
