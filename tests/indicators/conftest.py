"""Tiny hand-made workspaces for indicator tests: a real DuckDB file with canonical rows."""

from __future__ import annotations

import pytest

from helpers import Case


@pytest.fixture
def case(tmp_path) -> Case:
    return Case(tmp_path / "case")
