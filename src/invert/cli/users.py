"""``invert users``: who may use the case, in which role, and which cases they may open.

Every change is written to the audit log under the name of the system account that ran the
command, since the command line has no INVERT login of its own.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from invert.cli.common import CaseDir, console, user_errors

if TYPE_CHECKING:
    import duckdb

    from invert.workspace import Workspace

    # A change gets the connection and the workspace; it returns its result and the audit detail.
    Change = Callable[[duckdb.DuckDBPyConnection, Workspace], tuple[Any, dict[str, str]]]

app = typer.Typer(
    help="Users of a case: add them, change their role, disable them, grant them cases.",
    no_args_is_help=True,
)

CaseOption = Annotated[
    str | None, typer.Option("--case", help="Case name (default: this workspace's case).")
]


@app.callback()
def main(ctx: typer.Context, case_dir: CaseDir) -> None:
    """Users of the case workspace CASE_DIR."""
    ctx.obj = Path(case_dir)


def _change(ctx: typer.Context, action: str, name: str, change: Change) -> Any:
    """Run ``change`` on the workspace and record the action, its user and its detail in the
    audit log; returns what ``change`` returns besides the detail."""
    from invert.security import audit
    from invert.workspace import Workspace

    ws = Workspace.open(ctx.obj)
    with ws.connect() as con:
        result, detail = change(con, ws)
        audit.record(con, getpass.getuser(), action, name, {**detail, "via": "cli"})
    return result


@app.command("add")
def add_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option(help="admin, analyst, inspector, prosecutor or viewer.")],
) -> None:
    """Add a user with a generated password, printed this once only."""
    from invert.security import users

    with user_errors():
        password = _change(
            ctx, "add_user", name, lambda con, ws: (users.add_user(con, name, role), {"role": role})
        )
    console.print(f"Added {name} as {role}. Password (shown only now): {password}", markup=False)


@app.command("list")
def list_cmd(ctx: typer.Context) -> None:
    """Every user: role, whether disabled, when added, the cases granted."""
    from invert.security import users
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(ctx.obj)
        with ws.connect() as con:
            rows = [(u, users.cases_of(con, u.name)) for u in users.list_users(con)]
    table = Table(title=f"Users of {ctx.obj}")
    for column in ("name", "role", "status", "added", "cases"):
        table.add_column(column)
    for u, cases in rows:
        status = "disabled" if u.disabled else "active"
        table.add_row(u.name, u.role, status, f"{u.created_at:%Y-%m-%d %H:%M}", ", ".join(cases))
    console.print(table)
    if not rows:
        console.print("No users yet: add one with `invert users CASE_DIR add NAME --role admin`.")


@app.command("role")
def role_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Argument(help="The new role.")],
) -> None:
    """Change a user's role."""
    from invert.security import users

    with user_errors():
        _change(
            ctx, "set_role", name, lambda con, ws: (users.set_role(con, name, role), {"role": role})
        )
    console.print(f"{name} is now {role}.")


@app.command("disable")
def disable_cmd(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="User name.")]
) -> None:
    """Stop a user from logging in (the user stays listed, and in the audit log)."""
    from invert.security import users

    with user_errors():
        _change(ctx, "disable_user", name, lambda con, ws: (users.disable_user(con, name), {}))
    console.print(f"{name} is disabled.")


def _membership(ctx: typer.Context, action: str, name: str, case: str | None, grant: bool) -> str:
    from invert.security import users

    def change(con: duckdb.DuckDBPyConnection, ws: Workspace) -> tuple[str, dict[str, str]]:
        chosen = case or ws.name
        (users.grant_case if grant else users.revoke_case)(con, name, chosen)
        return chosen, {"case": chosen}

    return _change(ctx, action, name, change)


@app.command("grant")
def grant_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name.")],
    case: CaseOption = None,
) -> None:
    """Let a user open a case (needed by inspectors, prosecutors and viewers)."""
    with user_errors():
        chosen = _membership(ctx, "grant_case", name, case, grant=True)
    console.print(f"{name} may open case {chosen}.")


@app.command("revoke")
def revoke_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name.")],
    case: CaseOption = None,
) -> None:
    """Take a case away from a user."""
    with user_errors():
        chosen = _membership(ctx, "revoke_case", name, case, grant=False)
    console.print(f"{name} may no longer open case {chosen}.")
