"""Components, communities and key players of the entity graph (igraph, never hand-written).

Nodes are numbered in SQL and only the numbers cross into igraph and scipy, so a graph of
millions of edges costs two integer arrays. Components come from a sparse matrix. Leiden
(igraph's built-in implementation, with the constant Potts model as objective) splits the large
components that shared banks, utilities and big employers create into groups whose ties are
denser than a set threshold. PageRank and degree rank the key players. Leiden starts from a
random partition: the seed is fixed so that the same graph always gives the same communities.

Written: ``graph_membership(node, component, community, degree, pagerank)`` and
``graph_role(node, community, role, reason)``; the quality reported is the modularity of the
partition found.
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
# 2 / resolution nodes (about 670) holds even as a bare chain; larger groups must be denser. Two
# groups of a and b nodes merge when the ties between them weigh more than resolution × a × b:
# one shared phone or address (0.2) no longer joins two groups of 9 nodes or more, while one
# job, directorship or payment (1.0) still joins a crew of 30 to a group of 10. Unlike
# modularity, the meaning does not change with the size of the graph. (Ours.)
DEFAULT_RESOLUTION = 0.003
DEFAULT_HUB_DEGREE = 100  # ours: more distinct ties than any planted or reported crew has
# How much one tie of a type counts when communities are drawn (others count 1). Sharing a phone,
# an e-mail or an address is weaker evidence of one organisation than a directorship or money:
# an accountant's phone or a business centre joins many unrelated firms. So is a messaging handle
# or an employer's name written in an ad: anyone can write any name.
TIE_WEIGHTS = {
    "has phone": 0.2,
    "has e-mail": 0.2,
    "at address": 0.2,
    "has handle": 0.2,
    "names employer": 0.2,
    "e-mail names": 0.2,
}
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
        GROUP BY ALL
        ORDER BY a, b  -- Leiden's result depends on the order of the edges: keep it fixed
        """).to_arrow_table()
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
    # After the commit: inside the transaction the new table has no statistics yet, and the
    # planner's join order for the roles then spills gigabytes (seen at size M).
    _roles(con, hub_degree)
    return CommunityCounts(
        nodes=n,
        edges=len(pairs),
        components=int(_count),
        communities=len(communities),
        modularity=core.modularity(communities.membership, weights="weight"),
    )


MIN_GROUP = 3  # people and firms a community needs before it has a key player or counts for a
# broker (ours: a pair is a household or a firm and its director, not an organisation)


def _roles(con: duckdb.DuckDBPyConnection, hub_degree: int) -> None:
    """Name the key players and brokers, each with the reason, in ``graph_role``.

    The key player of a community is its person with the highest PageRank, counting the
    PageRank of the accounts and homes they hold: where the community's ties and money meet.
    A broker is a person or firm tied to at least two communities other than its own, each with
    at least ``MIN_GROUP`` people and firms: recruiters, transporters, accountants and banks'
    nominees sit there. Hubs' ties are left out, as in the communities themselves.
    """
    con.execute(f"""
        CREATE OR REPLACE TABLE graph_role AS
        WITH actors AS (
            SELECT g.node, g.community, g.pagerank, g.degree, n.kind
            FROM graph_membership g JOIN graph_node n USING (node)
            WHERE n.kind IN ('person', 'company')),
        groups AS (
            SELECT community, count(*) AS size FROM actors GROUP BY community
            HAVING count(*) >= {MIN_GROUP}),
        holdings AS (  -- a person's weight counts what they hold: accounts, homes
            SELECT a.node, a.pagerank + coalesce(sum(m.pagerank), 0) AS weight,
                   count(m.node) AS held
            FROM actors a
            LEFT JOIN graph_edge e ON e.target = a.node AND e.type IN ('held by', 'owned by')
            LEFT JOIN graph_membership m ON m.node = e.source
            WHERE a.kind = 'person'
            GROUP BY a.node, a.pagerank),
        key_player AS (
            SELECT a.node, a.community, 'key player' AS role,
                   printf('highest PageRank (%.2g, with the %d account(s) and home(s) held) '
                          || 'among the %d people and firms of community %d',
                          h.weight, h.held, g.size, a.community) AS reason
            FROM actors a JOIN holdings h USING (node) JOIN groups g USING (community)
            QUALIFY row_number() OVER (PARTITION BY a.community
                                       ORDER BY h.weight DESC, a.node) = 1),
        ties AS (
            SELECT source AS node, target AS other FROM graph_edge
            UNION ALL
            SELECT target, source FROM graph_edge),
        reach AS (  -- "another community" is an aggregate FILTER, not a WHERE: as a join
                    -- condition DuckDB 1.5 planned it as a nested loop (quadratic in nodes)
            SELECT a.node, a.community,
                   list(DISTINCT o.community ORDER BY o.community)
                       FILTER (WHERE o.community <> a.community) AS others
            FROM actors a JOIN ties t ON t.node = a.node
            JOIN graph_membership o ON o.node = t.other
            JOIN groups g ON g.community = o.community
            WHERE a.degree <= {hub_degree} AND o.degree <= {hub_degree}
            GROUP BY a.node, a.community
            HAVING count(DISTINCT o.community) FILTER (WHERE o.community <> a.community) >= 2)
        SELECT * FROM key_player
        UNION ALL
        SELECT node, community, 'broker',
               printf('tied to %d communities besides its own (%s)', len(others),
                      array_to_string(others[:5], ', ')
                      || CASE WHEN len(others) > 5 THEN ', ...' ELSE '' END)
        FROM reach""")
