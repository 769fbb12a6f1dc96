"""FollowTheMoney entities, one JSON object a line (Aleph, OpenAleph, yente, ftm tools).

Nodes become FtM things with the details of their canonical records: person → Person, company
→ Company, account → BankAccount, ad → Document, address → Address, a node no record describes
→ LegalEntity. Phone numbers and e-mail addresses are FtM values, not entities: a node's
"has phone" / "has e-mail" ties become its ``phone`` / ``email`` (an ad's ``phoneMentioned`` /
``emailMentioned``), and "lives at" / "at address" ties its ``addressEntity``. FtM finds shared
values itself, so two records that share a phone still meet.

Ties become FtM interval entities: works for → Employment, directs → Directorship, owns and
held by → Ownership, paid → Payment (one per aggregated edge: the sum, the first and last date,
the number of payments). FtM wants a payer and a beneficiary on every Payment: for a payment
between accounts they are the accounts' holders where the case knows them, otherwise a
LegalEntity that stands for the unknown holder of that account. Every other tie (subcontracts
to, housed by, owned by, paid into …) becomes an UnknownLink with the tie as its role.

Ids are the node ids where FtM accepts them, otherwise the kind and a SHA-1 of the node id;
tie ids hash the tie's ends, type and relation. The same graph always gives the same file.
Every entity is checked against the FtM model before it is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
from followthemoney import model
from followthemoney.proxy import EntityProxy

from invert.errors import InvertError

# kind → (FtM schema, table, the node id of a row of the table, column ↦ FtM property)
NODES: dict[str, tuple[str, str, str, dict[str, str]]] = {
    "person": (
        "Person",
        "person",
        "t.id",
        {
            "name": "name",
            "firstName": "firstName",
            "lastName": "lastName",
            "birthDate": "birthDate",
            "nationality": "nationality",
            "gender": "gender",
            "idNumber": "idNumber",
            "passportNumber": "passportNumber",
            "taxNumber": "taxNumber",
            "phone": "phone",
            "email": "email",
            "address": "address",
            "country": "country",
        },
    ),
    "company": (
        "Company",
        "company",
        "t.id",
        {
            "name": "name",
            "registrationNumber": "registrationNumber",
            "vatCode": "vatCode",
            "taxNumber": "taxNumber",
            "jurisdiction": "jurisdiction",
            "sector": "sector",
            "legalForm": "legalForm",
            "status": "status",
            "incorporationDate": "incorporationDate",
            "dissolutionDate": "dissolutionDate",
            "address": "address",
            "phone": "phone",
            "email": "email",
            "website": "website",
        },
    ),
    "account": (
        "BankAccount",
        "bank_account",
        "t.id",
        {
            "iban": "iban",
            "accountNumber": "accountNumber",
            "bic": "bic",
            "bankName": "bankName",
            "currency": "currency",
            "country": "country",
            "openingDate": "openingDate",
            "closingDate": "closingDate",
        },
    ),
    "ad": (
        "Document",
        "ad",
        "t.id",
        {
            "title": "title",
            "url": "sourceUrl",
            "platform": "publisher",
            "postedAt": "publishedAt",
            "language": "language",
            "country": "country",
            "body": "summary",
            "phone": "phoneMentioned",
            "email": "emailMentioned",
        },
    ),
    "address": (
        "Address",
        "address",
        "'address:' || t.full_key",
        {
            "full": "full",
            "street": "street",
            "postalCode": "postalCode",
            "city": "city",
            "region": "region",
            "country": "country",
        },
    ),
}
OTHER_SCHEMA = "LegalEntity"  # a node no record describes, of unknown kind
VALUE_KINDS = ("phone", "email")  # values in FtM, never entities
# ties that become a property of their source: tie type → (property, value taken from target)
ATTACHED = {
    "has phone": ("phone", "label"),
    "has e-mail": ("email", "label"),
    "lives at": ("addressEntity", "fid"),
    "at address": ("addressEntity", "fid"),
}
ATTACHED_SOURCE = dict(ATTACHED.values())  # property → column of the target it takes
MENTIONED = {"phone": "phoneMentioned", "email": "emailMentioned"}  # for schemas without them
FTM_ID = r"[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?"


class InvalidExport(InvertError):
    """An entity of the export does not satisfy the FollowTheMoney model (a bug: report it)."""


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(f'SELECT * FROM "{table}" LIMIT 0').description}


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""CREATE OR REPLACE TEMP TABLE export_ftm AS
        SELECT node, kind, label,
               CASE WHEN regexp_full_match(node, '{FTM_ID}') THEN node
                    ELSE kind || '-' || sha1(node) END AS fid
        FROM export_node""")
    lists = ", ".join(
        f"list(DISTINCT t.{src}) FILTER (WHERE e.type IN "
        f'({", ".join(repr(t) for t, (p, _) in ATTACHED.items() if p == prop)})) AS "{prop}"'
        for prop, src in sorted(ATTACHED_SOURCE.items())
    )
    con.execute(f"""CREATE OR REPLACE TEMP TABLE export_attached AS
        SELECT e.source AS node, {lists}
        FROM export_edge e JOIN export_ftm t ON t.node = e.target
        WHERE e.type IN ({", ".join(repr(t) for t in ATTACHED)})
        GROUP BY e.source""")


def _make(schema: str, fid: str, values: dict[str, object]) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = fid
    for prop, value in values.items():
        if value is None or value == []:
            continue
        if prop not in proxy.schema.properties and prop in MENTIONED:
            prop = MENTIONED[prop]
        if prop in proxy.schema.properties:
            proxy.add(prop, value, quiet=True)
    return proxy


def _nodes(con: duckdb.DuckDBPyConnection) -> Iterator[EntityProxy]:
    attached = [f'a."{p}"' for p in sorted(ATTACHED_SOURCE)]
    for kind, (schema, table, key, columns) in NODES.items():
        present = _columns(con, table)
        picked = {c: p for c, p in columns.items() if c in present}
        lists = "".join(
            f', list(DISTINCT t."{c}"::VARCHAR) FILTER (WHERE t."{c}" IS NOT NULL)' for c in picked
        )
        cursor = con.execute(f"""
            SELECT x.fid, x.label{lists}, {", ".join(attached)}
            FROM export_ftm x LEFT JOIN "{table}" t ON {key} = x.node
            LEFT JOIN export_attached a ON a.node = x.node
            WHERE x.kind = '{kind}'
            GROUP BY x.fid, x.label, {", ".join(attached)} ORDER BY x.fid""")
        names = [*picked.values(), *sorted(ATTACHED_SOURCE)]
        while rows := cursor.fetchmany(10_000):
            for fid, label, *values in rows:
                props: dict[str, list] = {}
                for name, value in zip(names, values, strict=True):
                    props.setdefault(name, []).extend(value or [])
                if kind != "address" and not props.get("name"):
                    props["name"] = [label]
                if kind == "address" and not props.get("full"):
                    props["full"] = [label]
                if kind == "ad" and not props.get("title"):
                    props["title"] = [label]
                yield _make(schema, fid, props)
    cursor = con.execute(f"""
        SELECT x.fid, x.label, {", ".join(attached)} FROM export_ftm x
        LEFT JOIN export_attached a ON a.node = x.node
        WHERE x.kind NOT IN ({", ".join(repr(k) for k in (*NODES, *VALUE_KINDS))})
        ORDER BY x.fid""")
    while rows := cursor.fetchmany(10_000):
        for fid, label, *values in rows:
            props = dict(zip(sorted(ATTACHED_SOURCE), values, strict=True))
            yield _make(OTHER_SCHEMA, fid, {"name": label, **props})


def _ties(con: duckdb.DuckDBPyConnection) -> Iterator[EntityProxy]:
    cursor = con.execute(f"""
        WITH holder AS (
            SELECT a.node, min(h.fid) AS fid FROM export_edge e
            JOIN export_ftm a ON a.node = e.source JOIN export_ftm h ON h.node = e.target
            WHERE e.type = 'held by' GROUP BY a.node)
        SELECT e.type, e.relation, s.fid, s.kind, s.label, t.fid, t.kind, t.label, e.count,
               e.amount, e.first_date::VARCHAR, e.last_date::VARCHAR, sh.fid, th.fid
        FROM export_edge e
        JOIN export_ftm s ON s.node = e.source JOIN export_ftm t ON t.node = e.target
        LEFT JOIN holder sh ON sh.node = e.source LEFT JOIN holder th ON th.node = e.target
        WHERE e.type NOT IN ({", ".join(repr(t) for t in ATTACHED)})
          AND s.kind NOT IN {VALUE_KINDS} AND t.kind NOT IN {VALUE_KINDS}
        ORDER BY e.source, e.target, e.type, e.relation""")
    stand_ins: set[str] = set()
    while rows := cursor.fetchmany(10_000):
        for row in rows:
            yield from _tie(*row, stand_ins=stand_ins)


def _tie(
    type_: str,
    relation: str,
    src: str,
    src_kind: str,
    src_label: str,
    dst: str,
    dst_kind: str,
    dst_label: str,
    count: int,
    amount: float | None,
    first: str | None,
    last: str | None,
    src_holder: str | None,
    dst_holder: str | None,
    stand_ins: set[str],
) -> Iterator[EntityProxy]:
    common: dict[str, object] = {
        "startDate": first,
        "endDate": last,
        "description": f"{count} {relation} record{'s' if count != 1 else ''}",
    }
    if type_ == "paid":
        ends: dict[str, object] = {"amount": amount, "purpose": relation}
        for party, account, fid, kind, label, holder in (
            ("payer", "payerAccount", src, src_kind, src_label, src_holder),
            ("beneficiary", "beneficiaryAccount", dst, dst_kind, dst_label, dst_holder),
        ):
            if kind != "account":
                ends[party] = fid
                continue
            ends[account] = fid
            if holder is None:
                holder = f"holder-{fid}"
                if holder not in stand_ins:
                    stand_ins.add(holder)
                    yield _make(
                        OTHER_SCHEMA,
                        holder,
                        {
                            "name": f"Holder of account {label}",
                            "description": "Not identified in the case data.",
                        },
                    )
            ends[party] = holder
        schema, values = "Payment", {**common, **ends}
    elif type_ == "works for":
        schema, values = "Employment", {**common, "employee": src, "employer": dst}
    elif type_ == "directs":
        schema, values = "Directorship", {**common, "director": src, "organization": dst}
    elif type_ == "owns" and dst_kind in ("company", "account"):
        schema, values = "Ownership", {**common, "owner": src, "asset": dst}
    elif type_ == "held by":
        schema = "Ownership"
        values = {**common, "owner": dst, "asset": src, "role": "account holder"}
    else:
        schema, values = "UnknownLink", {**common, "subject": src, "object": dst, "role": type_}
    proxy = model.make_entity(schema)
    yield _make(schema, proxy.make_id("invert", type_, relation, src, dst), values)


def write(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    _prepare(con)
    with out.open("w", encoding="utf-8") as fh:
        for proxy in _all(con):
            data = proxy.to_dict()
            problem = proxy.schema.validate(data)
            if problem is not None:
                raise InvalidExport(f"FtM entity {proxy.id} ({proxy.schema.name}): {problem}")
            fh.write(json.dumps(data, ensure_ascii=False, sort_keys=True))
            fh.write("\n")


def _all(con: duckdb.DuckDBPyConnection) -> Iterator[EntityProxy]:
    yield from _nodes(con)
    yield from _ties(con)
