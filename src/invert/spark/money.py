"""The money stage on Spark: the same payment, flow and pattern queries as on DuckDB.

The payments are prepared and the flows aggregated by Spark step by step from the statements
``invert.money.accounts`` and ``invert.money.flows`` run in DuckDB (see
``invert.spark.tables``); the flows come back to the workspace as ``money_flow``. Each pattern
detector's query (``invert.money.patterns.found_sql``) is made portable and run there too, and
only its hits come back, into ``money_pattern`` with the same parameters and evidence.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass

import duckdb

from invert.errors import InvertError
from invert.money import accounts, flows, patterns
from invert.spark import portable, session
from invert.spark.tables import SparkTables
from invert.workspace import Workspace
from invert.workspace.writes import transaction


@dataclass
class SparkMoney:
    con: duckdb.DuckDBPyConnection
    tables: SparkTables

    @classmethod
    def start(cls, ws: Workspace, con: duckdb.DuckDBPyConnection, stack: ExitStack) -> SparkMoney:
        spark = session.for_stage(ws, stack)
        money = cls(con, SparkTables(spark, con, session.data_folder(ws)))
        # the empty stand-ins of the steps must not pass for payments on this connection
        stack.callback(money._drop_stand_ins)
        return money

    def flows(self) -> int:
        """Prepare the payments and write ``money_flow``; returns its rows."""
        for name, sql in accounts.STEPS:
            self.tables.step(name, sql)
        with transaction(self.con):
            return self.tables.keep("money_flow", flows.MONEY_FLOW)

    def patterns(self) -> dict[str, int]:
        """Every detector with its default parameters into ``money_pattern``; returns the hits
        per pattern."""
        patterns.install_corridors(self.con)
        for name, sql in patterns.NUMBERING_STEPS:
            self.tables.step(name, sql)
        self.con.execute(
            f"CREATE TABLE IF NOT EXISTS main.money_pattern ({patterns.PATTERN_COLUMNS})"
        )
        counts: dict[str, int] = {}
        for pid, pattern in patterns.PATTERNS.items():
            sql = patterns.found_sql(pattern)
            self.tables.export(portable.relations(sql, {}) - set(self.tables.schema))
            given = {**pattern.parameters, "max_evidence": patterns.MAX_EVIDENCE}
            try:
                found = self.tables.spark.sql(
                    portable.to_spark(sql, given, {}, self.tables.schema)
                ).toArrow()
            except Exception as exc:
                raise InvertError(f"money pattern {pid} failed on Spark: {exc}") from exc
            self.con.register("spark_found", found)
            try:
                with transaction(self.con):
                    self.con.execute("DELETE FROM main.money_pattern WHERE pattern = ?", [pid])
                    self.con.execute(
                        "INSERT INTO main.money_pattern SELECT ?, account, value, detail, "
                        "evidence, ?::JSON FROM spark_found",
                        [pid, json.dumps(pattern.parameters)],
                    )
            finally:
                self.con.unregister("spark_found")
            counts[pid] = found.num_rows
        return counts

    def _drop_stand_ins(self) -> None:
        steps = [*accounts.STEPS, *patterns.NUMBERING_STEPS]
        for name, _sql in steps:
            self.con.execute(f"DROP TABLE IF EXISTS temp.{name}")
