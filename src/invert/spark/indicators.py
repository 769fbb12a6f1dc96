"""The indicator catalogue run on Spark.

The tables the queries read are written once to Parquet (through the resolved views, so Spark
sees what DuckDB would), each query is made portable (``invert.spark.portable``) and run by
Spark, and its hits come back to the workspace's ``new_hit`` like DuckDB's own. Two kinds of
query stay with DuckDB on the driver, each named in the run's record: recursive queries (Spark
cannot aggregate inside a recursive step) and string similarity inside list functions (Spark
cannot call Python there). Both read company- and person-sized tables, not transactions.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import sqlglot
from sqlglot import exp

from invert.errors import InvertError
from invert.indicators.catalogue import Indicator
from invert.spark import portable, session
from invert.spark.tables import columns

if TYPE_CHECKING:
    from invert.workspace import Workspace

# Tables the analysis itself writes while it runs, refreshed on Spark as hits come in.
RUN_TABLES = ("new_hit", "behaviour")


def driver_reason(sql: str) -> str | None:
    """Why a query cannot run on Spark (it then runs in DuckDB on the driver), or None."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    if any(w.args.get("recursive") for w in tree.find_all(exp.With)):
        return "recursive query"
    for lam in tree.find_all(exp.Lambda):
        if lam.find(exp.JarowinklerSimilarity):
            return "string similarity inside a list function"
    return None


@dataclass
class SparkIndicators:
    """One analysis run's Spark side: the session, the tables it reads, and where each
    indicator ran."""

    ws: Workspace
    con: duckdb.DuckDBPyConnection
    macros: dict[str, portable.Macro]
    folder: Path
    schema: dict[str, dict[str, str]] = field(default_factory=dict)
    on_driver: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    _hits_seen: str = ""
    _spark: object = None

    @classmethod
    def prepare(
        cls,
        ws: Workspace,
        con: duckdb.DuckDBPyConnection,
        macro_sql: list[str],
        catalogue: list[Indicator],
    ) -> SparkIndicators:
        macros = portable.parse_macros(macro_sql)
        folder = session.data_folder(ws)
        runner = cls(ws, con, macros, folder)
        started = time.time()
        needed: set[str] = set()
        for ind in catalogue:
            needed |= portable.relations(ind.query, macros)
        runner.schema = {t: columns(con, t) for t in sorted(needed)}
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for table in sorted(needed - set(RUN_TABLES)):
            _export(con, table, folder)
        runner.seconds["export"] = time.time() - started
        started = time.time()
        runner._spark = spark = session.start(ws)
        for table in sorted(needed - set(RUN_TABLES)):
            spark.read.parquet(str(folder / f"{table}.parquet")).createOrReplaceTempView(table)
        runner.seconds["session"] = time.time() - started
        return runner

    def run(self, ind: Indicator) -> int:
        """Run one indicator on Spark (or on the driver when Spark cannot), adding its hits to
        ``new_hit``; returns how many."""
        reason = driver_reason(ind.query)
        if reason:
            self.on_driver[ind.id] = reason
            return -1
        try:
            sql = portable.to_spark(ind.query, ind.parameters, self.macros, self.schema)
        except Exception as exc:
            raise InvertError(
                f"indicator {ind.id} ({ind.origin}) cannot be written for Spark: {exc}"
            ) from exc
        if portable.relations(ind.query, self.macros) & set(RUN_TABLES):
            self._refresh_run_tables()
        try:
            hits = self._spark.sql(  # type: ignore[attr-defined]
                f"""SELECT subject_id,
                           least(1.0D, greatest(0.0D, CAST(strength AS DOUBLE))) AS strength,
                           CAST(value AS STRING) AS value, evidence
                    FROM ({sql}) WHERE subject_id IS NOT NULL"""
            ).toArrow()
        except Exception as exc:
            message = _reason(exc)
            raise InvertError(
                f"indicator {ind.id} ({ind.origin}) failed on Spark: {message}"
            ) from exc
        self.con.register("spark_hits", hits)
        try:
            self.con.execute(
                "INSERT INTO new_hit SELECT ?, ?, subject_id, strength, value, ?, evidence "
                "FROM spark_hits",
                [ind.id, ind.subject, _parameters_json(ind)],
            )
        finally:
            self.con.unregister("spark_hits")
        return hits.num_rows

    def _refresh_run_tables(self) -> None:
        """Hand Spark the hits so far (and the behaviour scores made from them)."""
        seen = self.con.execute(
            "SELECT (SELECT count(*) FROM new_hit) || '-' || (SELECT count(*) FROM behaviour)"
        ).fetchone()[0]
        if seen == self._hits_seen:
            return
        for table in RUN_TABLES:
            # a new file each time: Spark may still hold the listing of the previous one
            path = _export(self.con, table, self.folder, f"{table}-{seen}")
            self._spark.read.parquet(str(path)).createOrReplaceTempView(table)  # type: ignore[attr-defined]
        self._hits_seen = seen

    def stop(self) -> None:
        if self._spark is not None:
            self._spark.stop()  # type: ignore[attr-defined]
        shutil.rmtree(self.folder, ignore_errors=True)


def _parameters_json(ind: Indicator) -> str:
    return json.dumps(ind.parameters)


def _export(con: duckdb.DuckDBPyConnection, table: str, folder: Path, name: str = "") -> Path:
    target = folder / f"{name or table}.parquet"
    con.execute(f"COPY (SELECT * FROM \"{table}\") TO '{target}' (FORMAT parquet)")
    return target


def _reason(exc: Exception) -> str:
    """The line of a Spark failure that says what went wrong (not the Py4J wrapper's)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    causes = [line.removeprefix("Caused by: ") for line in lines if line.startswith("Caused by:")]
    if causes:
        return causes[-1][:500]
    for line in lines:
        if re.search(r"(Exception|Error): |^\[[A-Z_.]+\]", line) and "calling o" not in line:
            return line[:500]
    return lines[0][:500] if lines else type(exc).__name__
