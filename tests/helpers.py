"""Helpers for tests: tiny hand-made workspaces, and reading a workspace the way another
process would."""

from __future__ import annotations

from pathlib import Path

import duckdb

from invert.indicators.run import analyze
from invert.workspace import Workspace


def query(ws: Workspace, sql: str, params: list | None = None) -> list[tuple]:
    """Read the workspace database as a separate process would: a fresh read-only connection."""
    con = duckdb.connect(str(ws.db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def snapshot(ws: Workspace) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, to compare a workspace before and after."""
    con = duckdb.connect(str(ws.db_path), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                "AND table_name <> 'runs'"
            ).fetchall()
        ]
        return {
            t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables
        }
    finally:
        con.close()


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

    def add_rows(self, table: str, rows: list[dict[str, object]]) -> None:
        """Many rows of one table in one connection (rows may differ in their columns)."""
        con = duckdb.connect(str(self.ws.db_path))
        try:
            for row in rows:
                row = {"source_id": "test.csv", "source_row": 2, **row}
                cols = ", ".join(f'"{c}"' for c in row)
                marks = ", ".join("?" for _ in row)
                con.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', list(row.values()))
        finally:
            con.close()

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
