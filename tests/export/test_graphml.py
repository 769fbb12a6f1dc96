"""GraphML and GEXF read back with networkx and igraph: same nodes, edges and attributes."""

from __future__ import annotations

from pathlib import Path

import igraph as ig
import networkx as nx

from helpers import Case, query
from invert.export import export


def _counts(case: Case) -> tuple[int, int]:
    nodes = query(case.ws, "SELECT count(*) FROM graph_node")[0][0]
    edges = query(case.ws, "SELECT count(*) FROM graph_edge")[0][0]
    return nodes, edges


def test_graphml_reads_back_in_networkx_and_igraph(graph_case: Case, tmp_path: Path):
    out = tmp_path / "case.graphml"
    export(graph_case.ws, "graphml", out)
    nodes, edges = _counts(graph_case)
    g = nx.read_graphml(out)
    assert (g.number_of_nodes(), g.number_of_edges()) == (nodes, edges)
    community, pagerank = query(
        graph_case.ws, "SELECT community, pagerank FROM graph_membership WHERE node = 'boss-a'"
    )[0]
    boss = g.nodes["boss-a"]
    assert boss["kind"] == "person" and boss["label"] == "Boss A"
    assert boss["community"] == community and abs(boss["pagerank"] - pagerank) < 1e-12
    (paid,) = [d for d in g["acc-w-a0"]["acc-boss-a"].values() if d["type"] == "paid"]
    assert paid["relation"] == "Transaction" and paid["count"] == 2 and paid["amount"] == 2400.0
    assert (paid["first_date"], paid["last_date"]) == ("2026-01-05", "2026-02-05")
    assert "amount" not in next(iter(g["w-a0"]["A1"].values()))  # no amount: left out

    i = ig.Graph.Read_GraphML(str(out))
    assert (i.vcount(), i.ecount()) == (nodes, edges)
    assert i.is_directed()
    assert sorted(set(i.vs["kind"])) == ["account", "ad", "address", "company", "person", "phone"]
    assert sum(t == "works for" for t in i.es["type"]) == 6


def test_gexf_reads_back_with_the_tie_as_label(graph_case: Case, tmp_path: Path):
    out = tmp_path / "case.gexf"
    export(graph_case.ws, "gexf", out)
    nodes, edges = _counts(graph_case)
    g = nx.read_gexf(out)
    assert (g.number_of_nodes(), g.number_of_edges()) == (nodes, edges)
    assert g.nodes["A1"]["label"] == "Firm A1" and g.nodes["A1"]["kind"] == "company"
    (directs,) = g["boss-b"]["B1"].values()
    assert directs["label"] == "directs" and directs["tie"] == "directs"
