"""The network stage: the graph of resolved entities, its components and communities.

``build`` runs ``graph.build`` (nodes and edges from the canonical model's edge declarations)
then ``communities.detect`` (components, Leiden communities, degree and PageRank), on the
resolved entities when resolution has run, and records the run with its parameters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

from invert.errors import InvertError
from invert.network import communities, graph
from invert.workspace import Workspace


@dataclass
class NetworkResult:
    graph: graph.GraphCounts
    communities: communities.CommunityCounts
    seconds: dict[str, float]


def build(
    ws: Workspace,
    resolution: float = communities.DEFAULT_RESOLUTION,
    hub_degree: int = communities.DEFAULT_HUB_DEGREE,
    progress: Callable[[str], None] = lambda _s: None,
    engine: str | None = None,
) -> NetworkResult:
    """The graph (on Spark when ``engine`` or the workspace's ``[engine] name`` says so), then
    its components and communities (igraph, on the graph as stored)."""
    engine = engine or ws.setting("engine", "name", "duckdb")
    if engine not in ("duckdb", "spark"):
        raise InvertError(f"unknown engine {engine!r} in {ws.config_path}: use duckdb or spark")
    if resolution <= 0:
        raise ValueError(f"the community resolution must be above 0, not {resolution}")
    if hub_degree < 2:
        raise ValueError(f"the hub degree must be at least 2, not {hub_degree}")
    started = time.time()
    seconds: dict[str, float] = {}
    with ws.connect(resolved=True, follow_analysis=False) as con, ExitStack() as stack:
        tables = None
        if engine == "spark":
            from invert.spark import session
            from invert.spark.tables import SparkTables

            progress("starting Spark")
            spark = session.for_stage(ws, stack)
            tables = SparkTables(spark, con, session.data_folder(ws))
        progress("graph: nodes and edges")
        t = time.time()
        counts = graph.build(con, ws.model, tables)
        seconds["graph"] = time.time() - t
        progress("graph: components and communities")
        t = time.time()
        found = communities.detect(con, resolution=resolution, hub_degree=hub_degree)
        seconds["communities"] = time.time() - t
        ws.record_run(
            con,
            "network",
            started,
            {
                "resolution": resolution,
                "hub_degree": hub_degree,
                "engine": engine,
                "objective": communities.OBJECTIVE,
                "tie_weights": communities.TIE_WEIGHTS,
            },
            {
                "nodes": counts.nodes,
                "edges": counts.edges,
                "components": found.components,
                "communities": found.communities,
            },
        )
    return NetworkResult(counts, found, seconds)
