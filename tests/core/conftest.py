"""Fixtures of tests/core."""

from tests.branches import branch_files, branches  # noqa: F401 (fixtures: two branches)
