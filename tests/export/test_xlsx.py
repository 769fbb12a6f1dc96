"""Excel export read back: sheets, headers, frozen panes and the community summary."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from helpers import Case, query
from invert.export import export


def test_workbook_reads_back(graph_case: Case, tmp_path: Path):
    out = tmp_path / "case.xlsx"
    export(graph_case.ws, "xlsx", out)
    wb = load_workbook(out, read_only=False)
    assert wb.sheetnames == ["Nodes", "Edges", "Communities"]
    for sheet in wb:
        assert sheet.freeze_panes == "A2"
    nodes = list(wb["Nodes"].values)
    assert nodes[0][:3] == ("node", "kind", "label")
    assert len(nodes) - 1 == query(graph_case.ws, "SELECT count(*) FROM graph_node")[0][0]
    edges = list(wb["Edges"].values)
    header = edges[0]
    paid = [
        dict(zip(header, r, strict=True))
        for r in edges[1:]
        if r[0] == "acc-w-a0" and r[2] == "acc-boss-a"
    ]
    assert paid[0]["amount"] == 2400.0 and paid[0]["count"] == 2
    summary = list(wb["Communities"].values)
    communities = [dict(zip(summary[0], r, strict=True)) for r in summary[1:]]
    assert sum(c["nodes"] for c in communities) == len(nodes) - 1
    assert sum(c["firms"] for c in communities) == 3
    crew_a = query(graph_case.ws, "SELECT community FROM graph_membership WHERE node = 'A1'")[0][0]
    row = next(c for c in communities if c["community"] == crew_a)
    assert row["central_person"] == "Boss A"
