"""Build steps of the wheel (pyproject.toml's `[tool.setuptools.cmdclass]`); never installed."""
