"""Components, communities and key players of the entity graph (igraph, never hand-written).

Nodes are numbered in SQL and only the numbers cross into igraph and scipy, so a graph of
millions of edges costs two integer arrays. Components come from a sparse matrix. Leiden
(igraph's built-in implementation, with the constant Potts model as objective) splits the large
components that shared banks, utilities and big employers create into groups whose ties are
denser than a set threshold. PageRank and degree rank the key players. Leiden starts from a
random partition: the seed is fixed so that the same graph always gives the same communities.

Written: ``graph_membership(node, component, community, degree, pagerank)``; the quality
reported is the modularity of the partition found.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import duckdb
import igraph as ig
import numpy as np
import pyarrow as pa
from scipy import sparse
from scipy.sparse import csgraph

OBJECTIVE = "CPM"
# CPM keeps a group together while its ties are denser than this: a connected group of up to
# 2 / resolution nodes (2,000) holds even as a bare chain; larger groups must be denser. Unlike
# modularity, the meaning does not change with the size of the graph. (Ours.)
DEFAULT_RESOLUTION = 0.001
DEFAULT_HUB_DEGREE = 100  # ours: more distinct ties than any planted or reported crew has
# How much one tie of a type counts when communities are drawn (others count 1). Sharing a phone,
# an e-mail or an address is weaker evidence of one organisation than a directorship or money:
# an accountant's phone or a business centre joins many unrelated firms.
TIE_WEIGHTS = {"has phone": 0.2, "has e-mail": 0.2, "at address": 0.2}
SEED = 20251123


@dataclass
class CommunityCounts:
    nodes: int
    edges: int
    components: int
    communities: int
    modularity: float


def detect(
    con: duckdb.DuckDBPyConnection,
    resolution: float = DEFAULT_RESOLUTION,
    hub_degree: int = DEFAULT_HUB_DEGREE,
) -> CommunityCounts:
    """Rebuild ``graph_membership`` from ``graph_node`` and ``graph_edge``."""
    con.execute("""CREATE OR REPLACE TEMP TABLE node_no AS
        SELECT node, (row_number() OVER (ORDER BY node) - 1)::BIGINT AS no FROM graph_node""")
    n = con.execute("SELECT count(*) FROM node_no").fetchone()[0]
    weights = ", ".join(f"('{t}', {w})" for t, w in TIE_WEIGHTS.items())
    pairs = con.execute(f"""
        WITH w(type, weight) AS (VALUES {weights})
        SELECT least(s.no, t.no) AS a, greatest(s.no, t.no) AS b,
               sum(coalesce(w.weight, 1.0)) AS weight
        FROM graph_edge e JOIN node_no s ON s.node = e.source JOIN node_no t ON t.node = e.target
        LEFT JOIN w ON w.type = e.type
        GROUP BY ALL""").to_arrow_table()
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    weight = pairs["weight"].to_numpy()
    adjacency = sparse.coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _count, components = csgraph.connected_components(adjacency, directed=False)
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    # Communities are drawn without the hubs' ties: a utility's or a supermarket's account paid
    # by thousands would otherwise pull everyone who pays it into one community. PageRank is
    # taken on the same graph, so key players are people and firms, not the supermarket.
    local = (degree[a] <= hub_degree) & (degree[b] <= hub_degree)
    core = ig.Graph(n=n, edges=np.column_stack([a[local], b[local]]), directed=False)
    core.es["weight"] = weight[local]
    random.seed(SEED)  # igraph draws from Python's generator
    communities = core.community_leiden(
        objective_function=OBJECTIVE, weights="weight", resolution=resolution, n_iterations=2
    )
    pagerank = core.pagerank(directed=False, weights="weight")
    membership = pa.table(
        {
            "no": pa.array(np.arange(n, dtype=np.int64)),
            "component": pa.array(components.astype(np.int64)),
            "community": pa.array(communities.membership, pa.int64()),
            "degree": pa.array(degree, pa.int64()),
            "pagerank": pa.array(pagerank, pa.float64()),
        }
    )
    con.register("membership_arrow", membership)
    con.execute("BEGIN TRANSACTION")
    con.execute("""CREATE OR REPLACE TABLE graph_membership AS
        SELECT n.node, m.component, m.community, m.degree, m.pagerank
        FROM membership_arrow m JOIN node_no n USING (no)""")
    con.execute("COMMIT")
    con.unregister("membership_arrow")
    return CommunityCounts(
        nodes=n,
        edges=len(pairs),
        components=int(_count),
        communities=len(communities),
        modularity=core.modularity(communities.membership, weights="weight"),
    )
