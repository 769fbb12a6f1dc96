"""Tiny hand-made workspaces for indicator tests: a real DuckDB file with canonical rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from invert.indicators.run import analyze
from invert.workspace import Workspace


class Case:
    """A workspace built row by row; ``hits(indicator)`` runs the catalogue on it."""

    def __init__(self, path: Path) -> None:
        self.ws = Workspace.init(path)

    def add(self, table: str, **row: object) -> str:
        row.setdefault("source_id", "test.csv")
        row.setdefault("source_row", 2)
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        con = duckdb.connect(str(self.ws.db_path))
        try:
            con.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', list(row.values()))
        finally:
            con.close()
        return str(row.get("id"))

    def resolve(self, kind: str, **same: str) -> None:
        """Record what entity resolution would have found: record id -> entity id."""
        con = duckdb.connect(str(self.ws.db_path))
        try:
            con.executemany(
                "INSERT INTO entity VALUES (?, ?, ?)", [(kind, r, e) for r, e in same.items()]
            )
        finally:
            con.close()

    def hits(self, indicator: str, config: Path | None = None) -> dict[str, tuple]:
        analyze(self.ws, config, only={indicator})
        con = duckdb.connect(str(self.ws.db_path), read_only=True)
        try:
            rows = con.execute(
                "SELECT subject_id, strength, value, evidence FROM indicator_hit "
                "WHERE indicator = ?",
                [indicator],
            ).fetchall()
        finally:
            con.close()
        return {r[0]: r[1:] for r in rows}


@pytest.fixture
def case(tmp_path) -> Case:
    return Case(tmp_path / "case")
