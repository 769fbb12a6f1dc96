"""The graph of resolved entities, built from the canonical model's edge declarations.

Nodes are the resolved people, companies, bank accounts and ads, plus one node per distinct
address, phone number and e-mail address: two records that give the same phone meet at that
phone's node, which is how a shared identifier becomes visible as a tie (and a recruiter's
number given for forty workers as a hub).

Edges come from the model, so a new relationship type in ``src/invert/model/schema`` shows up
in the graph without code here:

* a type with an ``edge:`` block (Employment, Directorship, Transaction, Residence …) gives one
  edge per pair of its two ends, aggregated over its rows: how many rows, the sum of its first
  amount property (wages, payments, rent), the first and last of its dates;
* a reference property with an ``edge:`` label gives an edge from the row's node (an account's
  holder) or, on a relationship type, from the relationship's source (a resident "housed by"
  the provider of the dwelling);
* an IBAN property with an ``edge:`` label leads to the account with that IBAN, from the row's
  node or, on a relationship, from its target (the worker a wage was paid into);
* phone, e-mail and address properties of a node give "has phone", "has e-mail" and "at
  address" edges to the identifier's node;
* once the ads stage has read the ads (``invert ads run``), every contact found in an ad's text
  (a de-obfuscated phone, a messaging handle) gives the ad a "has phone", "has e-mail" or "has
  handle" edge, and an employer named in an ad that is a company of the register by its name
  key gives a "names employer" edge, and a personal e-mail address that spells a name held by
  at most two people or accounts (``dumitru.dinu12@…``) an "e-mail names" edge: that is how a
  recruiter's ads join the network.

Tables written: ``graph_node(node, kind, label)`` and ``graph_edge(source, source_kind, target,
target_kind, type, relation, count, amount, first_date, last_date)`` (``relation`` is the
model type the edge comes from); both are rebuilt on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from invert.model import EntityType, Model
from invert.workspace import has_table
from invert.workspace.writes import unordered

if TYPE_CHECKING:
    from invert.spark.tables import SparkTables

# Entity types that are nodes of their own, and the kind they have in the graph.
NODE_KINDS = {"Person": "person", "Company": "company", "BankAccount": "account", "Ad": "ad"}
# Entity types whose rows stand for an identifier value: references to them lead to the value's
# node, so the dwelling of a residence record and a worker's address meet.
VALUE_TYPES = {
    "Address": ("address", "full_key"),
    "Phone": ("phone", "number"),
    "Email": ("email", "address"),
}
# Property types that become identifier nodes, with the column holding the comparable value.
IDENTIFIER_TYPES = {
    "address": ("address", "at address", "_key"),
    "phone": ("phone", "has phone", ""),
    "email": ("email", "has e-mail", ""),
}
LABELS = {
    "person": "max(name)",
    "company": "max(name)",
    "ad": "max(coalesce(title, url, id))",
    "account": "max(coalesce(iban, accountNumber, id))",
}


@dataclass
class GraphCounts:
    nodes: dict[str, int]
    edges: dict[str, int]


def _endpoint(etype: EntityType, prop_name: str, alias: str) -> tuple[str, str, str]:
    """SQL for the node a reference property points at, the join it needs, and the node's
    kind (a SQL literal, or NULL when the range allows several kinds)."""
    prop = etype.properties[prop_name]
    value_ranges = [r for r in prop.range if r in VALUE_TYPES]
    if value_ranges:  # a reference to an address/phone/e-mail row: go to the value's node
        kind = VALUE_TYPES[value_ranges[0]][0]
        return (
            f"{alias}.node",
            f"LEFT JOIN value_node {alias} ON {alias}.id = t.{prop_name}",
            f"'{kind}'",
        )
    kinds = {NODE_KINDS.get(r) for r in prop.range}
    return (
        f"t.{prop_name}",
        "",
        f"'{kinds.pop()}'" if len(kinds) == 1 and None not in kinds else "NULL",
    )


def _select(
    etype: EntityType, source: tuple[str, str], target: tuple[str, str], label: str, joins: str
) -> str:
    """One edge type's rows, aggregated per pair of ends: rows, first amount, first/last date."""
    props = etype.properties.values()
    amount = next((p.name for p in props if p.type.name == "amount"), None)
    dates = [p.name for p in props if p.type.name in ("date", "datetime")]
    first = f"min(t.{dates[0]})::DATE" if dates else "NULL::DATE"
    last = f"coalesce(max(t.{dates[-1]}), max(t.{dates[0]}))::DATE" if dates else "NULL::DATE"
    (src, src_kind), (dst, dst_kind) = source, target
    return f"""
        SELECT {src} AS source, {src_kind}::VARCHAR AS source_kind, {dst} AS target,
               {dst_kind}::VARCHAR AS target_kind, '{label}' AS type,
               '{etype.name}' AS relation, count(*) AS count,
               {f"sum(t.{amount})" if amount else "NULL"}::DOUBLE AS amount,
               {first} AS first_date, {last} AS last_date
        FROM "{etype.table}" t {joins}
        WHERE {src} IS NOT NULL AND {dst} IS NOT NULL AND {src} <> {dst}
        GROUP BY ALL"""


def _edge_selects(model: Model) -> list[str]:
    selects: list[str] = []
    for etype in model:
        own: tuple[str, str, str] | None = None
        if etype.edge is not None:
            src, src_join, src_kind = _endpoint(etype, etype.edge.source, "es")
            dst, dst_join, dst_kind = _endpoint(etype, etype.edge.target, "et")
            selects.append(
                _select(
                    etype,
                    (src, src_kind),
                    (dst, dst_kind),
                    etype.edge.label,
                    f"{src_join} {dst_join}",
                )
            )
            own = (src, src_join, src_kind)
        elif etype.name in NODE_KINDS:
            own = ("t.id", "", f"'{NODE_KINDS[etype.name]}'")
        elif etype.name in VALUE_TYPES:  # an address's owner: from the address's node
            own = (
                "vn.node",
                "LEFT JOIN value_node vn ON vn.id = t.id",
                f"'{VALUE_TYPES[etype.name][0]}'",
            )
        if own is None:
            continue  # inspections, outcomes, reports: facts about nodes, not ties
        for prop in etype.properties.values():
            if prop.edge and prop.type.name == "entity":
                if etype.edge and prop.name in (etype.edge.source, etype.edge.target):
                    continue
                if any(r not in NODE_KINDS and r not in VALUE_TYPES for r in prop.range):
                    continue  # a transaction "reported in" a report: not a tie
                dst, dst_join, dst_kind = _endpoint(etype, prop.name, "pt")
                selects.append(
                    _select(
                        etype, (own[0], own[2]), (dst, dst_kind), prop.edge, f"{own[1]} {dst_join}"
                    )
                )
            elif prop.edge and prop.type.name == "iban":
                # the account with this IBAN; on a relationship it belongs to the target (the
                # worker a wage was paid to), elsewhere to the row's own node
                origin = _endpoint(etype, etype.edge.target, "ot") if etype.edge else own
                selects.append(
                    _select(
                        etype,
                        (origin[0], origin[2]),
                        ("ib.node", "'account'"),
                        prop.edge,
                        f"{origin[1]} LEFT JOIN iban_node ib ON ib.iban = upper(t.{prop.name})",
                    )
                )
            elif etype.name in NODE_KINDS and prop.type.name in IDENTIFIER_TYPES:
                kind, label, suffix = IDENTIFIER_TYPES[prop.type.name]
                node = f"'{kind}:' || t.{prop.name}{suffix}"
                selects.append(_select(etype, ("t.id", own[2]), (node, f"'{kind}'"), label, ""))
    return selects


# Edges from the ads stage's tables (``invert ads run``): contacts found in ads' texts, the
# register's companies that ads name as employer (a name key only one company has), and the
# people and accounts whose rare name an ad's personal e-mail spells.
AD_CONTACT_EDGES = """
    SELECT c.ad AS source, 'ad' AS source_kind, c.kind || ':' || c.value AS target,
           c.kind AS target_kind,
           CASE c.kind WHEN 'email' THEN 'has e-mail' ELSE 'has ' || c.kind END AS type,
           'Ad' AS relation, count(*) AS count, NULL::DOUBLE AS amount,
           min(a.postedAt)::DATE AS first_date, max(a.postedAt)::DATE AS last_date
    FROM ad_contact c JOIN ad a ON a.id = c.ad
    WHERE c.kind IN ('phone', 'email', 'handle') GROUP BY ALL"""
AD_EMPLOYER_EDGES = """
    SELECT a.id AS source, 'ad' AS source_kind, f.id AS target, 'company' AS target_kind,
           'names employer' AS type, 'Ad' AS relation, count(*) AS count,
           NULL::DOUBLE AS amount, min(a.postedAt)::DATE AS first_date,
           max(a.postedAt)::DATE AS last_date
    FROM ad a JOIN (SELECT name_key, min(id) AS id FROM company
                    WHERE name_key IS NOT NULL GROUP BY name_key
                    HAVING count(DISTINCT id) = 1) f ON f.name_key = a.employerName_key
    GROUP BY ALL"""
AD_NAME_EDGES = """SELECT * FROM (
    WITH holders AS (
        SELECT name_key AS key, id, 'person' AS kind FROM person WHERE name_key IS NOT NULL
        UNION SELECT holderName_key, id, 'account' FROM bank_account
        WHERE holderName_key IS NOT NULL),
    rare AS (SELECT key FROM holders GROUP BY key HAVING count(DISTINCT id) <= 2)
    SELECT n.ad AS source, 'ad' AS source_kind, h.id AS target, h.kind AS target_kind,
           'e-mail names' AS type, 'Ad' AS relation, count(*) AS count,
           NULL::DOUBLE AS amount, min(a.postedAt)::DATE AS first_date,
           max(a.postedAt)::DATE AS last_date
    FROM ad_contact_name n JOIN rare r ON r.key = n.name_key
    JOIN holders h ON h.key = n.name_key JOIN ad a ON a.id = n.ad
    GROUP BY ALL)"""


def _ad_edges(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The ads stage's edges, for the tables it has written."""
    if not has_table(con, "ad_contact"):
        return []
    edges = [AD_CONTACT_EDGES, AD_EMPLOYER_EDGES]
    if has_table(con, "ad_contact_name"):
        edges.append(AD_NAME_EDGES)
    return edges


def build(
    con: duckdb.DuckDBPyConnection, model: Model, spark: SparkTables | None = None
) -> GraphCounts:
    """Rebuild ``graph_node`` and ``graph_edge`` from the (resolved) canonical tables, here or
    on Spark (the same statements)."""
    values = " UNION ALL ".join(
        f"SELECT id, '{kind}:' || max({column}) AS node FROM \"{model[name].table}\" "
        f"WHERE {column} IS NOT NULL GROUP BY id"
        for name, (kind, column) in VALUE_TYPES.items()
        if name in model.types
    )
    ibans = """SELECT upper(iban) AS iban, min(id) AS node FROM bank_account
        WHERE iban IS NOT NULL GROUP BY ALL"""
    edges = " UNION ALL ".join(_edge_selects(model) + _ad_edges(con))
    nodes = " UNION ALL ".join(
        f"SELECT id AS node, '{kind}' AS kind, {LABELS[kind]} AS label "
        f'FROM "{model[name].table}" GROUP BY id'
        for name, kind in NODE_KINDS.items()
        if name in model.types
    )
    edge_rows = f"""
        SELECT source, max(source_kind) AS source_kind, target,
               max(target_kind) AS target_kind, type, relation, sum(count) AS count,
               sum(amount) AS amount, min(first_date) AS first_date,
               max(last_date) AS last_date
        FROM ({edges}) GROUP BY source, target, type, relation"""
    # Entities, identifier values, and ends of edges whose record no table describes (a
    # payment to an account no statement covers) with the kind the edge implies.
    graph_node = f"""
        WITH entities AS ({nodes}),
        ends AS (SELECT source AS node, source_kind AS kind FROM edge_rows
                 UNION ALL SELECT target, target_kind FROM edge_rows),
        others AS (SELECT node, coalesce(max(kind), 'unknown') AS kind FROM ends GROUP BY node)
        SELECT node, kind, label FROM entities
        UNION ALL
        SELECT o.node, o.kind,
               CASE WHEN o.kind IN ('address', 'phone', 'email', 'handle')
                    THEN substr(o.node, strpos(o.node, ':') + 1) ELSE o.node END
        FROM others o ANTI JOIN entities n ON n.node = o.node"""
    graph_edge = """
        SELECT e.source, s.kind AS source_kind, e.target, t.kind AS target_kind, e.type,
               e.relation, e.count, e.amount, e.first_date, e.last_date
        FROM edge_rows e JOIN graph_node s ON s.node = e.source
        JOIN graph_node t ON t.node = e.target"""
    if spark is None:
        with unordered(con):
            con.execute(f"CREATE OR REPLACE TEMP TABLE value_node AS {values}")
            con.execute(f"CREATE OR REPLACE TEMP TABLE iban_node AS {ibans}")
            con.execute("BEGIN TRANSACTION")
            con.execute(f"CREATE OR REPLACE TEMP TABLE edge_rows AS {edge_rows}")
            con.execute(f"CREATE OR REPLACE TABLE graph_node AS {graph_node}")
            con.execute(f"CREATE OR REPLACE TABLE graph_edge AS {graph_edge}")
            con.execute("COMMIT")
    else:
        spark.step("value_node", values)
        spark.step("iban_node", ibans)
        spark.step("edge_rows", edge_rows)
        con.execute("BEGIN TRANSACTION")
        spark.keep("graph_node", graph_node)
        spark.keep("graph_edge", graph_edge)
        con.execute("COMMIT")
    return GraphCounts(
        nodes=dict(con.execute("SELECT kind, count(*) FROM graph_node GROUP BY kind").fetchall()),
        edges=dict(con.execute("SELECT type, count(*) FROM graph_edge GROUP BY type").fetchall()),
    )
