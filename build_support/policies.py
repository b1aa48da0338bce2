"""Ship the files of `policies/` in the wheel as `api/default_policies/`.

`policies/` is the source of truth and stays where operators and the policy tests look for it;
the wheel needs a copy inside the package (the service runs from any directory). A build step
copies them, so the repository holds no second copy and no links (which a Windows checkout or a
plain file copy would break). A source checkout reads `policies/` itself (api/settings.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools.command.build_py import build_py

SOURCE = Path("policies")
TARGET = Path("api", "default_policies")
# The policy files; not policies/test_policy.py, the repository's test of them.
PATTERNS = ("*.conf", "*.csv")


class BuildPy(build_py):
    """setuptools' build_py, then the default policies into the built package."""

    def run(self) -> None:
        super().run()
        copied = sorted(path for pattern in PATTERNS for path in SOURCE.glob(pattern))
        if not copied:
            raise FileNotFoundError(f"no policy files in {SOURCE.resolve()}")
        target = Path(self.build_lib, TARGET)
        target.mkdir(parents=True, exist_ok=True)
        for path in copied:
            shutil.copyfile(path, target / path.name)
