"""``invert resolve``: run entity resolution, explain a pair, record an analyst's judgement."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.table import Table

from invert.cli.common import CaseDir, console, progress_line, user_errors

app = typer.Typer(
    help="Entity resolution: one identity per real person, company and account.",
    no_args_is_help=True,
)


@app.command("run")
def run(
    case_dir: CaseDir,
    threshold: Annotated[
        float, typer.Option(help="Match probability from which two records are one entity.")
    ] = 0.9,
    retrain: Annotated[
        bool, typer.Option(help="Estimate the models again instead of reusing the saved ones.")
    ] = False,
    engine: Annotated[
        str | None,
        typer.Option(help="duckdb or spark: where the pairs are scored (docs/spark.md)."),
    ] = None,
) -> None:
    """Resolve companies, people and accounts into entities (re-runnable; ids stay stable)."""
    from invert.resolve import resolve
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        with progress_line() as step:
            r = resolve(ws, threshold=threshold, retrain=retrain, progress=step, engine=engine)
    table = Table(title=f"Entity resolution on {ws.name} (threshold {threshold})")
    for column in ("kind", "records", "entities", "scored pairs", "seconds"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, n in r.records.items():
        table.add_row(
            kind,
            f"{n:,}",
            f"{r.entities.get(kind, 0):,}",
            f"{r.pairs.get(kind, 0):,}" if kind in r.pairs else "by IBAN",
            f"{r.seconds.get(kind, 0):.1f}",
        )
    console.print(table)
    if r.trained:
        console.print("Models estimated without labels: " + ", ".join(r.trained))
    if r.shared_identifiers:
        console.print(
            f"{r.shared_identifiers:,} phone(s)/e-mail(s) shared by several people were not "
            "used to merge anyone (table shared_identifier)"
        )


@app.command("explain")
def explain(case_dir: CaseDir, id_a: str, id_b: str) -> None:
    """Why two records are (or are not) one entity: the weight of each compared field."""
    from invert.resolve.explain import explain_pair
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        with ws.connect(read_only=False) as con:
            e = explain_pair(con, id_a, id_b)
    table = Table(title=f"{e.kind} {id_a} vs {id_b}")
    for column in ("field", "left", "right", "level", "weight (log2)"):
        table.add_column(column, justify="right" if column.startswith("weight") else "left")
    table.add_row("prior", "", "", "two random records", f"{e.prior:+.2f}")
    for f in e.fields:
        table.add_row(f.field, str(f.left), str(f.right), f.level, f"{f.weight:+.2f}")
    table.add_row("total", "", "", "", f"{e.match_weight:+.2f}")
    console.print(table)
    console.print(
        f"match probability {e.match_probability:.4f}; "
        f"same entity now: {'yes' if e.same_entity else 'no'}"
    )
    if e.judgement:
        console.print(f"analyst's judgement: {e.judgement}")


@app.command("judge")
def judge(
    case_dir: CaseDir,
    id_a: str,
    id_b: str,
    decision: Annotated[str, typer.Argument(help="same, different or unsure")],
    by: Annotated[str, typer.Option(help="Who decides (defaults to the login name).")] = "",
    note: Annotated[str, typer.Option(help="Why, in a few words.")] = "",
) -> None:
    """Record that two records are the same entity, different ones, or that you are unsure.

    The decision wins over the match score from the next `invert resolve run` on.
    """
    from invert.resolve.judgements import judge as store
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        with ws.connect() as con:
            kind = store(con, id_a, id_b, decision, by or getpass.getuser(), note)
    console.print(
        f"{kind} records {id_a} and {id_b}: '{decision}' recorded; "
        f"run `invert resolve run {case_dir}` to apply it"
    )
