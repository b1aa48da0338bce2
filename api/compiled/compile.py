"""Compile a selection over the case types into one function per response subtree.

The resolvers of `case`, `cases` and `caseEvents` have already loaded every value the caller
may see (the access plan cut the selection, the loader nulled what rows withhold), so
completing their result needs no resolver call per field: the response keys, the attribute
each reads, and how each leaf is serialised are known before the first object is touched.
Fields are collected by graphql-core's own `collect_subfields` (fragments, type conditions,
`@skip`/`@include` with the request's variables, merged aliases), so the response has the
reference executor's keys in its order.

Only the happy path is compiled: a null in a non-null position, a value of an unexpected
kind or any exception raises `Fallback`, and the caller completes the whole root field with
the reference executor instead, which then reports exactly the errors it always would.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, Protocol

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    Undefined,
)
from graphql.execution.collect_fields import CollectedFields, FieldDetailsList

Complete = Callable[[Any], Any]

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


class Unsupported(Exception):
    """The selection uses something the compiler does not cover: strawberry answers."""


class Fallback(Exception):
    """A value the compiled path does not complete (a null where none may be, an error):
    the reference executor completes the field, errors and all."""


class Collector(Protocol):
    def collect_subfields(
        self, return_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> CollectedFields: ...


def compile_value(
    collector: Collector, return_type: GraphQLOutputType, fields: FieldDetailsList
) -> Complete:
    """The function completing one resolved value of `return_type` as the spec does."""
    if isinstance(return_type, GraphQLNonNull):
        return _non_null(compile_value(collector, return_type.of_type, fields))
    if isinstance(return_type, GraphQLList):
        return _list(compile_value(collector, return_type.of_type, fields))
    if isinstance(return_type, GraphQLScalarType | GraphQLEnumType):
        return _leaf(return_type)
    if isinstance(return_type, GraphQLObjectType):
        return _object(collector, return_type, fields)
    raise Unsupported(f"no compiled completion for {return_type}")  # interfaces, unions


def _non_null(inner: Complete) -> Complete:
    def complete(value: Any) -> Any:
        completed = inner(value)
        if completed is None:
            raise Fallback("null in a non-null position")
        return completed

    return complete


def _list(item: Complete) -> Complete:
    def complete(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is not list:
            raise Fallback("a list field holds no list")
        return [item(element) for element in value]

    return complete


def _leaf(leaf_type: GraphQLLeafType) -> Complete:
    """graphql-core's leaf completion; the built-in scalars skip the call for the values they
    return unchanged (a str for String and ID, a bool, an int within 32 bits)."""
    coerce = leaf_type.coerce_output_value

    def coerced(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Exception):
            raise Fallback("an error as a value")
        result = coerce(value)
        if result is None or result is Undefined:
            raise Fallback("a value the scalar cannot serialise")
        return result

    if leaf_type is GraphQLString or leaf_type is GraphQLID:

        def text(value: Any) -> Any:
            return value if type(value) is str else coerced(value)

        return text
    if leaf_type is GraphQLBoolean:

        def boolean(value: Any) -> Any:
            return value if type(value) is bool else coerced(value)

        return boolean
    if leaf_type is GraphQLInt:

        def integer(value: Any) -> Any:
            if type(value) is int and _INT_MIN <= value <= _INT_MAX:
                return value
            return coerced(value)

        return integer
    if isinstance(leaf_type, GraphQLEnumType):
        names: dict[tuple[type, Any], Any] = {}

        def enum(value: Any) -> Any:
            if value is None:
                return None
            key = (value.__class__, value)
            try:
                return names[key]
            except KeyError:
                result = names[key] = coerced(value)
                return result
            except TypeError:  # unhashable: no such enum value
                return coerced(value)

        return enum
    return coerced


def _getter(field: GraphQLField) -> Callable[[Any], Any]:
    """What strawberry's resolver of the field returns: the attribute of a stored field, or
    the value of a computed one (a method of the object taking nothing else)."""
    if field.args:
        raise Unsupported("a nested field with arguments")
    definition = (field.extensions or {}).get("strawberry-definition")
    if definition is None or definition.extensions or definition.permission_classes:
        raise Unsupported("a field with extensions or permissions")
    resolver = definition.base_resolver
    if resolver is None:
        if not getattr(field.resolve, "_is_default", False):
            raise Unsupported("a field with its own resolve function")
        return attrgetter(definition.python_name)
    others = [
        parameter
        for reserved, parameter in resolver.reserved_parameters.items()
        if parameter is not None and getattr(reserved, "name", None) != "self"
    ]
    if resolver.arguments or others or resolver.is_async or resolver.self_parameter is None:
        raise Unsupported("a resolver taking more than the object")
    function: Callable[[Any], Any] = resolver.wrapped_func
    return function


def _object(
    collector: Collector, object_type: GraphQLObjectType, fields: FieldDetailsList
) -> Complete:
    if object_type.is_type_of is not None:
        raise Unsupported("an object type with its own type check")
    grouped, defer_usages, _ = collector.collect_subfields(object_type, fields)
    if defer_usages:
        raise Unsupported("@defer")
    type_name = object_type.name
    program: list[tuple[str, Callable[[Any], Any], Complete]] = []
    for key, details in grouped.items():
        if any(d.defer_usage is not None or d.fragment_variable_values for d in details):
            raise Unsupported("@defer or fragment arguments")
        name = details[0].node.name.value
        if name == "__typename":
            program.append((key, _constant(type_name), _identity))
            continue
        field = object_type.fields.get(name)
        if field is None:
            raise Unsupported(f"unknown field {type_name}.{name}")
        program.append((key, _getter(field), compile_value(collector, field.type, details)))

    def complete(value: Any) -> Any:
        if value is None:
            return None
        return {key: finish(get(value)) for key, get, finish in program}

    return complete


def _constant(value: str) -> Callable[[Any], str]:
    def get(_: Any) -> str:
        return value

    return get


def _identity(value: Any) -> Any:
    return value
