"""Entity resolution's heavy half on Spark: scoring every blocked pair with Splink's Spark
backend.

Training stays where the workspace is: Splink estimates the model from samples whose size is
capped (two million random pairs for u, a million pairs per block for m), so its cost does not
grow with the register. Scoring compares every pair the blocking rules produce, which grows with
the data: that part runs on Spark, with the trained model carried over level by level into the
same comparisons written in Spark's dialect, and the scored pairs come back to the workspace.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from invert.resolve import models

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

TRAINED = ("m_probability", "u_probability")


def spark_settings(kind: str, trained: dict) -> dict:
    """This version's comparisons and blocking for ``kind`` in Spark's dialect, with the
    probabilities of the trained (DuckDB-dialect) model."""
    settings = models.SETTINGS[kind]().create_settings_dict("spark")
    settings["probability_two_random_records_match"] = trained[
        "probability_two_random_records_match"
    ]
    ours = {c["output_column_name"]: c for c in settings["comparisons"]}
    for comparison in trained["comparisons"]:
        levels = ours[comparison["output_column_name"]]["comparison_levels"]
        if len(levels) != len(comparison["comparison_levels"]):
            raise ValueError(
                f"the stored {kind} model has other levels for {comparison['output_column_name']}"
                "; train it again: invert resolve run CASE_DIR --retrain"
            )
        for level, fitted in zip(levels, comparison["comparison_levels"], strict=True):
            for key in TRAINED:
                if key in fitted:
                    level[key] = fitted[key]
    return settings


def predict(
    spark: SparkSession,
    con: duckdb.DuckDBPyConnection,
    kind: str,
    trained: dict,
    floor: float,
    folder: Path,
) -> str:
    """Score the pairs of ``resolve_input_<kind>`` on Spark; returns the name of a temporary
    table in ``con`` with Splink's prediction columns (ids, match weight and probability, and
    each comparison's ``mw_`` weight)."""
    from splink import Linker
    from splink.backends.spark import SparkAPI

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"resolve_input_{kind}.parquet"
    con.execute(f"COPY resolve_input_{kind} TO '{path}' (FORMAT parquet)")
    records = spark.read.parquet(str(path))
    api = SparkAPI(spark_session=spark, break_lineage_method="persist")
    linker = Linker(
        api.register(records, table_name=f"resolve_input_{kind}"),
        spark_settings(kind, trained),
        log_level=logging.ERROR,
    )
    scored = linker.inference.predict(threshold_match_probability=floor).as_spark_dataframe()
    wanted = [
        c
        for c in scored.columns
        if c in ("unique_id_l", "unique_id_r", "match_weight", "match_probability")
        or c.startswith("mw_")
    ]
    table = scored.select(*wanted).toArrow()
    name = f"spark_prediction_{kind}"
    con.register(f"{name}_arrow", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")
    return name
