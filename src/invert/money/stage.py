"""The money stage as ``invert money CASE flows`` runs it: payments aggregated into monthly
flows between accounts, then every pattern detector, on DuckDB or on Spark, recorded in
``runs``."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field

from invert.errors import InvertError
from invert.money import flows, patterns
from invert.workspace import Workspace

ENGINES = ("duckdb", "spark")


@dataclass
class MoneyResult:
    flows: int
    patterns: dict[str, int]
    engine: str
    seconds: dict[str, float] = field(default_factory=dict)


def run(
    ws: Workspace,
    engine: str | None = None,
    progress: Callable[[str], None] = lambda _s: None,
) -> MoneyResult:
    """Flows then patterns; ``engine`` ("duckdb" or "spark") overrides the workspace's
    ``[engine] name`` (on Spark see ``invert.spark.money``)."""
    engine = engine or ws.setting("engine", "name", "duckdb")
    if engine not in ENGINES:
        raise InvertError(f"unknown engine {engine!r} in {ws.config_path}: use one of {ENGINES}")
    started = time.time()
    seconds: dict[str, float] = {}
    with ws.connect(resolved=True, follow_analysis=False) as con, ExitStack() as stack:
        if engine == "spark":
            from invert.spark.money import SparkMoney

            progress("starting Spark")
            spark = SparkMoney.start(ws, con, stack)
            progress("flows")
            n = spark.flows()
            seconds["flows"] = time.time() - started
            progress("patterns")
            counts = spark.patterns()
        else:
            progress("flows")
            n = flows.build(con)
            seconds["flows"] = time.time() - started
            progress("patterns")
            counts = patterns.detect(con)
        seconds["patterns"] = time.time() - started - seconds["flows"]
        ws.record_run(con, "money", started, {"engine": engine}, {"money_flow": n, **counts})
    return MoneyResult(n, counts, engine, seconds)
