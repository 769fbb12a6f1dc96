"""What every command shares: the consoles, the one way errors are printed, a progress line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from invert.errors import InvertError

if TYPE_CHECKING:
    from invert.workspace import Workspace

console = Console()
err = Console(stderr=True)

CaseDir = Annotated[Path, typer.Argument(help="Case workspace directory.")]


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn INVERT's own errors into one clear message and exit code 1 (no traceback)."""
    try:
        yield
    except InvertError as exc:
        err.print(f"[bold red]error:[/] {exc.message}", highlight=False)
        for problem in exc.problems:
            err.print(f"  - {problem}", highlight=False, markup=False)
        raise typer.Exit(1) from exc


@contextmanager
def progress_line() -> Iterator[typer.Typer]:
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with bar:
        task = bar.add_task("starting")
        yield lambda text: bar.update(task, description=text)  # type: ignore[misc]


def audit_export(ws: Workspace, action: str, subject: str | None, detail: dict) -> None:
    """Record in the audit log that personal data left the workspace from the command line,
    under the name of the system account that ran the command (the command line has no INVERT
    login)."""
    import getpass

    from invert.security import audit

    with ws.connect() as con:
        audit.record(con, getpass.getuser(), action, subject, {**detail, "via": "cli"})
