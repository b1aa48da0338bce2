"""Input validation that collects every problem, so a client can fix a form in one round trip."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import String, inspect
from strawberry.utils.str_converters import to_camel_case

from api.cases.countries import is_country_code
from api.cases.court_case_numbers import is_court_case_number
from api.cases.identity_numbers import IdentityNumber, InvalidIdentityNumber, parse_identity_number
from api.errors import InvalidInput
from db.base import Base


class Problems:
    """Validation problems as (input path, message) pairs."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append((field, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidInput(self.items)

    def country(self, field: str, code: str | None) -> None:
        if code is not None and not is_country_code(code):
            self.add(field, "must be an ISO 3166-1 alpha-3 country code, e.g. SWE")

    def countries(self, field: str, codes: Iterable[str] | None) -> None:
        for index, code in enumerate(codes or ()):
            self.country(f"{field}[{index}]", code)

    def not_before(self, field: str, later: date | None, earlier: date | None, what: str) -> None:
        if later is not None and earlier is not None and later < earlier:
            self.add(field, f"must not be before {what}")

    def not_after(self, field: str, value: date | None, today: date, what: str) -> None:
        if value is not None and value > today:
            self.add(field, f"must not be after {what}")

    def identity_number(self, field: str, value: str | None, today: date) -> IdentityNumber | None:
        if value is None:
            return None
        try:
            return parse_identity_number(value, today=today)
        except InvalidIdentityNumber as error:
            self.add(field, str(error))
            return None

    def court_case_number(self, field: str, value: str | None) -> None:
        if value is not None and not is_court_case_number(value):
            self.add(field, "must look like 'UM 402-06'")

    def pattern(self, field: str, value: str | None, pattern: str, example: str) -> None:
        # ASCII only: `\d` would also admit full-width or Arabic-Indic lookalike digits.
        if value is not None and not re.fullmatch(pattern, value, flags=re.ASCII):
            self.add(field, f"does not match the configured format (e.g. {example})")

    def required_text(self, field: str, value: str | None) -> None:
        if value is not None and not value.strip():
            self.add(field, "must not be blank")

    def lengths(self, prefix: str, model: type[Base], values: dict[str, Any]) -> None:
        """Strings must fit their columns (an overflow would otherwise fail in the database)."""
        columns = inspect(model).columns
        for column_name, value in values.items():
            if column_name in columns:
                self.fits(f"{prefix}.{to_camel_case(column_name)}", value, columns[column_name])

    def fits(self, field: str, value: Any, column: Any) -> None:
        limit = column.type.length if isinstance(column.type, String) else None
        if isinstance(value, str) and limit is not None and len(value) > limit:
            self.add(field, f"must be at most {limit} characters")
