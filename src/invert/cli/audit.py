"""``invert audit``: check that the audit log is as it was written, and read it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from invert.cli.common import CaseDir, console, err, user_errors

app = typer.Typer(
    help="The audit log: who viewed, searched, exported or changed what; verify its chain.",
    no_args_is_help=True,
)


@app.callback()
def main(ctx: typer.Context, case_dir: CaseDir) -> None:
    """The audit log of the case workspace CASE_DIR."""
    ctx.obj = Path(case_dir)


@app.command("verify")
def verify_cmd(ctx: typer.Context) -> None:
    """Check every row's hash chain and the head file; exit 1 naming the first broken row."""
    from invert.security import audit
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(ctx.obj)
        with ws.connect(read_only=True) as con:
            check = audit.verify(con)
    if not check.intact:
        problem = escape(check.problem or "")
        err.print(f"[bold red]audit log broken at row {check.broken_seq}:[/] {problem}")
        raise typer.Exit(1)
    if not check.rows:
        console.print("Audit log intact: empty.")
        return
    console.print(
        f"Audit log intact: {check.rows:,} rows. Head: row {check.head_seq}, "
        f"hash {check.head_hash} (keep a copy elsewhere to detect a rewrite of the whole log)."
    )


@app.command("show")
def show_cmd(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option(help="One user's rows only.")] = None,
    last: Annotated[int, typer.Option(help="How many of the latest rows.")] = 50,
) -> None:
    """The latest rows of the audit log, oldest first."""
    from invert.security import audit
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(ctx.obj)
        with ws.connect(read_only=True) as con:
            rows = audit.entries(con, user=user, last=last)
    table = Table(title=f"Audit log of {ctx.obj}")
    for column in ("seq", "at (UTC)", "user", "action", "subject", "detail"):
        table.add_column(column, justify="right" if column == "seq" else "left")
    for e in rows:
        table.add_row(
            str(e.seq),
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            e.user,
            e.action,
            e.subject or "",
            json.dumps(e.detail, ensure_ascii=False),
        )
    console.print(table)
    if not rows:
        console.print("No audit rows" + (f" for {user}." if user else "."))
