"""The examples' generated code is what their generators make of today's schema.graphql and
documents: regenerate after changing either (examples/python/generate, `npm run codegen`)."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _tool_or_skip(path: Path, reason: str) -> None:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def _differences(expected: Path, actual: Path) -> list[str]:
    comparison = filecmp.dircmp(expected, actual, ignore=["__pycache__"])
    problems = [f"missing {name}" for name in comparison.right_only]
    problems += [f"not generated {name}" for name in comparison.left_only]
    _, mismatch, errors = filecmp.cmpfiles(expected, actual, comparison.common_files, shallow=False)
    return problems + [f"differs {name}" for name in mismatch + errors]


def test_the_python_client_is_generated_from_the_current_schema(tmp_path):
    example = EXAMPLES / "python"
    _tool_or_skip(example / ".codegen" / "bin" / "ariadne-codegen",
                  "examples/python/.codegen missing (scripts/bootstrap installs it)")  # fmt: skip
    copy = tmp_path / "examples" / "python"
    shutil.copytree(example / "queries", copy / "queries")
    for name in ("pyproject.toml", "base_client.py", "generate"):
        shutil.copy2(example / name, copy / name)
    (copy / ".codegen").symlink_to(example / ".codegen")
    shutil.copy2(ROOT / "schema.graphql", tmp_path / "schema.graphql")
    subprocess.run([str(copy / "generate")], check=True, capture_output=True, timeout=120)
    assert _differences(example / "returncases_client", copy / "returncases_client") == [], (
        "examples/python/returncases_client is stale: run examples/python/generate"
    )


def test_the_typescript_documents_are_generated_from_the_current_schema(tmp_path):
    example = EXAMPLES / "typescript"
    node = shutil.which("node")
    missing = "Node.js or examples/typescript/node_modules missing (scripts/bootstrap installs)"
    _tool_or_skip(example / "node_modules" / "@graphql-codegen" / "cli", missing)
    if node is None:
        _tool_or_skip(Path("/nonexistent/node"), missing)
    assert node is not None
    copy = tmp_path / "examples" / "typescript"
    shutil.copytree(example / "operations", copy / "operations")
    shutil.copy2(example / "codegen.yml", copy / "codegen.yml")
    shutil.copy2(example / "package.json", copy / "package.json")
    (copy / "node_modules").symlink_to(example / "node_modules")
    shutil.copy2(ROOT / "schema.graphql", tmp_path / "schema.graphql")
    codegen = example / "node_modules" / "@graphql-codegen" / "cli" / "esm" / "bin.js"
    subprocess.run([node, str(codegen), "--config", "codegen.yml"],
                   cwd=copy, check=True, capture_output=True, timeout=180)  # fmt: skip
    generated = "src/generated/graphql.ts"
    assert (copy / generated).read_text() == (example / generated).read_text(), (
        "examples/typescript/src/generated is stale: run `npm run codegen` there"
    )
