"""What an export covers (a community, an entity's neighbourhood), the errors a user can act
on, the CLI, and the run it records."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from helpers import Case, query
from invert.cli import app
from invert.export import ExportError, export


def _graph(case: Case, tmp_path: Path, **selection: object) -> nx.MultiDiGraph:
    out = tmp_path / "part.graphml"
    export(case.ws, "graphml", out, **selection)  # type: ignore[arg-type]
    return nx.read_graphml(out)


def test_one_community(graph_case: Case, tmp_path: Path):
    crew_a = query(graph_case.ws, "SELECT community FROM graph_membership WHERE node = 'A1'")[0][0]
    members = {
        r[0]
        for r in query(
            graph_case.ws, "SELECT node FROM graph_membership WHERE community = ?", [crew_a]
        )
    }
    g = _graph(graph_case, tmp_path, community=crew_a)
    assert set(g.nodes) == members and "B1" not in members
    inside = query(
        graph_case.ws,
        """SELECT count(*) FROM graph_edge e
           JOIN graph_membership s ON s.node = e.source JOIN graph_membership t ON t.node = e.target
           WHERE s.community = ? AND t.community = ?""",
        [crew_a, crew_a],
    )[0][0]
    assert g.number_of_edges() == inside > 0


def test_neighbourhood_of_an_entity_or_of_its_record(graph_case: Case, tmp_path: Path):
    one = _graph(graph_case, tmp_path, entity="boss-b", hops=1)
    assert set(one.nodes) == {"boss-b", "B1", "acc-boss-b", "address:street b 1"}
    two = _graph(graph_case, tmp_path, entity="boss-b", hops=2)
    assert {"w-b0", "acc-w-b1", "A1", "phone:+31201234567"} <= set(two.nodes)
    assert "w-a0" not in two.nodes
    # a source record merged by resolution leads to its entity
    merged = _graph(graph_case, tmp_path, entity="boss-a-2", hops=0)
    assert set(merged.nodes) == {"boss-a"}


def test_errors_name_what_to_do(graph_case: Case, tmp_path: Path):
    out = tmp_path / "x.json"
    with pytest.raises(ExportError, match="choose one of"):
        export(graph_case.ws, "pdf", out)
    with pytest.raises(ExportError, match="invert network communities"):
        export(graph_case.ws, "ftm", out, community=999)
    with pytest.raises(ExportError, match="not in the network"):
        export(graph_case.ws, "ftm", out, entity="nobody")
    with pytest.raises(ExportError, match="does not exist"):
        export(graph_case.ws, "ftm", tmp_path / "missing" / "x.json")
    fresh = Case(tmp_path / "fresh")
    with pytest.raises(ExportError, match="invert network build"):
        export(fresh.ws, "ftm", out)


def test_cli_exports_and_records_the_run(graph_case: Case, tmp_path: Path):
    runner = CliRunner()
    out = tmp_path / "chart.anx"
    done = runner.invoke(
        app,
        [
            "export",
            str(graph_case.ws.path),
            "--format",
            "anx",
            "--out",
            str(out),
            "--entity",
            "boss-a",
            "--hops",
            "1",
        ],
    )
    assert done.exit_code == 0, done.output
    assert out.exists() and "nodes" in done.output
    runs = query(graph_case.ws, "SELECT parameters FROM runs WHERE stage = 'export'")
    assert len(runs) == 1 and '"format": "anx"' in runs[0][0]
    bad = runner.invoke(
        app, ["export", str(graph_case.ws.path), "--format", "svg", "--out", str(out)]
    )
    assert bad.exit_code == 1 and "choose one of" in bad.output
