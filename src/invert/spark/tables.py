"""Workspace tables handed to Spark, SQL steps run there, and results handed back.

A stage written as a sequence of DuckDB statements (``CREATE TABLE name AS query``) runs on
Spark step by step: the workspace tables the queries read are written to Parquet once (through
the resolved views the connection shows), each step becomes a Spark view, and the tables the
stage keeps come back to the workspace with the column types DuckDB would have given them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from invert.spark import portable

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@dataclass
class SparkTables:
    spark: SparkSession
    con: duckdb.DuckDBPyConnection
    folder: Path
    schema: dict[str, dict[str, str]] = field(default_factory=dict)

    def export(self, tables: set[str]) -> None:
        """Hand Spark these workspace tables (or views), once each."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for table in sorted(tables - set(self.schema)):
            path = self.folder / f"{table}.parquet"
            self.con.execute(f"COPY (SELECT * FROM \"{table}\") TO '{path}' (FORMAT parquet)")
            self.spark.read.parquet(str(path)).createOrReplaceTempView(table)
            self.schema[table] = columns(self.con, table)

    def step(self, name: str, sql: str) -> None:
        """Run one DuckDB query on Spark as the view ``name`` (kept in memory: later steps
        read it). The workspace gets an empty stand-in of the same shape, so later steps can
        be typed."""
        self.export(portable.relations(sql, {}) - set(self.schema))
        self.spark.sql(portable.to_spark(sql, {}, {}, self.schema)).cache().createOrReplaceTempView(
            name
        )
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM ({sql}) LIMIT 0")
        self.schema[name] = columns(self.con, name)

    def keep(self, name: str, sql: str) -> int:
        """Run one DuckDB query on Spark and store its rows as the workspace table ``name``,
        typed as DuckDB types the query. Call inside the stage's transaction."""
        self.step(name, sql)
        rows = self.spark.table(name).toArrow()
        self.con.register("spark_rows", rows)
        try:
            self.con.execute(f"DROP TABLE IF EXISTS temp.{name}")
            self.con.execute(
                f"CREATE OR REPLACE TABLE main.{name} AS SELECT * FROM ({sql}) LIMIT 0"
            )
            self.con.execute(f"INSERT INTO main.{name} SELECT * FROM spark_rows")
        finally:
            self.con.unregister("spark_rows")
        return rows.num_rows


def columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """A table's or view's columns and their DuckDB types."""
    return dict(
        con.execute(f'SELECT column_name, column_type FROM (DESCRIBE "{table}")').fetchall()
    )
