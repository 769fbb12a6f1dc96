"""The entity's place in the graph: its direct ties (facts: who it works for, pays, shares a
phone with, each tie counted from the rows) and its community (an inference of the Leiden
clustering in ``invert.network.communities``), with a drawing of its neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from invert.report.picture import draw_neighbourhood
from invert.report.rows import dicts
from invert.workspace import has_table

MAX_MEMBERS = 60  # community members listed; the rest are counted
MAX_TIES = 100  # direct ties listed
MAX_DRAWN = 25  # neighbours drawn around the entity, the most frequent ties first


@dataclass
class Network:
    built: bool
    in_graph: bool = False
    community: int | None = None
    community_size: int = 0
    members: list[dict[str, Any]] = field(default_factory=list)
    ties: list[dict[str, Any]] = field(default_factory=list)
    ties_total: int = 0
    svg: str = ""
    limits: list[str] = field(default_factory=list)


def gather_network(con: duckdb.DuckDBPyConnection, entity_id: str) -> Network:
    if not (has_table(con, "graph_edge") and has_table(con, "graph_membership")):
        return Network(built=False)
    node = con.execute(
        "SELECT community FROM graph_membership WHERE node = ?", [entity_id]
    ).fetchone()
    if node is None:
        return Network(
            built=True,
            limits=["The entity is not a node of the graph (it has no ties the model draws)."],
        )
    community = int(node[0])
    size = con.execute(
        "SELECT count(*) FROM graph_membership WHERE community = ?", [community]
    ).fetchone()[0]
    roles = (
        "(SELECT node, string_agg(role, ', ') AS role, string_agg(reason, '; ') AS reason "
        "FROM graph_role GROUP BY node)"
        if has_table(con, "graph_role")
        else "(SELECT NULL::VARCHAR AS node, NULL::VARCHAR AS role, NULL::VARCHAR AS reason)"
    )
    members = dicts(
        con,
        f"""SELECT m.node, n.kind, n.label, round(m.pagerank, 4) AS pagerank, r.role, r.reason
            FROM graph_membership m JOIN graph_node n USING (node)
            LEFT JOIN {roles} r USING (node)
            WHERE m.community = ? ORDER BY m.pagerank DESC, m.node LIMIT ?""",
        [community, MAX_MEMBERS],
    )
    ties = dicts(
        con,
        """SELECT CASE WHEN e.source = $id THEN 'out' ELSE 'in' END AS direction,
                  CASE WHEN e.source = $id THEN e.target ELSE e.source END AS other,
                  CASE WHEN e.source = $id THEN e.target_kind ELSE e.source_kind END AS kind,
                  e.type, e.relation, e.count, e.amount, e.first_date, e.last_date
           FROM graph_edge e WHERE e.source = $id OR e.target = $id""",
        {"id": entity_id},
    )
    labels = dict(
        con.execute(
            "SELECT node, label FROM graph_node WHERE node IN (SELECT unnest($nodes))",
            {"nodes": [t["other"] for t in ties] or [""]},
        ).fetchall()
    )
    for tie in ties:
        tie["label"] = labels.get(tie["other"]) or tie["other"]
    ties.sort(key=lambda t: (-(t["count"] or 0), t["type"], t["other"]))
    limits = []
    if len(ties) > MAX_TIES:
        limits.append(f"Only the {MAX_TIES} most frequent of {len(ties)} direct ties are listed.")
    if size > MAX_MEMBERS:
        limits.append(
            f"Only the {MAX_MEMBERS} most central of the community's {size} members are listed."
        )
    return Network(
        built=True,
        in_graph=True,
        community=community,
        community_size=size,
        members=members,
        ties=ties[:MAX_TIES],
        ties_total=len(ties),
        svg=_picture(con, entity_id, ties),
        limits=limits,
    )


def _picture(con: duckdb.DuckDBPyConnection, entity_id: str, ties: list[dict[str, Any]]) -> str:
    """The entity, its most frequent neighbours and the ties among them, as SVG."""
    near = list(dict.fromkeys(t["other"] for t in ties))[:MAX_DRAWN]
    nodes = [entity_id, *near]
    kinds = dict(
        con.execute(
            "SELECT node, kind FROM graph_node WHERE node IN (SELECT unnest($n))", {"n": nodes}
        ).fetchall()
    )
    labels = {t["other"]: t["label"] for t in ties}
    labels[entity_id] = con.execute(
        "SELECT label FROM graph_node WHERE node = ?", [entity_id]
    ).fetchone()[0]
    edges = con.execute(
        """SELECT source, target, type, sum(count) FROM graph_edge
           WHERE source IN (SELECT unnest($n)) AND target IN (SELECT unnest($n))
           GROUP BY ALL ORDER BY ALL""",
        {"n": nodes},
    ).fetchall()
    return draw_neighbourhood(
        center=entity_id,
        nodes=[(n, kinds.get(n, "other"), str(labels.get(n) or n)) for n in nodes],
        edges=[(s, t, kind, int(c or 1)) for s, t, kind, c in edges],
    )
