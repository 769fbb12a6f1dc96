"""A tiny case for the exports: two crews (firms, a boss, workers, their accounts and a
dwelling), an accountant's phone shared by every firm, a utility every worker pays, an ad with
the boss's phone, an ownership, a subcontract and a known account holder."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Case, crew_rows
from invert.network import build

CREWS = {"a": ("A1", "A2"), "b": ("B1",)}
WORKERS = 3


@pytest.fixture
def graph_case(tmp_path: Path) -> Case:
    case = Case(tmp_path / "case")
    rows = crew_rows(CREWS, WORKERS)
    rows["ad"].append(
        {"id": "ad-1", "title": "Work in NL, housing included", "phone": "+31612345678"}
    )
    rows["person"].append({"id": "boss-a-2", "name": "Boss A", "phone": "+31612345678"})
    rows["ownership"].append({"id": "own-1", "owner": "boss-a", "asset": "A2"})
    rows["subcontract"].append({"id": "sub-1", "client": "A1", "supplier": "B1"})
    case.add_tables(rows)
    # resolution found that the boss's second record is the same person
    case.resolve("person", **{"boss-a": "boss-a", "boss-a-2": "boss-a"})
    build(case.ws, resolution=0.05, hub_degree=7)
    return case
