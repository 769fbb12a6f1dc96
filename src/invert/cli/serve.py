"""``invert serve``: the web workspace of one case on this machine.

The first start of a workspace without users creates ``admin`` and prints its password once,
so nobody has to run a second command before they can log in; only its hash is kept.
"""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from invert.cli.common import CaseDir, console, user_errors


def first_admin(case_dir: CaseDir) -> str | None:
    """Create ``admin`` when the workspace has no user yet; returns its password, else None."""
    from invert.security import audit, users
    from invert.workspace import Workspace

    ws = Workspace.open(case_dir)
    with ws.connect() as con:
        if users.list_users(con):
            return None
        password = users.add_user(con, "admin", "admin")
        audit.record(con, getpass.getuser(), "add_user", "admin", {"role": "admin", "via": "serve"})
    return password


def serve(
    case_dir: CaseDir,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool | None,
        typer.Option(
            "--secure-cookies/--no-secure-cookies",
            help="Send the session cookie over https only (turn on behind an https proxy; "
            "default: INVERT_WEB_SECURE_COOKIES).",
        ),
    ] = None,
) -> None:
    """Serve the case's web workspace: leads, entity profiles, case files, search, audit log."""
    import uvicorn

    from invert.web.app import create_app
    from invert.web.settings import Settings

    with user_errors():
        password = first_admin(case_dir)
        app = create_app(case_dir, Settings.from_env(case_dir, secure_cookies))
    if password:
        console.print(
            f"Created the user admin. Password (shown only now): {password}", markup=False
        )
    console.print(f"Serving {case_dir} on http://{host}:{port}/ (Ctrl+C stops)", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")
