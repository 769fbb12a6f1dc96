"""``invert share``: a pseudonymised package for a joint investigation team, and its key.

``invert share CASE_DIR OUT`` is short for ``invert share create CASE_DIR OUT``: the group
passes anything that is not one of its sub-commands to ``create``, so the everyday command
stays one word while ``keygen`` lives beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import click
import typer
from typer.core import TyperGroup

from invert.cli.common import CaseDir, audit_export, console, user_errors
from invert.share.keys import ENV_VAR


class DefaultCreate(TyperGroup):
    """Run ``create`` when the first argument is not a sub-command (a case folder)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["create", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=DefaultCreate,
    help="Pseudonymised packages for partners. `invert share CASE_DIR OUT --key-file KEY` "
    "is short for `invert share create ...`.",
    no_args_is_help=True,
)


@app.command("create")
def create(
    case_dir: CaseDir,
    out: Annotated[
        Path, typer.Argument(help="Folder to write (new or empty), or a file ending in .zip.")
    ],
    key_file: Annotated[
        Path | None,
        typer.Option(help=f"File holding the secret key (default: the variable {ENV_VAR})."),
    ] = None,
    lead_list: Annotated[
        str, typer.Option("--list", help="Lead list --top takes from: company, person, ...")
    ] = "company",
    top: Annotated[
        int | None, typer.Option(help="Only the top N leads of --list and their neighbourhood.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only this entity (or record) id and its neighbourhood.")
    ] = None,
    hops: Annotated[int, typer.Option(help="Network ties to follow from --top or --entity.")] = 2,
    company_names: Annotated[
        bool,
        typer.Option(
            help="Keep company names and registration numbers in clear (public registers)."
        ),
    ] = True,
) -> None:
    """Write a package with keyed pseudonyms for names, birth dates, phones, IBANs, addresses.

    Partners who hold the same key link records across packages by equal pseudonyms."""
    from invert.share import Selection, share
    from invert.share.keys import load
    from invert.workspace import Workspace

    with user_errors():
        key = load(key_file)
        ws = Workspace.open(case_dir)
        r = share(ws, out, key, Selection(lead_list, top, entity, hops), company_names)
        audit_export(
            ws,
            "share_package",
            entity,
            {"path": str(r.path), "key_fingerprint": r.fingerprint, "rows": r.rows},
        )
    console.print(f"Wrote {r.path} ({r.seconds:.1f} s), key fingerprint {r.fingerprint}")
    console.print("  " + ", ".join(f"{n:,} {name}" for name, n in r.rows.items()))


@app.command("keygen")
def keygen(
    key_file: Annotated[Path, typer.Argument(help="File to create (readable by you only).")],
) -> None:
    """Create a new random key; give it to partners by a separate, secure channel."""
    from invert.share.keys import generate

    with user_errors():
        fingerprint = generate(key_file)
    console.print(f"Wrote a new key to {key_file} (fingerprint {fingerprint}); keep it secret")
