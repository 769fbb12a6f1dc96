"""Query results as dictionaries keyed by column name, the shape the template reads."""

from __future__ import annotations

from typing import Any

import duckdb


def dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | dict[str, Any]
) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
