"""GraphML (yEd, Gephi, Cytoscape, igraph) through networkx.

The exported part of the graph becomes a directed multigraph: two entities can be tied by
several types (a firm pays the worker it employs). Nodes carry kind, label, component,
community, degree and PageRank; edges carry type, relation, count, amount and the first and
last date as ISO strings. Empty values are left out rather than written as blanks, so a reader
sees "no amount" and not an amount of zero.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import networkx as nx

NODE_COLUMNS = ("kind", "label", "component", "community", "degree", "pagerank")
EDGE_COLUMNS = ("type", "relation", "count", "amount", "first_date", "last_date")


def _present(names: tuple[str, ...], values: tuple) -> dict[str, object]:
    return {k: v for k, v in zip(names, values, strict=True) if v is not None}


def to_networkx(
    con: duckdb.DuckDBPyConnection, edge_type_key: str = "type", edge_label: bool = False
) -> nx.MultiDiGraph:
    """The exported nodes and edges as a networkx multigraph (edge keys e0, e1, …); the tie
    type is stored under ``edge_type_key`` and, with ``edge_label``, as the edge's label too."""
    graph = nx.MultiDiGraph()
    nodes = con.execute(f"SELECT node, {', '.join(NODE_COLUMNS)} FROM export_node").fetchall()
    graph.add_nodes_from((r[0], _present(NODE_COLUMNS, r[1:])) for r in nodes)
    edges = con.execute(
        f"""SELECT source, target, type, relation, count, amount,
                  first_date::VARCHAR, last_date::VARCHAR{", type" if edge_label else ""}
           FROM export_edge"""
    ).fetchall()
    names = (edge_type_key, *EDGE_COLUMNS[1:], *(("label",) if edge_label else ()))
    graph.add_edges_from((r[0], r[1], f"e{i}", _present(names, r[2:])) for i, r in enumerate(edges))
    return graph


def write(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    nx.write_graphml(to_networkx(con), out, named_key_ids=True)
