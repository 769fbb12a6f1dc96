"""GEXF (Gephi) through networkx.

The same graph as the GraphML export. GEXF reserves an edge's ``type`` for its direction, so
the tie type travels as the edge's label and as a ``tie`` attribute.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import networkx as nx

from invert.export.graphml import to_networkx


def write(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    nx.write_gexf(to_networkx(con, edge_type_key="tie", edge_label=True), out)
