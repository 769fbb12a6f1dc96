"""The money view of one account, person or company (its accounts): money in and out by month
with a bar chart drawn on the server, the main counterparties, what went abroad by country, the
money patterns that hit its accounts and a trace of where its money went in three hops.

It reads what ``invert money CASE_DIR flows`` wrote (``money_flow``, ``money_pattern``) and the
payments of ``invert.money.accounts``; a case where that stage has not run gets the command.
Account numbers and holder names go through the user's ``Masker`` like on every other page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response

from invert.money import MoneyError, flows
from invert.money.accounts import accounts_of
from invert.web.access import Access, need
from invert.web.db import scalar
from invert.web.entities import real_id
from invert.web.templating import render
from invert.workspace import has_table

router = APIRouter()

TABLES = ("bank_account", "person", "company")
NOT_RUN = "The money stage has not run for this case: run invert money CASE_DIR flows."
TOP_COUNTERPARTIES = 20
TRACE_HOPS, TRACE_DAYS, TRACE_ROWS = 3, 30, 200
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 720, 180, 24


@dataclass
class Bar:
    """One bar of the monthly chart, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    kind: str  # "in" or "out"
    title: str


def table_of(con: duckdb.DuckDBPyConnection, entity_id: str) -> str | None:
    for table in TABLES:
        if (
            has_table(con, table)
            and con.execute(f'SELECT 1 FROM "{table}" WHERE id = ? LIMIT 1', [entity_id]).fetchone()
        ):
            return table
    return None


def monthly(con: duckdb.DuckDBPyConnection, accounts: list[str]) -> list[dict[str, Any]]:
    """Per month: money in from and out to other accounts (transfers among the entity's own
    accounts left out), and cash withdrawn."""
    rows = con.execute(
        """
        WITH mine AS (SELECT unnest($a::VARCHAR[]) AS account),
        f AS (
            SELECT month, amount, count,
                   payer IN (SELECT account FROM mine) AS sent,
                   beneficiary IN (SELECT account FROM mine) AS received
            FROM main.money_flow
            WHERE payer IN (SELECT account FROM mine)
               OR beneficiary IN (SELECT account FROM mine)),
        moved AS (
            SELECT month,
                   coalesce(sum(amount) FILTER (WHERE received AND NOT sent), 0) AS money_in,
                   coalesce(sum(count) FILTER (WHERE received AND NOT sent), 0) AS n_in,
                   coalesce(sum(amount) FILTER (WHERE sent AND NOT received), 0) AS money_out,
                   coalesce(sum(count) FILTER (WHERE sent AND NOT received), 0) AS n_out
            FROM f GROUP BY month),
        cash AS (
            SELECT date_trunc('month', date)::DATE AS month, sum(amount) AS cash
            FROM payment WHERE is_cash_out AND payer IN (SELECT account FROM mine)
            GROUP BY 1)
        SELECT coalesce(m.month, c.month) AS month, coalesce(m.money_in, 0),
               coalesce(m.n_in, 0), coalesce(m.money_out, 0), coalesce(m.n_out, 0),
               coalesce(c.cash, 0)
        FROM moved m FULL JOIN cash c ON c.month = m.month
        ORDER BY 1""",
        {"a": accounts},
    ).fetchall()
    keys = ("month", "money_in", "n_in", "money_out", "n_out", "cash")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def chart(months: list[dict[str, Any]]) -> list[Bar]:
    """Two bars a month (in, then out plus cash), scaled to the largest."""
    if not months:
        return []
    top = max(max(m["money_in"], m["money_out"] + m["cash"]) for m in months) or 1
    slot = (CHART_WIDTH - 2 * CHART_PAD) / len(months)
    width = max(1.0, slot * 0.4)
    usable = CHART_HEIGHT - 2 * CHART_PAD
    bars = []
    for i, m in enumerate(months):
        label = m["month"].strftime("%Y-%m")
        out = m["money_out"] + m["cash"]
        for j, (kind, value) in enumerate((("in", m["money_in"]), ("out", out))):
            height = usable * float(value) / float(top)
            bars.append(
                Bar(
                    x=round(CHART_PAD + i * slot + j * width, 1),
                    y=round(CHART_HEIGHT - CHART_PAD - height, 1),
                    width=round(width, 1),
                    height=round(height, 1),
                    kind=kind,
                    title=f"{label} {kind}: {float(value):,.2f}",
                )
            )
    return bars


def counterparties(con: duckdb.DuckDBPyConnection, accounts: list[str]) -> list[dict[str, Any]]:
    """The other accounts with the most money either way, with their holder and its name."""
    rows = con.execute(
        """
        WITH mine AS (SELECT unnest($a::VARCHAR[]) AS account),
        f AS (
            SELECT CASE WHEN payer IN (SELECT account FROM mine) THEN beneficiary
                        ELSE payer END AS other,
                   CASE WHEN payer IN (SELECT account FROM mine) THEN 0 ELSE amount END AS got,
                   CASE WHEN payer IN (SELECT account FROM mine) THEN amount ELSE 0 END AS paid,
                   count
            FROM main.money_flow
            WHERE (payer IN (SELECT account FROM mine))
                  <> (beneficiary IN (SELECT account FROM mine))),
        totals AS (
            SELECT other, sum(got) AS got_sum, sum(paid) AS paid_sum, sum(count) AS n FROM f
            GROUP BY other ORDER BY sum(got) + sum(paid) DESC, other LIMIT $top),
        names AS (
            SELECT id, any_value(name) AS name FROM person GROUP BY id
            UNION ALL SELECT id, any_value(name) FROM company GROUP BY id)
        SELECT t.other, any_value(b.iban), any_value(h.country), any_value(ah.holder),
               any_value(ah.kind), any_value(nm.name), t.got_sum, t.paid_sum,
               t.n
        FROM totals t
        LEFT JOIN bank_account b ON b.id = t.other
        LEFT JOIN account_home h ON h.account = t.other
        LEFT JOIN account_holder ah ON ah.account = t.other
        LEFT JOIN names nm ON nm.id = ah.holder
        GROUP BY t.other, t.got_sum, t.paid_sum, t.n
        ORDER BY t.got_sum + t.paid_sum DESC, t.other""",
        {"a": accounts, "top": TOP_COUNTERPARTIES},
    ).fetchall()
    keys = ("account", "iban", "country", "holder", "kind", "name", "got", "paid", "n")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def abroad(
    con: duckdb.DuckDBPyConnection, accounts: list[str], home: str = "NL"
) -> list[tuple[str, int, float]]:
    """Payments from the accounts to accounts of another country, per country, as
    ``money.sankey`` counts them: ``(country, count, amount)``."""
    return con.execute(
        """
        SELECT coalesce(p.country, hb.country) AS country, count(*), round(sum(p.amount), 2)
        FROM payment p
        LEFT JOIN account_home hp ON hp.account = p.payer
        LEFT JOIN account_home hb ON hb.account = p.beneficiary
        WHERE p.payer IN (SELECT unnest($a::VARCHAR[])) AND NOT p.is_cash_out
          AND p.beneficiary NOT IN (SELECT unnest($a::VARCHAR[]))
          AND coalesce(p.country, hb.country) <> coalesce(hp.country, $home)
        GROUP BY 1 ORDER BY 3 DESC, 1""",
        {"a": accounts, "home": home},
    ).fetchall()


def patterns_of(con: duckdb.DuckDBPyConnection, accounts: list[str]) -> list[tuple[Any, ...]]:
    if not has_table(con, "money_pattern"):
        return []
    return con.execute(
        """SELECT pattern, account, value, detail, len(evidence) FROM main.money_pattern
           WHERE account IN (SELECT unnest(?::VARCHAR[])) ORDER BY pattern, value DESC""",
        [accounts],
    ).fetchall()


@router.get("/money/{shown_id}")
def money_page(shown_id: str, access: Annotated[Access, Depends(need("view_money"))]) -> Response:
    con = access.con
    entity_id = real_id(access, shown_id)
    table = table_of(con, entity_id)
    if table is None:
        raise HTTPException(404, "No account, person or company has this id in the case.")
    context: dict[str, Any] = {"entity_id": entity_id, "table": table, "community": None}
    if access.state.db.index.has(con, "graph_membership"):
        row = con.execute(
            "SELECT community FROM graph_membership WHERE node = ? LIMIT 1", [entity_id]
        ).fetchone()
        context["community"] = None if row is None else f"community-{row[0]}"
    column = "iban" if table == "bank_account" else "name"
    label = scalar(con, f'SELECT any_value("{column}") FROM "{table}" WHERE id = ?', [entity_id])
    context["label"] = access.masker.field(table, column, label)
    if not has_table(con, "money_flow") or not has_table(con, "transaction"):
        access.audit("view_money", entity_id, table=table, page="money", ran=False)
        return render(access, "money.html", **context, not_run=NOT_RUN)
    access.state.db.index.money(con)
    try:
        accounts = [entity_id] if table == "bank_account" else accounts_of(con, entity_id)
    except MoneyError:
        accounts = []
    access.audit("view_money", entity_id, table=table, page="money", accounts=len(accounts))
    months = monthly(con, accounts) if accounts else []
    hops = flows.trace(con, accounts, hops=TRACE_HOPS, days=TRACE_DAYS) if accounts else []
    return render(
        access,
        "money.html",
        **context,
        not_run=None,
        accounts=accounts,
        months=months,
        bars=chart(months),
        chart={"width": CHART_WIDTH, "height": CHART_HEIGHT, "pad": CHART_PAD},
        counterparties=counterparties(con, accounts) if accounts else [],
        abroad=abroad(con, accounts) if accounts else [],
        patterns=patterns_of(con, accounts) if accounts else [],
        hops=hops[:TRACE_ROWS],
        more_hops=max(0, len(hops) - TRACE_ROWS),
        trace={"hops": TRACE_HOPS, "days": TRACE_DAYS},
    )
