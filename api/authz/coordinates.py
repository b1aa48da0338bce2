"""Schema coordinates the policy speaks about: read from the installed catalogue
(api/authz/catalogue.py), which the wiring fills in from the case graph and the schema."""

from __future__ import annotations

from collections.abc import Mapping

from api.authz.catalogue import installed

# Root fields outside Mutation that need `call`: following break-glass grants (auditors and
# security officers).
BREAK_GLASS_COORDINATES = frozenset({"Query.breakGlassGrants", "Subscription.breakGlassOpened"})


def field_coordinates() -> frozenset[str]:
    """Every readable coordinate of the protected case types (columns, computed, relations)."""
    return installed().fields


def free_text_coordinates() -> frozenset[str]:
    """Coordinates declared free text in the case types: prose that can carry anything."""
    return installed().free_text


def relation_targets() -> Mapping[str, str]:
    """Relation coordinate (`ReturnCase.addresses`) -> the type it leads to (`Address`)."""
    return installed().relations


def protected_types() -> frozenset[str]:
    return installed().types


def computed_dependencies() -> Mapping[str, frozenset[str]]:
    """Computed coordinate -> coordinates of the columns it reads (withheld if any is)."""
    return installed().computed


def mutation_coordinates() -> frozenset[str]:
    """Objects of the `call` action: every mutation, the auditors' query and the policy
    administration queries."""
    return installed().calls
