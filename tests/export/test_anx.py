"""i2 chart exchange XML: well formed, unique ids, links between existing entities, and every
type and attribute class declared before the items use it."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from helpers import Case, query
from invert.export import export


def test_chart_structure(graph_case: Case, tmp_path: Path):
    out = tmp_path / "case.anx"
    export(graph_case.ws, "anx", out)
    chart = etree.parse(str(out)).getroot()  # raises if not well formed
    assert chart.tag == "Chart"
    order = [child.tag for child in chart]
    assert order.index("AttributeClassCollection") < order.index("ChartItemCollection")
    assert order.index("EntityTypeCollection") < order.index("ChartItemCollection")
    classes = [c.get("Name") for c in chart.iterfind("AttributeClassCollection/AttributeClass")]
    entity_types = {t.get("Name") for t in chart.iterfind("EntityTypeCollection/EntityType")}
    link_types = {t.get("Name") for t in chart.iterfind("LinkTypeCollection/LinkType")}
    assert len(classes) == len(set(classes))
    assert {"Person", "Organisation", "Account", "Phone", "Address"} <= entity_types

    entities = chart.findall("ChartItemCollection/ChartItem/End/Entity")
    ids = [e.get("EntityId") for e in entities]
    assert (
        len(ids) == len(set(ids)) == query(graph_case.ws, "SELECT count(*) FROM graph_node")[0][0]
    )
    assert {e.find("Icon/IconStyle").get("Type") for e in entities} <= entity_types
    links = chart.findall("ChartItemCollection/ChartItem/Link")
    assert len(links) == query(graph_case.ws, "SELECT count(*) FROM graph_edge")[0][0]
    for link in links:
        assert link.get("End1Id") in ids and link.get("End2Id") in ids
        assert link.find("LinkStyle").get("Type") in link_types
    used = {a.get("AttributeClass") for a in chart.iter("Attribute")}
    assert used <= set(classes)

    boss = next(e for e in entities if e.get("EntityId") == "boss-a").getparent().getparent()
    assert boss.get("Label") == "Boss A"
    kind = boss.find("AttributeCollection/Attribute[@AttributeClass='Kind']")
    assert kind.get("Value") == "person"
    paid = next(
        link.getparent()
        for link in links
        if (link.get("End1Id"), link.get("End2Id")) == ("acc-w-a0", "acc-boss-a")
    )
    assert paid.get("Label") == "paid ×2, 2,400.00"
