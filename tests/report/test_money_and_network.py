"""The network and money sections on a case with payments: the boss of a crew of workers whose
wages are forwarded to him."""

from __future__ import annotations

from pathlib import Path

from helpers import Case, crew_rows
from invert.report.pack import gather
from invert.report.picture import draw_neighbourhood
from invert.report.render import html


def test_boss_pack_shows_flows_community_and_profit(tmp_path: Path, cli) -> None:
    case = Case(tmp_path / "case")
    case.add_tables(crew_rows({"a": ("firm-a1", "firm-a2")}, workers=4))
    cli("network", "build", case.ws.path)
    cli("analyze", case.ws.path)
    cli("money", case.ws.path, "flows")
    cli("money", case.ws.path, "profit")
    pack = gather(case.ws, "boss-a", author="tester", evidence=3)
    assert pack.cover.generated_by == "tester" and pack.cover.entity_label == "Boss A"
    assert pack.money.accounts == ["acc-boss-a"]
    incoming = [f for f in pack.money.flows if f["direction"] == "in"]
    assert incoming and {f["counterparty"] for f in incoming} >= {"NL00WORK00000000a0"}
    assert sum(f["amount"] for f in incoming) == 4 * 2 * 1200.0
    assert pack.network.in_graph and pack.network.community is not None
    assert any(m["node"] == "firm-a1" for m in pack.network.members)
    assert pack.money.profit, "the crew's community has a profit estimate"
    components = {r["component"] for rows in pack.money.profit.values() for r in rows}
    assert {"total", "deductions", "confiscated"} <= components
    page = html(pack)
    assert "Boss A" in page and "NL00WORK00000000a0" in page and "<svg" in page
    assert not any("has not run" in limit for limit in pack.limits if "network" in limit)


def test_neighbourhood_picture_is_stable_and_escapes_labels() -> None:
    nodes = [("p1", "person", "Ana <b>"), ("c1", "company", "Firm & Co"), ("x", "phone", "+31")]
    edges = [("p1", "c1", "works for", 3), ("p1", "x", "has phone", 1)]
    svg = draw_neighbourhood("p1", nodes, edges)
    assert svg == draw_neighbourhood("p1", nodes, edges)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "Ana &lt;b&gt;" in svg and "Firm &amp; Co" in svg and "<script" not in svg
    assert svg.count("<line") == 2 and svg.count("<circle") >= 3
