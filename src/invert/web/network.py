"""The network view: the ties around one entity, drawn in the browser with Cytoscape.js.

``/network/{id}`` is the page; the script on it (``static/network.js``) asks
``/network.json?node=...&hops=...`` for a node's neighbourhood (the ``graph_node`` rows within
that many ties, over ``network.reach``, and every ``graph_edge`` among them) when the page opens
and each time a node is clicked. Node ids and labels go through the user's ``Masker``, so a
viewer sees the same pseudonyms as on every other page. Every neighbourhood sent is audited.
"""

from __future__ import annotations

from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse, Response

from invert.leads.explain import ENTITY_TABLES
from invert.web.access import Access, need
from invert.web.entities import real_id
from invert.web.index import WebIndex
from invert.web.templating import render

router = APIRouter()

MAX_HOPS = 3
MAX_NODES = 400  # a hub's whole neighbourhood would not be readable anyway
# The property that holds a node's label, per kind, as the entity pages mask it.
LABEL_FIELD = {"address": "full", "phone": "number", "email": "address", "bank_account": "iban"}
NOT_BUILT = "The network has not been built for this case: run invert network build CASE_DIR."


def neighbourhood(
    con: duckdb.DuckDBPyConnection, index: WebIndex, start: str, hops: int
) -> tuple[list[tuple[str, str, str, int]], list[tuple[Any, ...]]]:
    """Nodes ``(node, kind, label, hop)`` within ``hops`` ties of ``start`` (the nearest
    ``MAX_NODES``) and the edges among them.

    The same walk as ``network.reach`` (either direction, each node at the hop it is first
    reached), but each step reads only the edges of the nodes reached, by row number from the
    server's index, instead of joining the whole edge table."""
    hop_of = {start: 0}
    frontier = [start]
    for hop in range(1, hops + 1):
        if not frontier:
            break
        found: set[str] = set()
        located = index.locate(con, frontier)
        for column, other in (("source", "target"), ("target", "source")):
            for row in index.select(
                con, "graph_edge", column, frontier, f"t.{other} AS other", located=located
            ):
                found.add(row["other"])
        frontier = sorted(found - hop_of.keys())
        hop_of.update(dict.fromkeys(frontier, hop))
    reached = sorted(hop_of)
    located = index.locate(con, reached)
    rows = index.select(
        con, "graph_node", "node", reached, "t.node, t.kind, t.label", located=located
    )
    nodes = sorted(
        ((r["node"], r["kind"], r["label"], hop_of[r["node"]]) for r in rows),
        key=lambda n: (n[3], n[1] is None, n[1] or "", n[2] is None, n[2] or ""),
    )[:MAX_NODES]
    kept = {n[0] for n in nodes}
    edges = sorted(
        (
            tuple(r.values())
            for r in index.select(
                con,
                "graph_edge",
                "source",
                sorted(kept),
                "t.source, t.source_kind, t.target, t.target_kind, t.type, t.count, t.amount",
                located=located if len(kept) == len(reached) else None,
            )
            if r["target"] in kept
        ),
        key=lambda e: (e[4], e[0], e[2]),
    )
    return nodes, edges


def _shown(access: Access, kind: str, node: str) -> str:
    shown = access.masker.entity(kind, node)
    if shown != node:
        access.state.reverse[shown] = node
    return shown


def as_json(access: Access, nodes: list, edges: list) -> dict[str, Any]:
    """The neighbourhood as Cytoscape elements, with ids and labels as this user may see them."""
    masker = access.masker
    out_nodes = [
        {
            "id": _shown(access, kind, node),
            "kind": kind,
            "label": masker.field(kind, LABEL_FIELD.get(kind, "name"), label) or "",
            "hop": hop,
            "profile": kind in ENTITY_TABLES,
        }
        for node, kind, label, hop in nodes
    ]
    out_edges = []
    for source, source_kind, target, target_kind, etype, count, amount in edges:
        s, t = _shown(access, source_kind, source), _shown(access, target_kind, target)
        out_edges.append(
            {
                "id": f"{s}|{etype}|{t}",
                "source": s,
                "target": t,
                "type": etype,
                "count": count,
                "amount": None if amount is None else float(amount),
            }
        )
    return {"nodes": out_nodes, "edges": out_edges}


def _start(access: Access, shown_id: str) -> tuple[str, str, str]:
    """The graph node behind the id the user's link or click carries: (node, kind, label)."""
    index = access.state.db.index
    if not index.has(access.con, "graph_edge") or not index.has(access.con, "graph_node"):
        raise HTTPException(404, NOT_BUILT)
    node = real_id(access, shown_id)
    rows = access.state.db.index.select(
        access.con, "graph_node", "node", [node], "t.node, t.kind, t.label", limit=1
    )
    if not rows:
        raise HTTPException(404, "This entity has no ties in the network.")
    return rows[0]["node"], rows[0]["kind"], rows[0]["label"]


@router.get("/network/{shown_id}")
def network_page(
    shown_id: str, access: Annotated[Access, Depends(need("view_network", resolved=False))]
) -> Response:
    node, kind, label = _start(access, shown_id)
    access.audit("view_network", node, kind=kind, page=True)
    return render(
        access,
        "network.html",
        start=_shown(access, kind, node),
        kind=kind,
        label=access.masker.field(kind, LABEL_FIELD.get(kind, "name"), label),
        max_hops=MAX_HOPS,
    )


@router.get("/network.json")
def network_json(
    access: Annotated[Access, Depends(need("view_network", resolved=False))],
    node: str,
    hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 1,
) -> JSONResponse:
    start, kind, _label = _start(access, node)
    index = access.state.db.index
    nodes, edges = index.memo["network"].get(
        (start, hops), lambda: neighbourhood(access.con, index, start, hops)
    )
    access.audit("view_network", start, kind=kind, hops=hops, nodes=len(nodes))
    return JSONResponse(as_json(access, nodes, edges))
