"""The money around an entity: the monthly flows in and out of its accounts (facts: sums of
payments as the statements give them), the money patterns its accounts hit and the profit
estimate of its network (inferences: each with the rule and parameters that produced it)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from invert.report.rows import dicts
from invert.workspace import has_table

MAX_FLOWS = 200  # month and counterparty rows listed; the rest are counted

# The entity's accounts: those it holds, and for a worker those its wages are paid into.
ACCOUNTS = """
    SELECT DISTINCT id FROM bank_account WHERE holder = $id
    UNION SELECT DISTINCT b.id FROM bank_account b JOIN wage_payment w ON w.iban = b.iban
    WHERE w.employee = $id"""

FLOWS = """
    WITH mine AS (SELECT unnest($accounts) AS account),
    labels AS (SELECT id, any_value(coalesce(iban, accountNumber, id)) AS label
               FROM bank_account GROUP BY id),
    rows AS (
        SELECT f.month, 'out' AS direction, f.payer AS account, f.beneficiary AS counterparty,
               f.count, f.amount, f.first_date, f.last_date
        FROM money_flow f WHERE f.payer IN (SELECT account FROM mine)
        UNION ALL
        SELECT f.month, 'in', f.beneficiary, f.payer, f.count, f.amount, f.first_date,
               f.last_date
        FROM money_flow f WHERE f.beneficiary IN (SELECT account FROM mine))
    SELECT r.month, r.direction, coalesce(a.label, r.account) AS account,
           coalesce(c.label, r.counterparty) AS counterparty, r.count, round(r.amount, 2) AS
           amount, r.first_date, r.last_date
    FROM rows r LEFT JOIN labels a ON a.id = r.account LEFT JOIN labels c ON c.id = r.counterparty
    ORDER BY r.month, r.direction, r.amount DESC, counterparty"""


@dataclass
class Money:
    accounts: list[str] = field(default_factory=list)
    flows_built: bool = False
    flows: list[dict[str, Any]] = field(default_factory=list)
    flows_total: int = 0
    patterns_built: bool = False
    patterns: list[dict[str, Any]] = field(default_factory=list)
    profit_built: bool = False
    profit: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    limits: list[str] = field(default_factory=list)


def gather_money(
    con: duckdb.DuckDBPyConnection, entity_id: str, table: str | None, community: int | None
) -> Money:
    if table == "bank_account":
        accounts = [entity_id]
    else:
        accounts = sorted(r[0] for r in con.execute(ACCOUNTS, {"id": entity_id}).fetchall())
    money = Money(accounts=accounts)
    if has_table(con, "money_flow"):
        money.flows_built = True
        flows = dicts(con, FLOWS, {"accounts": accounts or [""]})
        money.flows, money.flows_total = flows[:MAX_FLOWS], len(flows)
        if len(flows) > MAX_FLOWS:
            money.limits.append(f"Only {MAX_FLOWS} of {len(flows)} monthly flow rows are listed.")
    if has_table(con, "money_pattern"):
        money.patterns_built = True
        money.patterns = dicts(
            con,
            """SELECT pattern, account, value, detail, parameters, len(evidence) AS rows
               FROM money_pattern WHERE account IN (SELECT unnest($a)) ORDER BY pattern, account""",
            {"a": accounts or [""]},
        )
        for row in money.patterns:
            row["parameters"] = _json(row["parameters"])
    if has_table(con, "network_profit"):
        money.profit_built = True
        money.profit = _profit(con, entity_id, community)
    return money


def _profit(
    con: duckdb.DuckDBPyConnection, entity_id: str, community: int | None
) -> dict[str, list[dict[str, Any]]]:
    """The estimate of every network the entity belongs to: its graph community, itself as a
    company grouping, or the companies that employ or pay it (``--by company``)."""
    networks = [entity_id]
    if community is not None:
        networks.append(f"community-{community}")
    networks += [
        r[0]
        for r in con.execute(
            """SELECT employer FROM employment WHERE employee = $id
               UNION SELECT employer FROM wage_payment WHERE employee = $id""",
            {"id": entity_id},
        ).fetchall()
        if r[0]
    ]
    rows = dicts(
        con,
        """SELECT network, component, amount, computation, parameters, len(evidence) AS rows
           FROM network_profit WHERE network IN (SELECT unnest($n))
           ORDER BY network, list_position(['unpaid_wages', 'deductions', 'confiscated', 'fees',
                                            'total', 'sent_abroad'], component)""",
        {"n": networks},
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        row["parameters"] = _json(row["parameters"])
        out.setdefault(row["network"], []).append(row)
    return out


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
