"""Exports of the entity graph for the tools investigators already use.

``export`` writes the whole graph, one community, or the neighbourhood of an entity (see
``subgraph``) in one of ``FORMATS``: FollowTheMoney JSON lines, GraphML, GEXF, i2 Analyst's
Notebook chart exchange XML or an Excel workbook. Each export is recorded as a run of the
``export`` stage (format, file, selection, counts), since it takes personal data out of the case.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from invert.export import anx, ftm, gexf, graphml, subgraph, xlsx
from invert.export.subgraph import ExportError
from invert.workspace import Workspace

Writer = Callable[[duckdb.DuckDBPyConnection, Path], None]
FORMATS: dict[str, Writer] = {
    "ftm": ftm.write,
    "graphml": graphml.write,
    "gexf": gexf.write,
    "anx": anx.write,
    "xlsx": xlsx.write,
}

__all__ = ["FORMATS", "ExportError", "ExportResult", "export"]


@dataclass
class ExportResult:
    path: Path
    nodes: int
    edges: int
    seconds: float


def export(
    ws: Workspace,
    fmt: str,
    out: Path,
    community: int | None = None,
    entity: str | None = None,
    hops: int = 2,
) -> ExportResult:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportError(f"the folder {out.parent} does not exist; create it or choose another")
    started = time.time()
    with ws.connect(resolved=True, follow_analysis=False) as con:
        nodes, edges = subgraph.select(con, ws.path, community, entity, hops)
        FORMATS[fmt](con, out)
        ws.record_run(
            con,
            "export",
            started,
            {
                "format": fmt,
                "out": str(out),
                "community": community,
                "entity": entity,
                "hops": hops if entity else None,
            },
            {"nodes": nodes, "edges": edges},
        )
    return ExportResult(out, nodes, edges, time.time() - started)
