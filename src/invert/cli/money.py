"""``invert money``: trace money, find money patterns, estimate each network's profit."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from invert.cli.common import CaseDir, console, progress_line, user_errors

app = typer.Typer(
    help="Money flows: traces, patterns (fan-in, pass-through, cycles...) and profit estimates.",
    no_args_is_help=True,
)


@app.callback()
def main(ctx: typer.Context, case_dir: CaseDir) -> None:
    """Money in the case workspace CASE_DIR."""
    ctx.obj = Path(case_dir)


def _open(ctx: typer.Context):
    from invert.workspace import Workspace

    return Workspace.open(ctx.obj)


@app.command("flows")
def flows_cmd(
    ctx: typer.Context,
    engine: Annotated[
        str | None,
        typer.Option(
            help="duckdb or spark: where payments are aggregated and patterns found "
            "(default: [engine] name in invert.toml; docs/spark.md)."
        ),
    ] = None,
) -> None:
    """Aggregate payments per account pair and month, then run every pattern detector."""
    from invert.money.stage import run

    with user_errors():
        ws = _open(ctx)
        with progress_line() as step:
            result = run(ws, engine=engine, progress=step)
    console.print(
        f"{result.flows:,} monthly account-pair flows in {result.seconds['flows']:.1f} s"
        + (" on Spark" if result.engine == "spark" else "")
    )
    _counts(result.patterns, sum(result.seconds.values()))


def _counts(counts: dict[str, int], seconds: float) -> None:
    table = Table(title=f"Money patterns ({seconds:.1f} s in all)")
    table.add_column("pattern")
    table.add_column("accounts", justify="right")
    for pid, n in counts.items():
        table.add_row(pid, f"{n:,}")
    console.print(table)


@app.command("trace")
def trace_cmd(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(help="Account id, IBAN, or person/company entity id.")],
    direction: Annotated[str, typer.Option(help="out (where it went) or in (where from).")] = "out",
    hops: Annotated[int, typer.Option(help="How many payments to follow.")] = 3,
    days: Annotated[int, typer.Option(help="Days within which money moves on at each hop.")] = 30,
    min_amount: Annotated[float, typer.Option(help="Ignore payments below this amount.")] = 0,
    top: Annotated[int, typer.Option(help="Rows shown per hop.")] = 15,
) -> None:
    """Follow money from an account (or every account of a person or company) hop by hop."""
    from invert.money import flows

    with user_errors():
        ws = _open(ctx)
        with ws.connect(resolved=True, follow_analysis=False) as con:
            rows = flows.trace(con, start, direction, hops, days, min_amount)
    table = Table(title=f"Money {direction} of {start}: {hops} hops, {days} days each")
    for column in ("hop", "payer", "beneficiary", "amount", "first", "last", "payments"):
        table.add_column(column, justify="right" if column in ("hop", "amount") else "left")
    shown: dict[int, int] = {}
    for r in rows:
        shown[r.hop] = shown.get(r.hop, 0) + 1
        if shown[r.hop] <= top:
            table.add_row(
                str(r.hop),
                r.payer,
                r.beneficiary,
                f"{r.amount:,.2f}",
                str(r.first_date),
                str(r.last_date),
                str(len(r.transactions)),
            )
    console.print(table)
    if not rows:
        console.print("No payments found from there.")


@app.command("patterns")
def patterns_cmd(
    ctx: typer.Context,
    pattern: Annotated[str | None, typer.Option(help="Show one pattern only.")] = None,
    top: Annotated[int, typer.Option(help="Accounts shown per pattern.")] = 10,
    run: Annotated[bool, typer.Option(help="Run the detectors again first.")] = False,
) -> None:
    """The accounts each money pattern found, highest value first."""
    from invert.money import MoneyError, flows, patterns

    with user_errors():
        if pattern is not None and pattern not in patterns.PATTERNS:
            raise MoneyError(
                f"unknown pattern {pattern!r}; choose from {', '.join(patterns.PATTERNS)}"
            )
        ws = _open(ctx)
        with ws.connect(resolved=True, follow_analysis=False) as con:
            have = con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE NOT temporary "
                "AND table_name = 'money_pattern'"
            ).fetchone()[0]
            if run or not have:
                started = time.time()
                n = flows.build(con)
                counts = patterns.detect(con)
                ws.record_run(con, "money", started, {}, {"money_flow": n, **counts})
            rows = con.execute(
                """SELECT pattern, account, value, detail, len(evidence) FROM main.money_pattern
                   WHERE pattern = coalesce(?, pattern)
                   QUALIFY row_number() OVER (PARTITION BY pattern ORDER BY value DESC,
                                              account) <= ?
                   ORDER BY pattern, value DESC, account""",
                [pattern, top],
            ).fetchall()
    for pid in dict.fromkeys(r[0] for r in rows):
        table = Table(title=f"{pid}: {patterns.PATTERNS[pid].title}")
        for column in ("account", "value", "what was found", "rows"):
            table.add_column(column, justify="right" if column in ("value", "rows") else "left")
        for r in rows:
            if r[0] == pid:
                table.add_row(r[1], f"{r[2]:,.2f}", r[3], str(r[4]))
        console.print(table)
    if not rows:
        console.print("No account shows these patterns.")


@app.command("profit")
def profit_cmd(
    ctx: typer.Context,
    network: Annotated[str | None, typer.Option(help="One network only.")] = None,
    by: Annotated[
        str | None,
        typer.Option(
            help="Networks: 'community' (the graph's communities; the default once `invert "
            "network build` has run), 'company' (each employer with its staff; the default "
            "before) or a table/SELECT of (network, kind, entity_id)."
        ),
    ] = None,
    market_rent: Annotated[
        float, typer.Option(help="Housing a worker may fairly be charged a month.")
    ] = 0.0,
    top: Annotated[int, typer.Option(help="Networks shown, largest total first.")] = 10,
) -> None:
    """Each network's estimated profit: unpaid wages, deductions, confiscated wages, fees."""
    from invert.money import profit

    with user_errors():
        ws = _open(ctx)
        with ws.connect(resolved=True, follow_analysis=False) as con:
            if by is None:
                built = con.execute(
                    "SELECT count(*) FROM information_schema.tables "
                    "WHERE table_name = 'graph_membership'"
                ).fetchone()[0]
                by = "community" if built else "company"
                console.print(f"Networks by {by}" + ("" if built else " (no graph built yet)"))
            members = f"by {by}" if by in ("company", "community") else by
            started = time.time()
            figures = profit.estimate(con, members, {"market_rent": market_rent}, network)
            ws.record_run(
                con,
                "profit",
                started,
                {"by": by, "market_rent": market_rent},
                {"networks": len({f.network for f in figures})},
            )
    totals = {f.network: f.amount for f in figures if f.component == "total"}
    chosen = sorted(totals, key=lambda n: (-totals[n], n))[:top]
    table = Table(title="Estimated profit per network (table network_profit has the evidence)")
    for column in ("network", *profit.COMPONENTS, "total"):
        table.add_column(column, justify="left" if column == "network" else "right")
    by_network = {(f.network, f.component): f.amount for f in figures}
    for n in chosen:
        table.add_row(
            n, *(f"{by_network.get((n, c), 0):,.2f}" for c in (*profit.COMPONENTS, "total"))
        )
    console.print(table)
    if network is not None:
        for f in figures:
            console.print(f"  {f.component}: {f.amount:,.2f} — {f.computation}")
