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
from datetime import date, datetime, time
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
from strawberry.schema.types.base_scalars import isoformat as strawberry_isoformat

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


def _object(
    collector: Collector, object_type: GraphQLObjectType, fields: FieldDetailsList
) -> Complete:
    """One generated function per object selection (like graphql-jit): the fields' reads,
    the str/bool checks of the common scalars inline, and the response as one dict display
    in the reference executor's key order."""
    if object_type.is_type_of is not None:
        raise Unsupported("an object type with its own type check")
    grouped, defer_usages, _ = collector.collect_subfields(object_type, fields)
    if defer_usages:
        raise Unsupported("@defer")
    namespace: dict[str, Any] = {}
    body: list[str] = []
    members: list[str] = []
    for index, (key, details) in enumerate(grouped.items()):
        if any(d.defer_usage is not None or d.fragment_variable_values for d in details):
            raise Unsupported("@defer or fragment arguments")
        name = details[0].node.name.value
        if name == "__typename":
            members.append(f"{key!r}: {object_type.name!r}")
            continue
        field = object_type.fields.get(name)
        if field is None:
            raise Unsupported(f"unknown field {object_type.name}.{name}")
        read = _read(field, namespace, index)
        complete = compile_value(collector, field.type, details)
        namespace[f"c{index}"] = complete
        nullable = _nullable(field.type)
        inline = _INLINE.get(nullable)
        body.append(f"    x{index} = {read}")
        if inline is not None:
            body.append(f"    if type(x{index}) is not {inline}:")
            body.append(f"        x{index} = c{index}(x{index})")
        elif nullable is GraphQLInt:
            body.append(
                f"    if type(x{index}) is not int or not {_INT_MIN} <= x{index} <= {_INT_MAX}:"
            )
            body.append(f"        x{index} = c{index}(x{index})")
        elif isinstance(nullable, GraphQLEnumType):
            # The names of the values met so far, by (type, value) as in `_leaf`: a miss (or
            # None) takes the full completion, whose valid answers are kept.
            namespace[f"n{index}"] = {}
            body.append(f"    k{index} = (x{index}.__class__, x{index})")
            body.append(f"    if k{index} in n{index}:")
            body.append(f"        x{index} = n{index}[k{index}]")
            body.append("    else:")
            body.append(f"        x{index} = n{index}[k{index}] = c{index}(x{index})")
        elif _isoformat(nullable):
            namespace["iso_types"] = _ISO_TYPES
            body.append(f"    if type(x{index}) in iso_types:")
            body.append(f"        x{index} = x{index}.isoformat()")
            body.append("    else:")
            body.append(f"        x{index} = c{index}(x{index})")
        else:
            body.append(f"    x{index} = c{index}(x{index})")
        members.append(f"{key!r}: x{index}")
    source = "\n".join(
        [
            "def complete(v):",
            "    if v is None:",
            "        return None",
            *body,
            f"    return {{{', '.join(members)}}}",
        ]
    )
    exec(compile(source, f"<compiled {object_type.name}>", "exec"), namespace)  # noqa: S102
    function: Complete = namespace["complete"]
    return function


# Scalars whose values of this Python type complete to themselves (checked inline).
_INLINE: dict[Any, str] = {GraphQLString: "str", GraphQLID: "str", GraphQLBoolean: "bool"}


# strawberry's Date, DateTime and Time serialise with this very function: what it returns for a
# value of these types is the value's `isoformat()`, which the program calls inline.
_ISO_TYPES = frozenset({date, datetime, time})


def _isoformat(output_type: GraphQLOutputType) -> bool:
    return (
        isinstance(output_type, GraphQLScalarType)
        and output_type.coerce_output_value is strawberry_isoformat
    )


def _nullable(output_type: GraphQLOutputType) -> GraphQLOutputType:
    return output_type.of_type if isinstance(output_type, GraphQLNonNull) else output_type


def _read(field: GraphQLField, namespace: dict[str, Any], index: int) -> str:
    """The expression reading the field's value from `v` (what strawberry's resolver does):
    the attribute of a stored field, the method's value of a computed one."""
    if field.args:
        raise Unsupported("a nested field with arguments")
    definition = (field.extensions or {}).get("strawberry-definition")
    if definition is None or definition.extensions or definition.permission_classes:
        raise Unsupported("a field with extensions or permissions")
    resolver = definition.base_resolver
    if resolver is None:
        if not getattr(field.resolve, "_is_default", False):
            raise Unsupported("a field with its own resolve function")
        if not definition.python_name.isidentifier():
            raise Unsupported("an attribute name that is no identifier")
        return f"v.{definition.python_name}"
    others = [
        parameter
        for reserved, parameter in resolver.reserved_parameters.items()
        if parameter is not None and getattr(reserved, "name", None) != "self"
    ]
    if resolver.arguments or others or resolver.is_async or resolver.self_parameter is None:
        raise Unsupported("a resolver taking more than the object")
    namespace[f"r{index}"] = resolver.wrapped_func
    return f"r{index}(v)"
