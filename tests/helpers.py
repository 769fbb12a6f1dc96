"""Helpers for reading a workspace the way another process would."""

from __future__ import annotations

import duckdb

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
