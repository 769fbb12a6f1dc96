"""Workspaces for the evidence-pack tests, built with the command line as a user builds them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from invert.cli import app

runner = CliRunner()


def invert(*args: object, ok: bool = True) -> str:
    """Run ``invert`` in this process (the code under test, not an installed copy)."""
    result = runner.invoke(app, [str(a) for a in args])
    assert (result.exit_code == 0) is ok, result.output
    return result.output


@pytest.fixture
def cli() -> Callable[..., str]:
    return invert


@pytest.fixture
def analysed(tmp_path: Path, samples: Path) -> Path:
    """The payroll sample, ingested and analysed: no network or money stage."""
    case = tmp_path / "case"
    invert("init", case)
    invert("ingest", case, samples / "payroll.csv", "--mapping", samples / "payroll.yml")
    invert("analyze", case)
    return case


@pytest.fixture
def complete(analysed: Path) -> Path:
    """The same case with the graph, its communities, money flows and profit estimates."""
    invert("network", "build", analysed)
    invert("analyze", analysed)
    invert("money", analysed, "flows")
    invert("money", analysed, "profit")
    return analysed
