"""Hand-written ads in a real workspace (``helpers.Ads``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Ads


@pytest.fixture
def ads(tmp_path: Path) -> Ads:
    return Ads(tmp_path / "case")
