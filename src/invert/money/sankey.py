"""Flows between groups of accounts per month, for a flow (Sankey) view.

A grouping table ``(account, group)`` names each account's group (a community of the graph
stage, a network, a role); accounts outside it are ``other``; payments to an account in another
country than the payer's go to ``abroad:<country>``, cash withdrawals to ``cash``. Writes
``money_sankey(month, source, target, count, amount)``.
"""

from __future__ import annotations

import re

import duckdb

from invert.money import MoneyError
from invert.money.accounts import prepare


def build(
    con: duckdb.DuckDBPyConnection,
    grouping: str,
    home: str = "NL",
    into: str = "main.money_sankey",
) -> int:
    """``grouping`` is a table name or SELECT with columns ``account`` and ``group``; ``into``
    the table written (the web server keeps its own copy outside the workspace)."""
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)?", into):
        raise MoneyError(f"not a table name: {into!r}")
    prepare(con)
    source = f"SELECT * FROM {grouping}" if re.fullmatch(r"[A-Za-z_][\w.]*", grouping) else grouping
    try:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE sankey_group AS
            SELECT account::VARCHAR AS account, any_value("group"::VARCHAR) AS grp
            FROM ({source}) GROUP BY 1""")
    except duckdb.Error as exc:
        raise MoneyError(
            f"cannot read the grouping ({exc}); give a table or SELECT with columns account, group"
        ) from exc
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {into} AS
        WITH p AS (
            SELECT date_trunc('month', p.date)::DATE AS month, p.amount,
                   coalesce(gs.grp, 'other') AS source,
                   CASE WHEN p.is_cash_out THEN 'cash'
                        WHEN coalesce(p.country, hb.country) <> coalesce(hp.country, $home)
                             AND gb.grp IS NULL
                            THEN 'abroad:' || coalesce(p.country, hb.country)
                        ELSE coalesce(gb.grp, 'other') END AS target
            FROM payment p
            LEFT JOIN sankey_group gs ON gs.account = p.payer
            LEFT JOIN sankey_group gb ON gb.account = p.beneficiary
            LEFT JOIN account_home hp ON hp.account = p.payer
            LEFT JOIN account_home hb ON hb.account = p.beneficiary
            WHERE p.payer IS NOT NULL AND (gs.grp IS NOT NULL OR gb.grp IS NOT NULL))
        SELECT month, source, target, count(*) AS count, round(sum(amount), 2) AS amount
        FROM p WHERE source <> target GROUP BY ALL ORDER BY month, amount DESC""",
        {"home": home},
    )
    return con.execute(f"SELECT count(*) FROM {into}").fetchone()[0]
