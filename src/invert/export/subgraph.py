"""The part of the graph an export covers: all of it, one community, or an entity's
neighbourhood.

``select`` fills two temporary tables that every writer reads: ``export_node(node, kind, label,
component, community, degree, pagerank)`` and ``export_edge`` (the ``graph_edge`` columns) with
only the edges whose two ends are both exported.
"""

from __future__ import annotations

import duckdb

from invert.errors import InvertError
from invert.network import reach


class ExportError(InvertError):
    """The export cannot be made as asked (no graph yet, unknown community or entity)."""


def _has_graph(con: duckdb.DuckDBPyConnection) -> bool:
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    return {"graph_node", "graph_edge", "graph_membership"} <= tables


def _entity_node(con: duckdb.DuckDBPyConnection, entity: str) -> str:
    """The graph node of an entity id, or of a source record id that resolution merged."""
    row = con.execute(
        """SELECT node FROM graph_node WHERE node = $id
           UNION ALL
           SELECT n.node FROM entity e JOIN graph_node n ON n.node = e.entity_id
           WHERE e.record_id = $id LIMIT 1""",
        {"id": entity},
    ).fetchone()
    if row is None:
        raise ExportError(
            f"{entity} is not in the network: give an id from `invert leads` or "
            "`invert network communities`"
        )
    return str(row[0])


def select(
    con: duckdb.DuckDBPyConnection,
    case_dir: object,
    community: int | None = None,
    entity: str | None = None,
    hops: int = 2,
) -> tuple[int, int]:
    """Fill ``export_node`` and ``export_edge``; return their row counts."""
    if not _has_graph(con):
        raise ExportError(f"no network in {case_dir} yet; run: invert network build {case_dir}")
    if community is not None and entity is not None:
        raise ExportError("give either --community or --entity, not both")
    if hops < 0:
        raise ExportError(f"--hops must be 0 or more, not {hops}")
    where = "true"
    if community is not None:
        if not con.execute(
            "SELECT count(*) FROM graph_membership WHERE community = ?", [community]
        ).fetchone()[0]:
            raise ExportError(
                f"community {community} is not in the network; list them with "
                f"`invert network communities {case_dir}`"
            )
        where = f"m.community = {int(community)}"
    elif entity is not None:
        start = _entity_node(con, entity)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE export_reach AS SELECT $n AS node, 0 AS hop", {"n": start}
        )
        reach.grow(con, "export_reach", hops)
        where = "n.node IN (SELECT node FROM export_reach)"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE export_node AS
        SELECT n.node, n.kind, n.label, m.component, m.community, m.degree, m.pagerank
        FROM graph_node n LEFT JOIN graph_membership m USING (node)
        WHERE {where} ORDER BY n.node""")
    con.execute("""CREATE OR REPLACE TEMP TABLE export_edge AS
        SELECT e.* FROM graph_edge e
        SEMI JOIN export_node s ON s.node = e.source
        SEMI JOIN export_node t ON t.node = e.target
        ORDER BY e.source, e.target, e.type, e.relation""")
    nodes = con.execute("SELECT count(*) FROM export_node").fetchone()[0]
    edges = con.execute("SELECT count(*) FROM export_edge").fetchone()[0]
    return int(nodes), int(edges)
