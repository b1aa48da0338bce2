"""The type checker is part of the build: `scripts/test` runs `mypy --strict` over `api/` and
`db/` after ruff, with the plugins and stubs the libraries provide and no blanket exemption
(`.venv/bin/mypy` with no arguments checks everything, as README says)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).parents[1]


def _mypy_config() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mypy"]


def test_scripts_test_runs_mypy_after_ruff():
    lines = [line.strip() for line in (REPO / "scripts/test").read_text().splitlines()]
    assert lines.index(".venv/bin/mypy") > lines.index(".venv/bin/ruff format --check .")
    assert "mypy" in (REPO / "README.md").read_text().split("\n```", 2)[1]


def test_mypy_is_strict_over_the_service_with_strawberrys_plugin():
    config = _mypy_config()
    assert config["strict"] is True
    assert config["files"] == ["api", "db"]
    assert "strawberry.ext.mypy_plugin" in config["plugins"]


def test_missing_imports_are_ignored_only_for_named_untyped_packages():
    config = _mypy_config()
    assert "ignore_missing_imports" not in config
    for override in config.get("overrides", []):
        if override.get("ignore_missing_imports"):
            assert all(not module.startswith(("api", "db")) for module in override["module"])
            assert "*" not in override["module"]


def test_every_type_ignore_names_its_error_code():
    for path in [*REPO.glob("api/**/*.py"), *REPO.glob("db/**/*.py")]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "# type: ignore" in line:
                assert "# type: ignore[" in line, f"{path.relative_to(REPO)}:{number}"
