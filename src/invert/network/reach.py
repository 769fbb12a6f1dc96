"""How far ties reach: the nodes within some hops of a start, over ``graph_edge``.

Exports and shared packages both cut the graph down to a neighbourhood; each hop is one
set-based step over the edges (either direction), so the cost grows with the neighbourhood,
not with the graph.
"""

from __future__ import annotations

import duckdb


def grow(con: duckdb.DuckDBPyConnection, table: str, hops: int) -> None:
    """Add to ``table(node, hop)`` (holding the start nodes at hop 0) every node up to ``hops``
    ties away, each with the hop it was first reached at."""
    for hop in range(1, hops + 1):
        con.execute(
            f"""INSERT INTO {table}
            SELECT DISTINCT other, {hop} FROM (
                SELECT e.target AS other FROM graph_edge e
                JOIN {table} r ON r.node = e.source AND r.hop = {hop - 1}
                UNION ALL
                SELECT e.source FROM graph_edge e
                JOIN {table} r ON r.node = e.target AND r.hop = {hop - 1})
            WHERE other NOT IN (SELECT node FROM {table})"""
        )
