"""The checked-in SDL is what the server serves; models and migrations agree."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import db.models  # noqa: F401 - registers the tables
from api.schema import schema
from db.base import Base
from db.engine import create_engine
from db.migrate import alembic_config

ROOT = Path(__file__).resolve().parents[1]


def test_checked_in_schema_matches_the_live_schema():
    checked_in = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert checked_in == schema.as_str() + "\n", (
        "schema.graphql is stale: run `returncases export-schema`"
    )


def test_every_type_field_argument_and_enum_value_has_a_description():
    """Integrators read the schema (and /reference) as the API's documentation."""
    from graphql import (
        GraphQLEnumType,
        GraphQLInputObjectType,
        GraphQLInterfaceType,
        GraphQLObjectType,
    )

    fielded = (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)
    missing = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, fielded):
            for field_name, field in graphql_type.fields.items():
                coordinate = f"{name}.{field_name}"
                if not field.description:
                    missing.append(coordinate)
                missing += [
                    f"{coordinate}({arg}:)"
                    for arg, definition in getattr(field, "args", {}).items()
                    if not definition.description
                ]
        if isinstance(graphql_type, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, d in graphql_type.values.items() if not d.description]
    assert not missing, missing


def test_migrations_have_one_head():
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, heads


async def test_models_match_migrations(database_url):
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
    finally:
        await engine.dispose()
    assert differences == []
