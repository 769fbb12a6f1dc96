"""A Spark session set up to read the workspace's queries the way DuckDB does."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from invert.errors import InvertError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from invert.workspace import Workspace

# Spark settings that make it compute what DuckDB computes: no errors on division by zero or
# failed casts (DuckDB gives NULL with try_cast and NULL on x / 0), the size of a NULL list is
# NULL, and dates and times are read in UTC.
SEMANTICS = {
    "spark.sql.ansi.enabled": "false",
    "spark.sql.legacy.sizeOfNull": "false",
    "spark.sql.session.timeZone": "UTC",
}


def start(ws: Workspace) -> SparkSession:
    """The session the workspace's ``[engine]`` settings describe: ``spark_master`` (default
    ``local[threads]``: Spark inside this process's machine), ``spark_memory`` for the driver
    (default 2g) and any ``spark_conf`` table of further Spark settings."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - pyspark is a dependency
        raise InvertError("the Spark engine needs pyspark: run `make setup`") from exc
    threads = int(ws.setting("engine", "threads", 2))
    master = ws.setting("engine", "spark_master", f"local[{threads}]")
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from splink.backends.spark import similarity_jar_location

    builder = (
        SparkSession.builder.master(master)
        .appName(f"invert {ws.path.name}")
        .config("spark.driver.memory", ws.setting("engine", "spark_memory", "2g"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Splink's string similarity functions for entity resolution (shipped with Splink)
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", str(max(4, 4 * threads)))
    )
    for key, value in {**SEMANTICS, **ws.setting("engine", "spark_conf", {})}.items():
        builder = builder.config(key, str(value))
    try:
        spark = builder.getOrCreate()
    except Exception as exc:
        raise InvertError(
            f"Spark did not start ({exc}); it needs Java 17 or newer (`make setup` installs it)"
        ) from exc
    spark.sparkContext.setLogLevel("ERROR")
    # Spark logs each failed query in full before raising; the error we raise says enough.
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    _register_functions(spark)
    return spark


def data_folder(ws: Workspace) -> Path:
    """Where the tables handed to Spark are written: ``[engine] spark_data`` (a path every
    executor can read, on a cluster) or the workspace's ``.spark`` folder."""
    return Path(ws.setting("engine", "spark_data", "") or ws.path / ".spark")


def for_stage(ws: Workspace, stack: ExitStack) -> SparkSession:
    """A session for one stage: stopped, and the tables handed to it removed, when ``stack``
    closes."""
    spark = start(ws)
    stack.callback(spark.stop)
    stack.callback(shutil.rmtree, data_folder(ws), True)
    return spark


def _register_functions(spark: SparkSession) -> None:
    """DuckDB functions Spark lacks: Jaro-Winkler similarity from rapidfuzz, whose figures
    are the same as DuckDB's."""
    from rapidfuzz.distance import JaroWinkler

    def jaro_winkler(a: str | None, b: str | None) -> float | None:
        return None if a is None or b is None else JaroWinkler.similarity(a, b)

    spark.udf.register("jarowinkler_similarity", jaro_winkler, "double")
