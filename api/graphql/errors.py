"""Error masking: expected errors keep their message and code, everything else is masked."""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from api.errors import ApiError

log = logging.getLogger("returncases.errors")


def _is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, ApiError):
        return False
    log.error("unexpected error in resolver at %s", error.path, exc_info=original)
    return True


class MaskUnexpectedErrors(MaskErrors):
    """Unexpected exceptions become INTERNAL_SERVER_ERROR with no detail; the log keeps it."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_unexpected, error_message="Internal server error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return GraphQLError(
            message=self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR"},
        )
