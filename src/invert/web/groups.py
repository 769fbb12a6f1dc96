"""Money between groups, and what each network made.

``/money/flows`` shows what ``money.sankey`` computes over the graph's communities (an
account's community is its own node's, else its holder's): for each pair of a community and
another community, a country abroad, cash or other accounts, the amount, the number of payments
and the months, with a Sankey picture drawn by the server as SVG. ``/networks/{network}`` is one
network: a community's members and accounts, its flows in and out, and the profit estimate that
``invert money CASE_DIR profit`` wrote (``network_profit``), each figure with its computation and
a link to ``/networks/{network}/evidence/{component}``, the rows behind it with their source
file, row and SHA-256. Ids, names and IBANs go through the user's ``Masker``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from invert.money.profit import COMPONENTS
from invert.web.access import Access, need
from invert.web.index import SCHEMA
from invert.web.templating import render
from invert.workspace import has_table

router = APIRouter()

NO_GRAPH = "The network has not been built for this case: run invert network build CASE_DIR."
NO_PAYMENTS = "The case has no payments (no transaction table)."
NO_PROFIT = "No profit estimate for this case yet: run invert money CASE_DIR profit."
FIGURES = (*COMPONENTS, "total")
DRAWN = 30  # pairs drawn in the picture, largest first; the table lists them all
LISTED = 500
MEMBERS_SHOWN, ACCOUNTS_SHOWN, EVIDENCE_PAGE = 100, 100, 100
WIDTH, PAD, NODE_WIDTH, GAP, ROW = 880, 12, 14, 6, 22
# What an evidence row of each table shows: (date, amount, from, to, detail) as SQL on ``t``,
# and the tables of its two entity columns.
EVIDENCE_COLUMNS = {
    "transaction": (
        "t.date AS day, t.amount, t.payerAccount AS a, t.beneficiaryAccount AS b, "
        "t.purpose AS detail",
        ("bank_account", "bank_account"),
    ),
    "wage_payment": (
        "t.periodStart AS day, t.gross AS amount, t.employer AS a, t.employee AS b, "
        "format('{} hours, deductions {:.2f}', coalesce(CAST(coalesce(t.hoursWorked, "
        "t.hoursPaid) AS VARCHAR), '?'), coalesce(t.deductions, 0)::DOUBLE) AS detail",
        ("company", "person"),
    ),
    "residence": (
        "t.startDate AS day, t.rent AS amount, t.provider AS a, t.resident AS b, "
        "t.rentPeriod AS detail",
        (None, "person"),
    ),
}


@dataclass
class Pair:
    source: str
    target: str
    amount: float
    count: int
    first: dt.date
    last: dt.date


@dataclass
class Node:
    name: str
    side: str  # "source" or "target"
    x: float
    y: float
    height: float
    amount: float


@dataclass
class Band:
    path: str
    width: float
    title: str


def month_of(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}", value):
        raise HTTPException(400, f"{name} is a month written YYYY-MM, such as 2024-03.")
    return dt.date(int(value[:4]), int(value[5:]), 1)


def pairs(
    con: duckdb.DuckDBPyConnection,
    table: str,
    start: dt.date | None,
    end: dt.date | None,
    min_amount: float,
    group: str | None = None,
) -> list[Pair]:
    """Each (source, target) summed over the months from ``start`` to ``end``, at least
    ``min_amount``, largest first; ``group``: only pairs in or out of it."""
    rows = con.execute(
        f"""SELECT source, target, round(sum(amount), 2), sum(count)::BIGINT, min(month),
                   max(month)
            FROM {table}
            WHERE month >= coalesce($start, month) AND month <= coalesce($end, month)
              AND ($group IS NULL OR source = $group OR target = $group)
            GROUP BY source, target HAVING sum(amount) >= $min
            ORDER BY 3 DESC, 1, 2 LIMIT {LISTED}""",
        {"start": start, "end": end, "min": min_amount, "group": group},
    ).fetchall()
    return [Pair(*r) for r in rows]


def sankey(shown: list[Pair]) -> tuple[list[Node], list[Band], int]:
    """Sources on the left, targets on the right, each as tall as its money; one band per pair
    as wide as its amount. Returns the nodes, the bands and the picture's height."""
    if not shown:
        return [], [], 0
    totals: dict[str, dict[str, float]] = {"source": {}, "target": {}}
    for p in shown:
        totals["source"][p.source] = totals["source"].get(p.source, 0) + p.amount
        totals["target"][p.target] = totals["target"].get(p.target, 0) + p.amount
    rows = max(len(totals["source"]), len(totals["target"]))
    height = max(160, rows * ROW + 2 * PAD)
    biggest = max(sum(t.values()) for t in totals.values()) or 1.0
    scale = (height - 2 * PAD - GAP * (rows - 1)) / biggest
    nodes: dict[tuple[str, str], Node] = {}
    for side, x in (("source", PAD + 150), ("target", WIDTH - PAD - 150 - NODE_WIDTH)):
        y = float(PAD)
        for name, amount in sorted(totals[side].items(), key=lambda kv: (-kv[1], kv[0])):
            h = max(1.0, amount * scale)
            nodes[(side, name)] = Node(name, side, x, round(y, 1), round(h, 1), amount)
            y += h + GAP
    used = {key: 0.0 for key in nodes}
    bands = []
    for p in shown:
        w = max(1.0, p.amount * scale)
        left, right = nodes[("source", p.source)], nodes[("target", p.target)]
        y0 = left.y + used[("source", p.source)] + w / 2
        y1 = right.y + used[("target", p.target)] + w / 2
        used[("source", p.source)] += w
        used[("target", p.target)] += w
        x0, x1 = left.x + NODE_WIDTH, right.x
        mid = (x0 + x1) / 2
        bands.append(
            Band(
                f"M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}",
                round(w, 1),
                f"{p.source} → {p.target}: {p.amount:,.2f} in {p.count} payment(s)",
            )
        )
    return list(nodes.values()), bands, height


def _ready(access: Access) -> str | None:
    """Why the flows cannot be shown, or None."""
    index = access.state.db.index
    if not index.has(access.con, "transaction"):
        return NO_PAYMENTS
    if not index.has(access.con, "graph_membership") or not index.has(access.con, "graph_node"):
        return NO_GRAPH
    return None


def _months(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        r[0].strftime("%Y-%m")
        for r in con.execute(f"SELECT DISTINCT month FROM {table} ORDER BY 1").fetchall()
    ]


@router.get("/money/flows")
def flows_page(
    access: Annotated[Access, Depends(need("view_money"))],
    start: str | None = None,
    end: str | None = None,
    min_amount: Annotated[float, Query(ge=0)] = 0,
) -> Response:
    since, until = month_of(start, "from"), month_of(end, "to")
    filters = {"start": start or "", "end": end or "", "min_amount": min_amount}
    why = _ready(access)
    if why:
        access.audit("view_money", None, page="flows", ran=False)
        return render(access, "flows.html", not_run=why, filters=filters)
    table = access.state.db.index.sankey(access.con)
    found = pairs(access.con, table, since, until, min_amount)
    nodes, bands, height = sankey(found[:DRAWN])
    access.audit("view_money", None, page="flows", pairs=len(found), **filters)
    return render(
        access,
        "flows.html",
        not_run=None,
        filters=filters,
        months=_months(access.con, table),
        pairs=found,
        nodes=nodes,
        bands=bands,
        picture={"width": WIDTH, "height": height, "node": NODE_WIDTH, "drawn": DRAWN},
        profits=_profits(access.con),
    )


def _profits(con: duckdb.DuckDBPyConnection) -> list[tuple[str, float]] | None:
    """Each network's estimated total, largest first (None before the estimate ran)."""
    if not has_table(con, "network_profit"):
        return None
    return con.execute(
        """SELECT network, amount FROM main.network_profit WHERE component = 'total'
           ORDER BY amount DESC, network LIMIT 50"""
    ).fetchall()


def community(network: str) -> int | None:
    match = re.fullmatch(r"community-(\d+)", network)
    return int(match.group(1)) if match else None


def members(con: duckdb.DuckDBPyConnection, n: int) -> tuple[dict[str, int], list[tuple]]:
    """The community's node counts by kind, and its people and companies (most central
    first)."""
    counts = dict(
        con.execute(
            """SELECT n.kind, count(*) FROM graph_membership g JOIN graph_node n USING (node)
               WHERE g.community = ? GROUP BY 1 ORDER BY 2 DESC, 1""",
            [n],
        ).fetchall()
    )
    listed = con.execute(
        f"""SELECT n.kind, n.node, n.label FROM graph_membership g JOIN graph_node n USING (node)
            WHERE g.community = ? AND n.kind IN ('company', 'person')
            ORDER BY n.kind, g.pagerank DESC NULLS LAST, n.node LIMIT {MEMBERS_SHOWN}""",
        [n],
    ).fetchall()
    return counts, listed


def accounts(con: duckdb.DuckDBPyConnection, network: str) -> tuple[int, list[tuple]]:
    """The accounts the flows count in this community (``WebIndex.sankey``'s grouping), with
    IBAN, holder and country: the number of them and the first ``ACCOUNTS_SHOWN``."""
    total = con.execute(
        f"SELECT count(*) FROM {SCHEMA}.money_group WHERE grp = ?", [network]
    ).fetchone()
    rows = con.execute(
        f"""WITH a AS (SELECT account FROM {SCHEMA}.money_group WHERE grp = ?
                       ORDER BY account LIMIT {ACCOUNTS_SHOWN})
            SELECT a.account, any_value(b.iban), any_value(h.holder), any_value(h.kind),
                   any_value(hm.country)
            FROM a
            LEFT JOIN bank_account b ON b.id = a.account
            LEFT JOIN account_holder h ON h.account = a.account
            LEFT JOIN account_home hm ON hm.account = a.account
            GROUP BY a.account ORDER BY a.account""",
        [network],
    ).fetchall()
    return (total[0] if total else 0), rows


def figures(con: duckdb.DuckDBPyConnection, network: str) -> list[dict[str, Any]] | None:
    """The network's profit rows as ``invert money CASE_DIR profit`` wrote them. Their
    computations are made of counts, amounts and country codes, never names, so they are shown
    as written (scrubbing costs a viewer's page about a millisecond a character)."""
    if not has_table(con, "network_profit"):
        return None
    rows = con.execute(
        """SELECT component, amount, computation, parameters, len(evidence)
           FROM main.network_profit WHERE network = ?""",
        [network],
    ).fetchall()
    order = {c: i for i, c in enumerate(FIGURES)}
    keys = ("component", "amount", "computation", "parameters", "evidence")
    out = [dict(zip(keys, r, strict=True)) for r in sorted(rows, key=lambda r: order.get(r[0], 99))]
    for f in out:
        f["parameters"] = json.loads(f["parameters"]) if f["parameters"] else {}
    return out


def stale(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the graph was built again after the latest profit estimate: community numbers
    change with every build, so the estimate's communities may be other ones now."""
    if not has_table(con, "runs"):
        return False
    row = con.execute(
        """SELECT max(started_at) FILTER (WHERE stage = 'network')
                  > max(started_at) FILTER (WHERE stage = 'profit') FROM runs"""
    ).fetchone()
    return bool(row and row[0])


@router.get("/networks/{network}")
def network_page(
    network: str,
    access: Annotated[Access, Depends(need("view_money"))],
    start: str | None = None,
    end: str | None = None,
    min_amount: Annotated[float, Query(ge=0)] = 0,
) -> Response:
    con = access.con
    since, until = month_of(start, "from"), month_of(end, "to")
    n = community(network)
    profit = figures(con, network)
    graph = _ready(access) is None
    if n is None and not (
        profit
        or (
            con.execute("SELECT 1 FROM company WHERE id = ? LIMIT 1", [network]).fetchone()
            if has_table(con, "company")
            else None
        )
    ):
        raise HTTPException(404, "No network of this name: open one from the money flows page.")
    if n is not None and graph:
        counts, listed = members(con, n)
        if not counts:
            raise HTTPException(404, f"The graph has no community {n}.")
    else:
        counts, listed = {}, []
    context: dict[str, Any] = {
        "network": network,
        "community": n,
        "graph": graph,
        "counts": counts,
        "listed": listed,
        "profit": profit,
        "no_profit": NO_PROFIT,
        # The estimate counts communities that hold a company: one without is another build's.
        "stale": bool(profit)
        and (stale(con) or (n is not None and graph and "company" not in counts)),
        "filters": {"start": start or "", "end": end or "", "min_amount": min_amount},
        "company": None if n is not None else network,
    }
    found: list[Pair] = []
    n_accounts, shown_accounts = 0, []
    if n is not None and graph:
        table = access.state.db.index.sankey(con)
        found = pairs(con, table, since, until, min_amount, group=network)
        n_accounts, shown_accounts = accounts(con, network)
    access.audit("view_money", network, page="network", accounts=n_accounts, pairs=len(found))
    return render(
        access,
        "group.html",
        **context,
        pairs=found,
        n_accounts=n_accounts,
        accounts=shown_accounts,
    )


def evidence_rows(access: Access, refs: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The rows behind a figure, in its order, with source file, row and SHA-256."""
    con, index = access.con, access.state.db.index
    by_table: dict[str, dict[str, dict[str, Any]]] = {}
    for tbl in dict.fromkeys(r["tbl"] for r in refs):
        ids = sorted({r["id"] for r in refs if r["tbl"] == tbl})
        columns, _kinds = EVIDENCE_COLUMNS.get(tbl, ("NULL AS day", (None, None)))
        if not index.has(con, tbl):
            continue
        rows = index.rows(con, tbl, ids, f"t.id, t.source_id, t.source_row, {columns}")
        by_table[tbl] = {r["id"]: r for r in rows}
    files = index.files(con, {r["source_id"] for t in by_table.values() for r in t.values()})
    companies: set[str] = set()
    others = [r.get("a") for t in by_table.values() for r in t.values() if r.get("a")]
    if others and has_table(con, "company"):
        companies = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT id FROM company WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                [others],
            ).fetchall()
        }
    # Free text (a payment's purpose) is scrubbed for users who see no identities, once per
    # distinct text: with a large case's names that costs about a millisecond a character.
    scrubbed: dict[str, str] = {}
    out = []
    for ref in refs:
        row = by_table.get(ref["tbl"], {}).get(ref["id"], {"id": ref["id"]})
        kinds = EVIDENCE_COLUMNS.get(ref["tbl"], ("", (None, None)))[1]
        a_kind = kinds[0] or ("company" if row.get("a") in companies else "person")
        file_name, sha = files.get(row.get("source_id") or "", (None, None))
        detail = row.get("detail")
        if isinstance(detail, str) and detail and ref["tbl"] != "wage_payment":
            if detail not in scrubbed:
                scrubbed[detail] = access.masker.text(detail)
            row = {**row, "detail": scrubbed[detail]}
        out.append(
            {
                "tbl": ref["tbl"],
                **row,
                "a_kind": a_kind,
                "b_kind": kinds[1],
                "file_name": file_name,
                "sha256": sha,
            }
        )
    return out


@router.get("/networks/{network}/evidence/{component}")
def evidence_page(
    network: str,
    component: str,
    access: Annotated[Access, Depends(need("view_money"))],
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    con = access.con
    if not has_table(con, "network_profit"):
        raise HTTPException(404, NO_PROFIT)
    offset = (page - 1) * EVIDENCE_PAGE
    row = con.execute(
        f"""SELECT amount, computation, len(evidence),
                   evidence[{offset + 1}:{offset + EVIDENCE_PAGE}]
            FROM main.network_profit WHERE network = ? AND component = ?""",
        [network, component],
    ).fetchone()
    if row is None:
        raise HTTPException(404, "No such figure: open it from the network's page.")
    amount, computation, total, refs = row
    rows = evidence_rows(access, refs or [])
    access.audit("view_money", network, page="profit evidence", component=component, rows=len(rows))
    return render(
        access,
        "evidence.html",
        network=network,
        component=component,
        amount=amount,
        computation=computation,
        total=total,
        rows=rows,
        page=page,
        pages=max(1, -(-total // EVIDENCE_PAGE)),
        offset=offset,
    )
