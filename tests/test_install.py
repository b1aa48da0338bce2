"""Installed from a built wheel, the service runs from any directory: the wheel carries the
default policies, the migrations and the pages' assets, and a missing or incomplete policy
directory is one line on stderr for every command that reads it.

The wheel is built offline from a copy of the sources (as a fresh clone has them) and installed
with `--no-deps` into a temporary venv; the already installed dependencies of this venv are made
visible to it by a `.pth` line, so nothing is downloaded and the test stays fast. The project's
own code comes from the temporary venv only (checked).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import httpx
import pytest

from api.identity.development import mint_token
from db.enums import Agency
from tests.servers import spawn_serving, wait_until_up

REPO = Path(__file__).parents[1]
SOURCES = ("pyproject.toml", "MANIFEST.in", "README.md", "api", "db", "policies", "build_support")


def _run(*command: str | Path, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # callers check the outcome they expect
        [str(part) for part in command], capture_output=True, text=True, timeout=300, **options
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ directory of a fresh venv with the built wheel installed in it."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        origin = REPO / name
        if origin.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(origin, source / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(origin, source / name)
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--disable-pip-version-check", "--quiet", "--wheel-dir", root / "dist", source,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (root / "dist").glob("returncases-*.whl")

    venv = root / "venv"
    created = _run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    install = _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--disable-pip-version-check", "--quiet", wheel,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    # Only now the dependencies: pip above saw an empty venv and installed the wheel itself.
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    dependencies = sysconfig.get_paths()["purelib"]
    Path(purelib.stdout.strip(), "dependencies.pth").write_text(dependencies + "\n")
    return venv / "bin"


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a new user: no RETURNCASES_* settings, no PYTHONPATH."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RETURNCASES_") and key not in ("DATABASE_URL", "PYTHONPATH")
    }
    env["HOME"] = str(tmp_path)
    return env


def test_the_installed_package_is_imported_from_the_new_venv_not_the_repository(
    installed, clean_env, tmp_path
):
    code = "import api, db; print(api.__file__, db.__file__)"
    where = _run(installed / "python", "-c", code, cwd=tmp_path, env=clean_env)
    assert where.returncode == 0, where.stderr
    for module in where.stdout.split():
        assert Path(module).is_relative_to(installed.parent), module
        assert not Path(module).is_relative_to(REPO), module


def test_policy_lint_and_test_run_on_the_shipped_policies_from_any_directory(
    installed, clean_env, tmp_path
):
    lint = _run(installed / "returncases", "policy", "lint", cwd=tmp_path, env=clean_env)
    assert (lint.returncode, lint.stdout.strip()) == (0, "0 finding(s)"), lint.stderr
    table = _run(installed / "returncases", "policy", "test", cwd=tmp_path, env=clean_env)
    assert table.returncode == 0, table.stdout + table.stderr
    assert table.stdout.strip().endswith(" passed, 0 failed")


def test_serve_demo_from_a_temporary_directory_migrates_seeds_and_answers(
    installed, clean_env, tmp_path
):
    base, server = spawn_serving(
        [installed / "returncases", "serve", "--demo", "--demo-cases", "25"],
        cwd=tmp_path,
        env=clean_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_up(base, server)
        token = mint_token(
            tmp_path / ".returncases",  # the development key, created in the working directory
            subject="newcomer",
            agency=Agency.MIGRATIONSVERKET,
            roles=["return_officer"],
            unit="mv-stockholm",
            purposes=["CASE_HANDLING"],
        )
        answer = httpx.post(
            f"{base}/graphql",
            json={"query": "{ cases(first: 1) { totalCount } }"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.json() == {"data": {"cases": {"totalCount": 25}}}
        for path in ("/admin/policies", "/admin/policies/page.js", "/admin/policies/page.css"):
            assert httpx.get(f"{base}{path}").status_code == 200, path
        ide_page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"})
        assert ide_page.status_code == 200
        for asset in re.findall(r'(?:src|href)="(/graphql/ide/[^"]+)"', ide_page.text):
            assert httpx.get(f"{base}{asset}").status_code == 200, asset
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert (tmp_path / "returncases.db").is_file()
    assert "Demo tokens" in output
    assert "Traceback" not in output


def test_returncases_policy_dir_overrides_the_shipped_policies(installed, clean_env, tmp_path):
    custom = tmp_path / "custom"
    shutil.copytree(REPO / "policies", custom)
    with (custom / "policy.csv").open("a", encoding="utf-8") as rules:
        rules.write("p, case_officer, migrationsverket, *.dateOfBirth, read, *, *, allow\n")
    env = {**clean_env, "RETURNCASES_POLICY_DIR": str(custom)}
    lint = _run(installed / "returncases", "policy", "lint", cwd=tmp_path, env=env)
    assert lint.returncode == 1
    assert "*.dateOfBirth" in lint.stdout


@pytest.mark.parametrize("layout", ["missing", "without policy.csv"])
@pytest.mark.parametrize(
    "command",
    [
        ("serve",),
        ("policy", "lint"),
        ("policy", "test"),
        ("policy", "explain"),
        ("policy", "matrix"),
    ],
)
def test_an_unusable_policy_directory_is_one_line_without_a_traceback(
    installed, clean_env, tmp_path, layout, command
):
    policies = tmp_path / "my-policies"
    if layout != "missing":
        policies.mkdir()
        (policies / "model.conf").write_text("[request_definition]\nr = sub, obj, act\n")
    arguments = list(command)
    if command == ("policy", "explain"):
        arguments += ["--agency", "polisen", "--role", "x", "--coordinate", "Case.id"]
    env = {**clean_env, "RETURNCASES_POLICY_DIR": str(policies)}
    result = _run(installed / "returncases", *arguments, cwd=tmp_path, env=env)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"returncases: policy directory {policies} ")
    assert ("does not exist" if layout == "missing" else "lacks policy.csv") in line
    assert not (tmp_path / "returncases.db").exists()  # refused before touching the database
