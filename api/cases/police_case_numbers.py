"""The police's own case number (diarienummer) on a return case.

UNVERIFIED: Polismyndigheten's registry numbers look like `A123.456/2024` (a letter for the
registry series, a serial in groups of three digits, a slash, the four-digit year), as seen
on published decisions of the authority; whether enforcement cases of the border police are
registered in that series, or under the crime-report numbers of RAR (`2200-K1276-14`), is not
confirmed here. The accepted shape lives in this one function, tested by
tests/cases/test_police_case_number.py; change it here when the Police confirm their format.

Checked strictly, without trimming or case folding, like the court case numbers: what is
accepted is exactly what is stored and compared.
"""

from __future__ import annotations

import re

__all__ = ["is_police_case_number"]

# A registry letter, a serial of 1-3 digits then optional groups of `.ddd`, `/`, a year.
_PATTERN = re.compile(r"[A-Z][0-9]{1,3}(\.[0-9]{3}){0,2}/(19|20)[0-9]{2}")


def is_police_case_number(value: str) -> bool:
    """UNVERIFIED: whether `value` has the form of a Polismyndigheten diarienummer,
    `A123.456/2024` (see the module docstring)."""
    return _PATTERN.fullmatch(value) is not None
