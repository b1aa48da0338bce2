"""The reference page as one HTML document, from the schema's own descriptions.

Every type, field, argument, input field and enum value is listed with its description (the
SDL's, so the page and `schema.graphql` never disagree), with the roles that typically see it
(`api/reference/visibility.py`) and every error code. Plain HTML with one stylesheet and one
small script beside this module: nothing is fetched from anywhere else.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLType,
    GraphQLUnionType,
    get_named_type,
)

from api.reference.visibility import Seen

_ROOTS = ("Query", "Mutation", "Subscription")
_KINDS: tuple[tuple[type, str], ...] = (
    (GraphQLObjectType, "object"),
    (GraphQLInterfaceType, "interface"),
    (GraphQLUnionType, "union"),
    (GraphQLInputObjectType, "input"),
    (GraphQLEnumType, "enum"),
    (GraphQLScalarType, "scalar"),
)


def _kind(graphql_type: GraphQLNamedType) -> str:
    return next(name for cls, name in _KINDS if isinstance(graphql_type, cls))


def _text(description: str | None) -> str:
    """Escaped prose with `code` spans; a missing description is shown as such."""
    if not description:
        return '<span class="missing">No description.</span>'
    escaped = html.escape(description)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def _type_ref(type_: GraphQLType) -> str:
    named = get_named_type(type_)
    label = html.escape(str(type_))
    return f'<a href="#{html.escape(named.name)}">{label}</a>'


def _seen(coordinate: str, seen: Mapping[str, Sequence[Seen]]) -> str:
    if coordinate not in seen:
        return '<span class="open">wherever its parent is visible</span>'
    roles = seen[coordinate]
    if not roles:
        return '<span class="none">no role</span>'
    return ", ".join(html.escape(r.role) + _narrowing(r) for r in roles)


def _narrowing(seen: Seen) -> str:
    """The rows a role does not see the coordinate on, as the policy matrix names them."""
    rows = [
        *(["protected rows"] if seen.except_protected else []),
        *(["closed cases"] if seen.except_closed else []),
    ]
    return f" <small>(not on {' or '.join(rows)})</small>" if rows else ""


def _deprecated(reason: str | None) -> str:
    if reason is None:
        return ""
    return f' <span class="deprecated">deprecated: {html.escape(reason)}</span>'


def _arguments(owner: str, name: str, args: Mapping[str, GraphQLArgument]) -> str:
    if not args:
        return ""
    items = []
    for arg_name, arg in args.items():
        items.append(
            f'<li id="{html.escape(f"{owner}.{name}({arg_name}:)")}"><code>{html.escape(arg_name)}'
            f"</code>: {_type_ref(arg.type)} — {_text(arg.description)}"
            f"{_deprecated(arg.deprecation_reason)}</li>"
        )
    return f'<ul class="args">{"".join(items)}</ul>'


def _field_row(
    owner: str,
    name: str,
    field: GraphQLField | GraphQLInputField,
    seen: Mapping[str, Sequence[Seen]],
) -> str:
    coordinate = f"{owner}.{name}"
    args = _arguments(owner, name, field.args) if isinstance(field, GraphQLField) else ""
    return (
        f'<tr id="{html.escape(coordinate)}"><td><code>{html.escape(name)}</code></td>'
        f"<td>{_type_ref(field.type)}</td>"
        f"<td>{_text(field.description)}{_deprecated(field.deprecation_reason)}{args}</td>"
        f"<td>{_seen(coordinate, seen)}</td></tr>"
    )


def _members(graphql_type: GraphQLNamedType, seen: Mapping[str, Sequence[Seen]]) -> str:
    name = graphql_type.name
    if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
        rows = "".join(_field_row(name, f, d, seen) for f, d in graphql_type.fields.items())
        return (
            '<table class="fields"><thead><tr><th>field</th><th>type</th><th>description</th>'
            f"<th>typically seen by</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    if isinstance(graphql_type, GraphQLEnumType):
        rows = "".join(
            f'<tr id="{html.escape(f"{name}.{value}")}"><td><code>{html.escape(value)}</code>'
            f"</td><td>{_text(d.description)}{_deprecated(d.deprecation_reason)}</td></tr>"
            for value, d in graphql_type.values.items()
        )
        return f'<table class="values"><tbody>{rows}</tbody></table>'
    if isinstance(graphql_type, GraphQLUnionType):
        return "<p>One of " + ", ".join(_type_ref(t) for t in graphql_type.types) + ".</p>"
    return ""


def _ordered(schema: GraphQLSchema) -> list[GraphQLNamedType]:
    types = [t for n, t in schema.type_map.items() if not n.startswith("__")]
    roots = [t for name in _ROOTS for t in types if t.name == name]
    rest = sorted((t for t in types if t.name not in _ROOTS),
                  key=lambda t: ([k for _, k in _KINDS].index(_kind(t)), t.name))  # fmt: skip
    return roots + rest


def _errors(codes: Iterable[tuple[str, str]]) -> str:
    rows = "".join(
        f'<tr id="error-{html.escape(code)}"><td><code>{html.escape(code)}</code></td>'
        f"<td>{_text(meaning)}</td></tr>"
        for code, meaning in codes
    )
    return (
        '<section id="errors" class="type"><h2>Error codes <span class="kind">extensions.code'
        "</span></h2><p>Every error carries a stable <code>extensions.code</code>.</p>"
        f'<table class="values"><tbody>{rows}</tbody></table></section>'
    )


def render(
    schema: GraphQLSchema,
    seen: Mapping[str, Sequence[Seen]],
    error_codes: Iterable[tuple[str, str]],
    policy_version: str,
) -> str:
    types = _ordered(schema)
    index = "".join(
        f'<li><a href="#{html.escape(t.name)}">{html.escape(t.name)}</a> '
        f'<span class="kind">{_kind(t)}</span></li>'
        for t in types
    )
    sections = "".join(
        f'<section id="{html.escape(t.name)}" class="type"><h2>{html.escape(t.name)} '
        f'<span class="kind">{_kind(t)}</span></h2><p>{_text(t.description)}</p>'
        f"{_members(t, seen)}</section>"
        for t in types
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>returncases API reference</title>"
        '<link rel="stylesheet" href="/reference/reference.css">'
        '<script src="/reference/reference.js" defer></script></head><body>'
        "<header><h1>returncases API reference</h1><p>Generated from the schema's descriptions "
        "(<code>schema.graphql</code>). “Typically seen by”: each role alone with its usual "
        f"purpose, under policy <code>{html.escape(policy_version[:12])}</code>; row rules "
        'still apply.</p><input id="filter" type="search" placeholder="Filter types and fields"'
        ' aria-label="Filter types and fields"></header>'
        f'<nav><ul><li><a href="#errors">Error codes</a></li>{index}</ul></nav>'
        f"<main>{_errors(error_codes)}{sections}</main></body></html>"
    )
