"""The one-way layers are a contract the build checks (pyproject.toml, [tool.importlinter], run
by scripts/test): the code keeps it, an import up a layer or a cycle breaks it, and the policy
layer lints a policy against coordinates handed to it, without the server."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

from api.authz.coordinates import (
    computed_dependencies,
    field_coordinates,
    free_text_coordinates,
    mutation_coordinates,
    relation_targets,
)
from api.authz.lint import lint
from api.authz.policy import Policy, PolicyText

ROOT = Path(__file__).parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]


def _layers() -> list[list[str]]:
    """The layers contract, top first, each layer a list of its modules."""
    (contract,) = (c for c in CONFIG["importlinter"]["contracts"] if c["type"] == "layers")
    return [re.split(r"\s*[|:]\s*", layer.strip()) for layer in contract["layers"]]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_scripts_test_checks_the_contracts_after_ruff_and_before_pytest():
    lines = (ROOT / "scripts" / "test").read_text(encoding="utf-8").splitlines()
    order = [
        next(i for i, line in enumerate(lines) if line.startswith(command))
        for command in (".venv/bin/ruff format", ".venv/bin/lint-imports", ".venv/bin/python -m")
    ]
    assert order == sorted(order)


def test_the_code_keeps_every_contract():
    contracts = CONFIG["importlinter"]["contracts"]
    assert {c["type"] for c in contracts} >= {"layers", "forbidden", "acyclic_siblings"}
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


def test_an_import_up_any_layer_or_of_strawberry_below_graphql_breaks_the_build(tmp_path: Path):
    """For every pair of adjacent layers, one planted import from the lower up to the upper:
    each is reported, and so is strawberry imported by the policy layer."""
    for name in ("api", "db"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    layers = _layers()
    planted = []
    for upper, lower in itertools.pairwise(layers):
        importer, imported = lower[0], upper[0]
        package = tmp_path.joinpath(*importer.split("."))
        if package.is_dir():
            (package / "planted.py").write_text(f"import {imported}\n", encoding="utf-8")
            importer += ".planted"
        else:
            with package.with_suffix(".py").open("a", encoding="utf-8") as module:
                module.write(f"\nimport {imported}  # noqa\n")
        planted.append(f"{importer} -> {imported}")
    (tmp_path / "api" / "authz" / "engine_ui.py").write_text("import strawberry\n", "utf-8")

    result = _lint_imports(tmp_path)

    assert result.returncode == 1
    report = re.sub(r"\s+", " ", result.stdout)
    for line in planted:
        assert line in report, f"not reported: {line}"
    assert "api.authz.engine_ui -> strawberry" in report
    assert re.search(r"No import cycles in api/ and db/, at any depth BROKEN", report)


def test_policy_lint_runs_on_coordinates_handed_to_it_without_the_server(tmp_path: Path):
    """The catalogue travels as plain data: a process that never imports the schema, strawberry
    or the case domain lints the shipped policy to the same findings as the server."""
    catalogue = {
        "fields": sorted(field_coordinates()),
        "calls": sorted(mutation_coordinates()),
        "free_text": sorted(free_text_coordinates()),
        "relations": dict(relation_targets()),
        "computed": {k: sorted(v) for k, v in computed_dependencies().items()},
    }
    (tmp_path / "catalogue.json").write_text(json.dumps(catalogue), encoding="utf-8")
    policy_dir = ROOT / "policies"
    expected = [str(f) for f in lint(Policy.load(PolicyText.from_directory(policy_dir)))]
    script = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from api.authz.catalogue import Catalogue
        from api.authz.lint import lint
        from api.authz.policy import Policy, PolicyText

        raw = json.load(open({str(tmp_path / "catalogue.json")!r}))
        catalogue = Catalogue(
            fields=frozenset(raw["fields"]),
            calls=frozenset(raw["calls"]),
            free_text=frozenset(raw["free_text"]),
            relations=raw["relations"],
            computed={{k: frozenset(v) for k, v in raw["computed"].items()}},
        )
        policy = Policy.load(PolicyText.from_directory(Path({str(policy_dir)!r})))
        findings = [str(f) for f in lint(policy, catalogue)]
        loaded = sorted(m for m in sys.modules if m in ("strawberry", "graphql", "api.schema")
                        or m.startswith(("api.cases", "api.graphql")))
        print(json.dumps({{"findings": findings, "loaded": loaded}}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    answer = json.loads(result.stdout)
    assert answer == {"findings": expected, "loaded": []}


def test_the_readme_lists_the_layers_bottom_up_as_the_contract_has_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :]
    listed = re.findall(r"^  \d+\. (.*)$", layout, flags=re.MULTILINE)

    def modules(line: str) -> set[str]:
        names = re.findall(r"`((?:api|db)[/\w.]*)`", line.split(" — ")[0])
        return {name.removesuffix("/").removesuffix(".py").replace("/", ".") for name in names}

    assert [modules(line) for line in listed] == [set(layer) for layer in reversed(_layers())]
    assert "`pyproject.toml`'s `[tool.importlinter]`" in layout
