"""Court case numbers (målnummer): the migration courts' `UM 402-06` or `UM 4021-23`, and
the general courts' `B 1234-24` (criminal cases, where expulsion for crime is decided).

Checked strictly, without trimming or case folding, so that what is accepted is exactly what is
stored and compared: a case number copied with stray spacing would otherwise fail to match.
"""

from __future__ import annotations

import re

__all__ = ["is_court_case_number", "is_general_court_case_number"]

# `UM` (migration courts) or `B` (general courts, criminal cases), one ASCII space, 1–5 digits
# of serial, a hyphen, two digits of year.
_PATTERN = re.compile(r"(UM|B) [0-9]{1,5}-[0-9]{2}")


def is_court_case_number(value: str) -> bool:
    """Whether `value` has the form `UM <1–5 digits>-<2 digits>` or `B <1–5 digits>-<2 digits>`."""
    return _PATTERN.fullmatch(value) is not None


def is_general_court_case_number(value: str) -> bool:
    """A general court's criminal case number (`B 1234-24`)."""
    return is_court_case_number(value) and value.startswith("B ")
