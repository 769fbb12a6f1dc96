"""``invert export``: the entity graph, or part of it, as a file for other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from invert.cli.common import CaseDir, audit_export, console, user_errors


def export(
    case_dir: CaseDir,
    fmt: Annotated[
        str, typer.Option("--format", help="ftm, graphml, gexf, anx (i2 Notebook) or xlsx.")
    ],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    community: Annotated[
        int | None, typer.Option(help="Only this community (see `invert network communities`).")
    ] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only the neighbourhood of this entity (or record) id.")
    ] = None,
    hops: Annotated[int, typer.Option(help="Ties to follow from --entity.")] = 2,
) -> None:
    """Export the network (whole, one community, or an entity's neighbourhood)."""
    from invert.export import export as run_export
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        r = run_export(ws, fmt, out, community=community, entity=entity, hops=hops)
        audit_export(
            ws, "export_report", entity, {"format": fmt, "path": str(r.path), "nodes": r.nodes}
        )
    console.print(
        f"Wrote {r.path}: {r.nodes:,} nodes, {r.edges:,} edges ({fmt}, {r.seconds:.1f} s)"
    )
