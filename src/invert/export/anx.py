"""i2 Analyst's Notebook chart exchange (ANX) XML, streamed with lxml.

A ``Chart`` declares its vocabulary first, then lists its items:

* ``StrengthCollection`` – line styles links refer to (one solid style here);
* ``AttributeClassCollection`` – the named, typed attributes items may carry (label, kind,
  community, PageRank, count, amount …);
* ``EntityTypeCollection`` – one type per node kind, each with the standard icon it shows;
* ``LinkTypeCollection`` – one type per tie type (works for, paid, directs …);
* ``ChartItemCollection`` – an entity is a ``ChartItem`` holding ``End/Entity`` (its
  ``EntityId``, its ``Identity`` and an ``Icon/IconStyle`` naming the entity type); a tie is a
  ``ChartItem`` holding a ``Link`` whose ``End1Id`` and ``End2Id`` name two entities' ids and
  whose ``LinkStyle`` gives its type and arrow. Either kind of item carries its values in
  ``AttributeCollection/Attribute`` elements that name a declared attribute class.

Ids are the graph's node ids, so a chart and the case workspace can be read side by side.
Entities are laid out on a plain grid; Notebook's own layouts arrange them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from lxml import etree

ICONS = {
    "person": "Person",
    "company": "Organisation",
    "account": "Account",
    "ad": "Document",
    "address": "Address",
    "phone": "Phone",
    "email": "Email",
    "unknown": "Unknown",
}
# attribute class → (type, column of export_node or export_edge it comes from)
NODE_ATTRIBUTES = {
    "Kind": ("AttText", "kind"),
    "Community": ("AttNumber", "community"),
    "Component": ("AttNumber", "component"),
    "Degree": ("AttNumber", "degree"),
    "PageRank": ("AttNumber", "pagerank"),
}
EDGE_ATTRIBUTES = {
    "Relation": ("AttText", "relation"),
    "Count": ("AttNumber", "count"),
    "Amount": ("AttNumber", "amount"),
    "First date": ("AttText", "first_date::VARCHAR"),
    "Last date": ("AttText", "last_date::VARCHAR"),
}
GRID = 100  # entities per row of the initial layout
SPACING = 80


def _attributes(names: list[str], values: tuple) -> etree._Element | None:
    collection = etree.Element("AttributeCollection")
    for name, value in zip(names, values, strict=True):
        if value is not None:
            etree.SubElement(collection, "Attribute", AttributeClass=name, Value=str(value))
    return collection if len(collection) else None


def _link_label(type_: str, count: int, amount: float | None) -> str:
    label = f"{type_} ×{count}" if count > 1 else type_
    return f"{label}, {amount:,.2f}" if amount is not None else label


def write(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    kinds = [
        r[0] for r in con.execute("SELECT DISTINCT kind FROM export_node ORDER BY 1").fetchall()
    ]
    ties = [
        r[0] for r in con.execute("SELECT DISTINCT type FROM export_edge ORDER BY 1").fetchall()
    ]
    with etree.xmlfile(str(out), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("Chart", IdReferenceLinking="false"):
            strengths = etree.Element("StrengthCollection")
            etree.SubElement(
                strengths, "Strength", Id="Solid", Name="Solid", DotStyle="DotStyleSolid"
            )
            xf.write(strengths)
            classes = etree.Element("AttributeClassCollection")
            for name, (type_, _col) in {**NODE_ATTRIBUTES, **EDGE_ATTRIBUTES}.items():
                etree.SubElement(
                    classes,
                    "AttributeClass",
                    Name=name,
                    Type=type_,
                    Visible="true",
                    ShowValue="true",
                    UserCanAdd="true",
                    UserCanRemove="true",
                )
            xf.write(classes)
            types = etree.Element("EntityTypeCollection")
            for icon in sorted({ICONS.get(kind, "Unknown") for kind in kinds}):
                etree.SubElement(types, "EntityType", Name=icon, IconFile=icon)
            xf.write(types)
            links = etree.Element("LinkTypeCollection")
            for tie in ties:
                etree.SubElement(links, "LinkType", Name=tie, Colour="0")
            xf.write(links)
            with xf.element("ChartItemCollection"):
                _entities(con, xf)
                _links(con, xf)


def _entities(con: duckdb.DuckDBPyConnection, xf: etree.xmlfile) -> None:
    names = list(NODE_ATTRIBUTES)
    cols = ", ".join(col for _t, col in NODE_ATTRIBUTES.values())
    cursor = con.execute(f"SELECT node, label, {cols} FROM export_node ORDER BY node")
    i = 0
    while rows := cursor.fetchmany(10_000):
        for node, label, *values in rows:
            x, y = (i % GRID) * SPACING, (i // GRID) * SPACING
            i += 1
            item = etree.Element(
                "ChartItem", Label=label or node, XPosition=str(x), DateSet="false"
            )
            end = etree.SubElement(item, "End", X=str(x), Y=str(y))
            entity = etree.SubElement(end, "Entity", EntityId=node, Identity=node)
            icon = etree.SubElement(entity, "Icon")
            etree.SubElement(icon, "IconStyle", Type=ICONS.get(values[0], "Unknown"))
            attributes = _attributes(names, tuple(values))
            if attributes is not None:
                item.append(attributes)
            xf.write(item)


def _links(con: duckdb.DuckDBPyConnection, xf: etree.xmlfile) -> None:
    names = list(EDGE_ATTRIBUTES)
    cols = ", ".join(col for _t, col in EDGE_ATTRIBUTES.values())
    cursor = con.execute(f"SELECT source, target, type, {cols} FROM export_edge")
    while rows := cursor.fetchmany(10_000):
        for source, target, type_, *values in rows:
            item = etree.Element(
                "ChartItem", Label=_link_label(type_, values[1], values[2]), DateSet="false"
            )
            link = etree.SubElement(item, "Link", End1Id=source, End2Id=target)
            etree.SubElement(
                link,
                "LinkStyle",
                Type=type_,
                ArrowStyle="ArrowOnHead",
                StrengthReference="Solid",
                MlStyle="MultiplicityMultiple",
            )
            attributes = _attributes(names, tuple(values))
            if attributes is not None:
                item.append(attributes)
            xf.write(item)
