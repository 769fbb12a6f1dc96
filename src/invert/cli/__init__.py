"""The ``invert`` command line: one sub-command per pipeline stage, all on a case workspace.

Every command prints what it did in figures an analyst can check (rows read, loaded and
quarantined), and every failure ends in one message naming the file, row and field at fault
and what to do next, with exit code 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from invert import __version__
from invert.cli.ads import app as ads_app
from invert.cli.audit import app as audit_app
from invert.cli.common import (
    CaseDir,
    audit_export,
    console,
    err,
    progress_line,
    user_errors,
)
from invert.cli.export import export as export_command
from invert.cli.money import app as money_app
from invert.cli.network import app as network_app
from invert.cli.resolve import app as resolve_app
from invert.cli.serve import serve as serve_command
from invert.cli.share import app as share_app
from invert.cli.users import app as users_app
from invert.errors import InvertError

app = typer.Typer(
    help="INVERT: find the companies, workers and money of labour exploitation in case data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"invert {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """INVERT command line."""


@app.command()
def init(
    case_dir: CaseDir,
    name: Annotated[str | None, typer.Option(help="Case name (default: the folder name).")] = None,
    encrypt: Annotated[
        bool,
        typer.Option(
            "--encrypt",
            help="Encrypt the database with the key in INVERT_WORKSPACE_KEY (or the file named "
            "by INVERT_WORKSPACE_KEY_FILE); source files are then not copied into the workspace.",
        ),
    ] = False,
) -> None:
    """Create a case workspace: a DuckDB database, its configuration and a sources folder."""
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.init(case_dir, name, encrypt=encrypt)
    kind = "an encrypted workspace" if encrypt else "workspace"
    console.print(f"Created {kind} [bold]{ws.name}[/] in {ws.path}")
    console.print(f"  database: {ws.db_path}\n  settings: {ws.config_path}")


@app.command()
def ingest(
    case_dir: CaseDir,
    files: Annotated[
        list[Path], typer.Argument(help="Files to ingest, or folders with a sources.yml manifest.")
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", "-m", help="Mapping file (YAML) saying which columns feed which entities."
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Force a format: csv, tsv, xlsx, parquet, jsonl, camt053, mt940, goaml, html_ads.",
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            help="Source id (default: the file name); "
            "ingesting under an existing id replaces that source."
        ),
    ] = None,
) -> None:
    """Ingest files: bank statements and goAML reports natively, anything else via --mapping."""
    from invert.ingest.load import ingest_many
    from invert.workspace import Workspace

    if name and len(files) > 1:
        err.print("[bold red]error:[/] --name applies to one file; give one file or drop --name")
        raise typer.Exit(1)
    from invert.ingest.manifest import expand

    with user_errors():
        ws = Workspace.open(case_dir)
        jobs = [
            job for path in files for job in (expand(path) if path.is_dir() else [(path, mapping)])
        ]
        for result in ingest_many(ws, jobs, fmt, name, progress=progress_line):
            _print_ingest(result)


def _print_ingest(r) -> None:  # type: ignore[no-untyped-def]
    if r.status == "unchanged":
        console.print(
            f"[yellow]{r.file_name}[/]: unchanged (same SHA-256 as source "
            f"'{r.previous}'); nothing to do"
        )
        return
    verb = "replaced" if r.status == "replaced" else "ingested"
    console.print(
        f"[bold green]{r.file_name}[/] {verb} as source '{r.source_id}' "
        f"({r.format}, mapping {r.mapping}) in {r.seconds:.1f} s"
    )
    console.print(f"  read {r.read:,} = loaded {r.loaded:,} + quarantined {r.quarantined:,}")
    if r.entities:
        console.print("  " + ", ".join(f"{n:,} {t}" for t, n in r.entities.items()))
    if r.flagged:
        console.print(
            f"  {r.flagged:,} identifier(s) kept raw and flagged as invalid (see value_flags)"
        )
    if r.quarantined:
        console.print(f"  see the rejected rows: invert quarantine CASE_DIR --source {r.source_id}")


@app.command()
def sources(case_dir: CaseDir) -> None:
    """List the sources in a workspace with their hash and counts."""
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        with ws.connect(read_only=True) as con:
            rows = con.execute(
                "SELECT source_id, format, rows_read, rows_loaded, rows_quarantined, "
                "left(sha256, 8) FROM sources ORDER BY ingested_at, source_id"
            ).fetchall()
    # The source id is what users type next (invert quarantine --source ID): never wrap it.
    table = Table(title=f"Sources in {ws.name}")
    table.add_column(
        "source", no_wrap=True, min_width=min(40, max((len(r[0]) for r in rows), default=6))
    )
    table.add_column("format", no_wrap=True)
    for col in ("read", "loaded", "quarantined"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("sha256", no_wrap=True)
    for row in rows:
        table.add_row(row[0], row[1], *[f"{v:,}" for v in row[2:5]], row[5])
    console.print(table if rows else "No sources yet: run 'invert ingest CASE_DIR FILE'.")


@app.command()
def quarantine(
    case_dir: CaseDir,
    source: Annotated[str | None, typer.Option(help="Only this source id.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many rows.")] = 50,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON Lines with raw values.")
    ] = False,
) -> None:
    """List rejected rows with the file row, the field and the reason."""
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        with ws.connect(read_only=True) as con:
            where, params = ("WHERE source_id = ?", [source]) if source else ("", [])
            total = con.execute(f"SELECT count(*) FROM quarantine {where}", params).fetchone()[0]
            rows = con.execute(
                f"SELECT source_id, source_row, field, reason, raw FROM quarantine {where} "
                f"ORDER BY source_id, source_row LIMIT {int(limit)}",
                params,
            ).fetchall()
    if as_json:
        for row in rows:
            print(
                json.dumps(
                    {
                        "source_id": row[0],
                        "row": row[1],
                        "field": row[2],
                        "reason": row[3],
                        "raw": json.loads(row[4]),
                    },
                    ensure_ascii=False,
                )
            )
        return
    table = Table(title=f"Quarantine: {total:,} row(s)" + (f" of {source}" if source else ""))
    for col in ("source", "row", "field", "reason"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(row[0], str(row[1]), row[2] or "", row[3])
    console.print(table if rows else "Nothing in quarantine.")
    if total > len(rows):
        console.print(f"({total - len(rows):,} more; use --limit or --json)")


@app.command()
def simulate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the region into (new).")],
    size: Annotated[str, typer.Option(help="S, M or L.")] = "S",
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same files.")] = 1,
    profile: Annotated[str, typer.Option(help="general or organised.")] = "general",
    difficulty: Annotated[str, typer.Option(help="easy, realistic or hard.")] = "realistic",
    exercise: Annotated[
        bool,
        typer.Option(
            help="Write a trainee briefing; keep the answer "
            "key in a separate folder OUT-answer-key."
        ),
    ] = False,
) -> None:
    """Build a synthetic region with planted exploitation schemes and its answer key."""
    from invert.simulate import simulate as run_simulation
    from invert.simulate.config import Settings

    with user_errors():
        settings = Settings(size=size.upper(), seed=seed, profile=profile, difficulty=difficulty)
        with progress_line() as step:
            sim = run_simulation(out, settings, exercise=exercise, progress=step)
    console.print(
        f"Simulated region [bold]{size.upper()}[/] (seed {seed}, {profile}, "
        f"{difficulty}) in {sim.seconds:.1f} s: {out}"
    )
    for name, rows in sim.rows.items():
        console.print(f"  {name}: {rows:,} rows")
    total = sum(sim.profit.values())
    console.print(
        f"  {sim.networks} planted network(s); answer key in {sim.answer_key} "
        f"(planted profit {total:,.0f} EUR)"
    )


@app.command()
def analyze(
    case_dir: CaseDir,
    config: Annotated[
        Path | None,
        typer.Option(
            help="Run configuration (TOML): disabled "
            "indicators, parameters, your own catalogue folders."
        ),
    ] = None,
    learn: Annotated[
        bool,
        typer.Option(help="Learn weights from the inspection outcomes in the workspace."),
    ] = True,
    resolution: Annotated[
        bool,
        typer.Option(
            help="Analyse resolved entities (after `invert resolve run`); "
            "--no-resolution treats every source record apart."
        ),
    ] = True,
    engine: Annotated[
        str | None,
        typer.Option(
            help="duckdb or spark (default: [engine] name in the workspace's invert.toml, "
            "else duckdb). Spark runs the indicators; see docs/spark.md."
        ),
    ] = None,
) -> None:
    """Run the indicator catalogue, learn weights from outcomes, and score every lead list."""
    from invert.indicators.run import analyze as run_analysis
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        with progress_line() as step:
            result = run_analysis(
                ws,
                config,
                progress=step,
                learn_weights=learn,
                resolved=resolution,
                engine=engine,
            )
    table = Table(title=f"Indicators run on {ws.name}")
    table.add_column("indicator", no_wrap=True)
    table.add_column("hits", justify="right")
    table.add_column("seconds", justify="right")
    for ind, hits in result.hits.items():
        table.add_row(ind, f"{hits:,}", f"{result.seconds[ind]:.2f}")
    console.print(table)
    console.print("Scored: " + ", ".join(f"{n:,} {k}" for k, n in result.scores.items()))
    if result.ads_unread:
        console.print(
            f"[yellow]{result.ads_unread:,} ads were not read, so no ad indicator could fire: "
            f"run `invert ads run {case_dir}` and analyze again[/]"
        )
    for name, fit in result.learned.items():
        console.print(
            f"Weights for the {name} list learned from {fit.labels} outcomes "
            f"({fit.positives} confirmed); time-ordered validation:"
        )
        for n, f in enumerate(fit.folds, start=1):
            auc = f"{f.roc_auc:.3f}" if f.roc_auc is not None else "n/a"
            ap = f"{f.average_precision:.3f}" if f.average_precision is not None else "n/a"
            console.print(
                f"  fold {n}: train {f.train}, test {f.test}: ROC AUC {auc}, "
                f"AP {ap}, Brier {f.brier:.3f}"
            )
        moved = sorted(fit.weights.items(), key=lambda kv: -kv[1])[:5]
        console.print("  strongest: " + ", ".join(f"{k} {w:.2f}" for k, w in moved))


@app.command()
def leads(
    case_dir: CaseDir,
    subject: Annotated[
        str, typer.Option(help="company, person, child, account or ad.")
    ] = "company",
    top: Annotated[int, typer.Option(help="How many leads to show.")] = 20,
) -> None:
    """The highest-scoring subjects with the reasons behind each score."""
    from invert.scoring import LISTS
    from invert.workspace import Workspace

    if subject not in LISTS:
        err.print(f"[bold red]error:[/] --subject must be one of {', '.join(LISTS)}")
        raise typer.Exit(1)
    with user_errors():
        ws = Workspace.open(case_dir)
        with ws.connect(read_only=True, resolved=True) as con:
            if not con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'score'"
            ).fetchone()[0]:
                raise InvertError(f"{case_dir} has no scores yet; run: invert analyze {case_dir}")
            rows = con.execute(
                """WITH top AS (SELECT subject_id, score, probability, reasons FROM score
                                WHERE list = ? ORDER BY score DESC, subject_id LIMIT ?),
                        names AS (
                            SELECT id, any_value(name) AS name FROM company
                            WHERE id IN (SELECT subject_id FROM top) GROUP BY id
                            UNION ALL
                            SELECT id, any_value(name) FROM person
                            WHERE id IN (SELECT subject_id FROM top) GROUP BY id
                            UNION ALL
                            SELECT id, any_value(coalesce(iban, accountNumber)) FROM bank_account
                            WHERE id IN (SELECT subject_id FROM top) GROUP BY id
                            UNION ALL
                            SELECT id, any_value(coalesce(title, url)) FROM ad
                            WHERE id IN (SELECT subject_id FROM top) GROUP BY id)
                   SELECT t.subject_id, n.name, t.probability, t.reasons
                   FROM top t LEFT JOIN names n ON n.id = t.subject_id
                   ORDER BY t.score DESC, t.subject_id""",
                [subject, top],
            ).fetchall()
    table = Table(title=f"Top {subject} leads in {ws.name}")
    table.add_column("#", justify="right")
    table.add_column("subject", overflow="fold")
    table.add_column("p", justify="right")
    table.add_column("reasons", overflow="fold")
    for k, (sid, name, prob, reasons) in enumerate(rows, start=1):
        why = "; ".join(
            f"{r['indicator']} ({r['contribution']:+.2f}): {r['value']}" for r in reasons[:3]
        )
        table.add_row(str(k), f"{name}\n{sid}" if name else sid, f"{prob:.2f}", why)
    console.print(table if rows else f"No {subject} leads: no indicator fired.")


@app.command()
def explain(
    case_dir: CaseDir,
    entity_id: Annotated[str, typer.Argument(help="Id of a company, person, account or ad.")],
    evidence: Annotated[int, typer.Option(help="Evidence rows to show per reason.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print everything as JSON.")] = False,
) -> None:
    """Why an entity is a lead: reasons, values, parameters and the source rows behind them."""
    from dataclasses import asdict

    from invert.leads.explain import explain as run_explain
    from invert.workspace import Workspace

    with user_errors():
        ex = run_explain(Workspace.open(case_dir), entity_id)
    if as_json:
        print(json.dumps(asdict(ex), default=str, ensure_ascii=False, indent=1))
        return
    console.print(f"[bold]{entity_id}[/] ({ex.table or 'not in an entity table'})")
    for key, value in ex.identity.items():
        if key not in ("source_id", "source_row") and not key.endswith(("_key", "_raw")):
            console.print(f"  {key}: {value}", highlight=False)
    if len(ex.records) > 1:
        console.print(f"  resolved from {len(ex.records)} source records:")
        for rec in ex.records:
            console.print(
                f"    {rec['name']} — {rec['file_name']} row {rec['source_row']} "
                f"({rec['record_id']})",
                highlight=False,
                markup=False,
            )
    for s in ex.scores:
        console.print(
            f"  [bold]{s['list']} list[/]: probability {s['probability']:.3f} "
            f"(log-odds {s['score']:.2f})"
        )
    if not ex.reasons:
        console.print("  No indicator fired for this entity.")
    for r in ex.reasons:
        kind = "context (capped, never sufficient alone)" if r.context else "behaviour"
        console.print(f"\n[bold]{r.indicator}[/] — {r.title} [{kind}]", highlight=False)
        console.print(f"  {r.value}", highlight=False, markup=False)
        console.print(
            f"  strength {r.strength:.2f} × weight {r.weight:.2f} = "
            f"+{r.contribution:.2f} log-odds; parameters "
            f"{json.dumps(r.parameters, ensure_ascii=False)}",
            highlight=False,
            markup=False,
        )
        console.print(f"  sources: {', '.join(r.sources)}", highlight=False, markup=False)
        for ev in r.evidence[:evidence]:
            where = (
                f"{ev.file_name} row {ev.source_row} (sha256 {ev.sha256[:12]}…)"
                if ev.sha256
                else f"source {ev.source_id} row {ev.source_row}"
            )
            console.print(f"    {ev.tbl} {ev.id} ← {where}", highlight=False, markup=False)
        if len(r.evidence) > evidence:
            console.print(f"    … {len(r.evidence) - evidence} more (use --evidence or --json)")


@app.command()
def report(
    case_dir: CaseDir,
    entity_id: Annotated[str, typer.Argument(help="Id of a company, person, account or ad.")],
    out: Annotated[
        Path | None, typer.Option(help="Folder for the pack (default: the current folder).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="html, pdf or both.")] = "both",
    author: Annotated[
        str | None, typer.Option(help="Who generates the pack (default: the OS user).")
    ] = None,
    evidence: Annotated[int, typer.Option(help="Evidence rows to list per indicator.")] = 20,
) -> None:
    """Evidence pack for prosecutors: facts with file, SHA-256 and row, inferences with rules."""
    from invert.report import FORMATS, write_pack
    from invert.workspace import Workspace

    with user_errors():
        if fmt not in FORMATS:
            raise InvertError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
        if evidence < 1:
            raise InvertError(f"--evidence must be at least 1, not {evidence}")
        ws = Workspace.open(case_dir)
        paths = write_pack(ws, entity_id, out or Path.cwd(), fmt, author, evidence)
        audit_export(ws, "export_report", entity_id, {"files": [str(p) for p in paths]})
    for path in paths:
        print(path)  # plain, unwrapped: scripts read the paths


@app.command()
def indicators(
    subject: Annotated[
        str | None, typer.Option(help="Only this subject: company, person, child, account, ad.")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(help="Only entries whose id, title or description contains this text."),
    ] = None,
    config: Annotated[Path | None, typer.Option(help="Run configuration (TOML) to apply.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON Lines.")] = False,
) -> None:
    """The indicator catalogue: what each indicator flags, its sources, parameters and weight."""
    from invert.indicators.catalogue import RunConfig, load_catalogue

    with user_errors():
        entries = load_catalogue(RunConfig.load(config))
    if subject:
        entries = [i for i in entries if i.subject == subject]
    if search:
        needle = search.lower()
        entries = [i for i in entries if needle in f"{i.id} {i.title} {i.description}".lower()]
    if as_json:
        for i in entries:
            print(
                json.dumps(
                    {
                        "id": i.id,
                        "subject": i.subject,
                        "title": i.title,
                        "description": i.description,
                        "weight": i.weight,
                        "context": i.context,
                        "parameters": i.parameters,
                        "sources": [s.__dict__ for s in i.sources],
                    },
                    ensure_ascii=False,
                )
            )
        return
    table = Table(title=f"{len(entries)} indicator(s)")
    for col in ("id", "subject", "weight", "title", "sources", "parameters"):
        table.add_column(col, overflow="fold", no_wrap=col == "id")
    for i in entries:
        table.add_row(
            i.id,
            i.subject,
            f"{i.weight:.1f}" + (" ctx" if i.context else ""),
            i.title,
            ", ".join(f"{s.key} ({s.grade})" for s in i.sources),
            ", ".join(f"{k}={v}" for k, v in i.parameters.items()),
        )
    console.print(table)


@app.command()
def targets(
    case_dir: CaseDir,
    area: Annotated[
        str | None, typer.Option(help="City, region, postcode prefix or part of the address.")
    ] = None,
    sector: Annotated[
        str | None, typer.Option(help="NACE code prefix, e.g. F, I56, A01.1.")
    ] = None,
    top: Annotated[int, typer.Option(help="How many workplaces.")] = 50,
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx (with --out).")] = "csv",
    out: Annotated[Path | None, typer.Option(help="Write the list to this file.")] = None,
    victim_probability: Annotated[
        float,
        typer.Option(
            help="Person score probability from which a worker counts as a potential victim."
        ),
    ] = 0.5,
) -> None:
    """Inspection targets for a joint action day: workplaces ranked by risk, grouped by area."""
    from invert.leads.targets import TargetFilter, write
    from invert.leads.targets import targets as run_targets
    from invert.workspace import Workspace

    if fmt not in ("csv", "xlsx"):
        err.print("[bold red]error:[/] --format must be csv or xlsx")
        raise typer.Exit(1)
    with user_errors():
        rows = run_targets(
            Workspace.open(case_dir), TargetFilter(area, sector, top, victim_probability)
        )
        if out:
            write(rows, out, fmt)
    if out:
        console.print(f"Wrote {len(rows)} workplace(s) to {out}")
        return
    if not rows:
        console.print("No workplace matches.")
    area_now = None
    for r in rows:
        if r["area"] != area_now:
            area_now = r["area"]
            console.print(f"\n[bold]{area_now}[/]")
        console.print(
            f"  {r['rank_in_area']:>2}. p={r['probability']:.2f}  "
            f"{r['employer'] or r['employer_id']} ({r['sector'] or 'sector unknown'}) "
            f"at {r['workplace']}: {r['workers']} worker(s), "
            f"{r['potential_victims']} potential victim(s)",
            highlight=False,
            markup=False,
        )
        if r["top_reasons"]:
            console.print(f"      {r['top_reasons']}", highlight=False, markup=False)


@app.command()
def evaluate(
    case_dir: CaseDir,
    truth: Annotated[
        Path,
        typer.Option(
            help="The answer key of a simulated region (REGION/truth or REGION-answer-key)."
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(help="Write the figures as JSON here (default CASE_DIR/evaluation.json)."),
    ] = None,
) -> None:
    """Measure the leads against a simulated region's answer key (the only reader of it)."""
    from invert.evaluate import (
        CONTROLLER_TOP,
        TARGET_PRECISION,
        ads,
        network_recovery,
        resolution,
        write_json,
    )
    from invert.evaluate import evaluate as run_evaluation
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        results = run_evaluation(ws, truth)
        pairs = resolution(ws, truth)
        networks = network_recovery(ws, truth)
        ad_figures = ads(ws, truth, networks)
    table = Table(title="Leads against the answer key")
    columns = (
        "list",
        "planted",
        "scored",
        "P@k",
        "P@10",
        "P@50",
        "AP",
        "ROC AUC",
        "recall",
        f"recall@P≥{TARGET_PRECISION:.2f}",
    )
    for col in columns:
        table.add_column(col, justify="right" if col != "list" else "left")
    for name, m in results.items():
        table.add_row(
            name,
            str(m.planted),
            str(m.ranked),
            f"{m.precision_at_k:.3f}",
            *(f"{v:.3f}" for v in m.precision_at.values()),
            f"{m.average_precision:.3f}",
            f"{m.roc_auc:.3f}",
            f"{m.recall:.3f}",
            f"{m.recall_at_precision:.3f}",
        )
    console.print(table)
    for key, value in results["company"].extra.items():
        console.print(
            f"  company {key}: {value:.3f}"
            if "recall" in key or "fpr" in key
            else f"  company {key}: {value:.0f}"
        )
    if results["child"].extra.get("no_birth_date"):
        console.print(
            f"  child: {results['child'].extra['no_birth_date']:.0f} planted child(ren) with no "
            "birth date in any record (out of reach of every age rule)"
        )
    if "account" in results and results["account"].extra.get("controllers"):
        extra = results["account"].extra
        console.print(
            f"Controller accounts: {extra['controllers_in_top']:.0f} of "
            f"{extra['controllers']:.0f} ranked in the top {CONTROLLER_TOP:.0%} of accounts"
        )
    for kind, p in pairs.items():
        console.print(
            f"Entity resolution, {kind}: pairwise precision {p.precision:.4f}, "
            f"recall {p.recall:.4f}, F1 {p.f1:.4f} ({p.records:,} records, "
            f"{p.true_pairs:,} true pairs)"
        )
    if not pairs:
        console.print(f"Entity resolution not measured: run `invert resolve run {case_dir}`")
    if networks:
        recovered = [n for n in networks if n.recovered]
        console.print(
            f"Networks: {len(recovered)} of {len(networks)} planted networks recovered as one "
            f"community (≥ 90% of members, ≤ 20% outsiders); mean member recall "
            f"{sum(n.recall for n in networks) / len(networks):.3f}, mean outsider share "
            f"{sum(n.outsiders for n in networks) / len(networks):.3f}"
        )
        errors = [n.profit_error for n in networks if n.profit_error is not None]
        if errors:
            within = sum(abs(e) <= 0.15 for e in errors)
            console.print(
                f"Profit: {within} of {len(errors)} networks estimated within ±15% of the answer "
                f"key; median error {sorted(errors)[len(errors) // 2]:+.1%}"
            )
            recorded = [
                n.profit_error_recorded for n in networks if n.profit_error_recorded is not None
            ]
            if recorded:
                console.print(
                    f"  of what the files record (hours as the payroll states them, payments a "
                    f"reporting bank shows): {sum(abs(e) <= 0.15 for e in recorded)} of "
                    f"{len(recorded)} within ±15%; median error "
                    f"{sorted(recorded)[len(recorded) // 2]:+.1%}"
                )
        for n in networks:
            if not n.recovered:
                console.print(
                    f"  {n.network}: {n.found} of {n.members} members in one community of "
                    f"{n.community_size} people and firms"
                )
    else:
        console.print(f"Networks not measured: run `invert network build {case_dir}`")
    if ad_figures:
        for name, p in (
            ("text clusters", ad_figures.text_clusters),
            ("posters", ad_figures.posters),
        ):
            console.print(
                f"Ad {name}: pairwise precision {p.precision:.3f}, recall {p.recall:.3f} "
                f"({p.records:,} planted ads, {p.true_pairs:,} true pairs)"
            )
        console.print(
            f"Recruitment campaigns linked to their network's community: "
            f"{ad_figures.campaigns_linked} of {ad_figures.campaigns}"
        )
    target = out or Path(case_dir) / "evaluation.json"
    write_json(results, target, pairs, networks, ad_figures)
    console.print(f"Figures written to {target}")


app.add_typer(resolve_app, name="resolve")
app.add_typer(ads_app, name="ads")
app.add_typer(network_app, name="network")
app.add_typer(money_app, name="money")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(share_app, name="share")
app.command("export")(export_command)
app.command("serve")(serve_command)
