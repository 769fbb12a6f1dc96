"""Money flows: payments aggregated per account pair and month, and multi-hop traces.

``build`` writes ``money_flow``; ``trace`` follows money out of (or back into) an account, or
every account of a person or company, hop by hop in time order. Each hop is one set-based
query: a payment belongs to hop k+1 when it leaves an account hop k paid into, on or after the
day that money arrived and within ``days`` of it. What an account passes on is capped by what
reached it: when it sends out more than it received along the trace, every payment it sends is
scaled down by the same factor (received / sent), so the amounts never grow along a path.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from invert.money import MoneyError
from invert.money.accounts import accounts_of, prepare
from invert.workspace.writes import unordered

# Payments between two accounts (cash has no beneficiary and is left out) per month.
MONEY_FLOW = """
    SELECT payer, beneficiary, date_trunc('month', date)::DATE AS month,
           count(*) AS count, round(sum(amount), 2) AS amount,
           min(date) AS first_date, max(date) AS last_date
    FROM payment WHERE payer IS NOT NULL AND beneficiary IS NOT NULL
    GROUP BY ALL"""


def build(con: duckdb.DuckDBPyConnection) -> int:
    """Write ``money_flow(payer, beneficiary, month, count, amount, first_date, last_date)``."""
    with unordered(con):
        prepare(con)
        con.execute(f"CREATE OR REPLACE TABLE main.money_flow AS {MONEY_FLOW}")
    return con.execute("SELECT count(*) FROM main.money_flow").fetchone()[0]


@dataclass
class Hop:
    hop: int
    payer: str
    beneficiary: str
    amount: float
    first_date: object
    last_date: object
    transactions: list[str]


def trace(
    con: duckdb.DuckDBPyConnection,
    start: str | list[str],
    direction: str = "out",
    hops: int = 3,
    days: int = 30,
    min_amount: float = 0,
) -> list[Hop]:
    """Follow money from ``start`` (an account id or IBAN, a person's or company's entity id,
    or a list of account ids) ``hops`` steps forward (``out``) or backward (``in``) in time.
    Returns one row per hop and account pair with the (capped) amount, the first and last day
    and the transaction ids behind it."""
    if direction not in ("out", "in"):
        raise MoneyError(f"direction must be 'out' or 'in', not {direction!r}")
    if hops < 1 or days < 0:
        raise MoneyError("hops must be at least 1 and days at least 0")
    prepare(con)
    accounts = accounts_of(con, start) if isinstance(start, str) else list(start)
    # 'near' is the side of a payment the trace arrives from, 'far' the side it goes on to
    near, far = ("payer", "beneficiary") if direction == "out" else ("beneficiary", "payer")
    after = "p.date >= f.date AND p.date <= f.date + $days"
    before = "p.date <= f.date AND p.date >= f.date - $days"
    window = after if direction == "out" else before
    con.execute(
        "CREATE OR REPLACE TEMP TABLE trace_start AS SELECT unnest($a) AS account", {"a": accounts}
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE trace_hop AS
        SELECT 1 AS hop, p.id, p.payer, p.beneficiary, p.date, p.amount, p.ids
        FROM payment p JOIN trace_start s ON s.account = p.{near}
        WHERE p.{far} IS NOT NULL AND p.amount >= $min""",
        {"min": min_amount},
    )
    for k in range(2, hops + 1):
        con.execute(
            f"""
            INSERT INTO trace_hop
            WITH arrived AS (  -- what the previous hop brought to each account
                SELECT {far} AS account, sum(amount) AS amount FROM trace_hop
                WHERE hop = $prev GROUP BY 1),
            moved AS (  -- payments on from there, each after some arrival and soon enough
                SELECT DISTINCT p.id, p.payer, p.beneficiary, p.date, p.amount, p.ids
                FROM trace_hop f JOIN payment p ON p.{near} = f.{far}
                WHERE f.hop = $prev AND {window} AND p.id <> f.id
                  AND p.{far} IS NOT NULL AND p.amount >= $min),
            sent AS (SELECT {near} AS account, sum(amount) AS amount FROM moved GROUP BY 1)
            SELECT $hop, m.id, m.payer, m.beneficiary, m.date,
                   m.amount * least(1, a.amount / s.amount), m.ids
            FROM moved m JOIN sent s ON s.account = m.{near}
            JOIN arrived a ON a.account = m.{near}""",
            {"prev": k - 1, "hop": k, "days": days, "min": min_amount},
        )
    rows = con.execute("""
        SELECT hop, payer, beneficiary, round(sum(amount), 2), min(date), max(date),
               list_sort(flatten(list(ids)))
        FROM trace_hop GROUP BY hop, payer, beneficiary
        ORDER BY hop, 4 DESC, payer, beneficiary""").fetchall()
    return [Hop(*r) for r in rows]
