"""Shared fixtures: real workspaces on disk and the bundled sample sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from invert.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "invert" / "samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.init(tmp_path / "case")
