"""DuckDB SQL rewritten for Spark gives the same rows on Spark as the original on DuckDB.

Each case is a query in the dialect the indicator catalogue is written in, run on the same
small tables by DuckDB and, after ``invert.spark.portable.to_spark``, by Spark in local mode.
"""

from __future__ import annotations

import datetime as dt
import math
import os

import duckdb
import pytest

from invert.spark import portable
from invert.spark.indicators import driver_reason

pytestmark = pytest.mark.spark

ROWS = """
    SELECT * FROM (VALUES
        (1, 'a', DATE '2024-01-31', DATE '2024-03-01', 2.5, ['x', 'y', 'z'], 'Ana Pop', 10),
        (2, 'a', DATE '2024-02-10', DATE '2025-02-09', 16.025, ['y'], 'ANA POPP', 20),
        (3, 'b', DATE '2024-02-11', NULL, 7.0, [], 'Ion Rusu', 30),
        (4, 'b', DATE '2024-05-01', DATE '2024-05-02', NULL, ['q', 'p'], NULL, 40),
        (5, 'b', DATE '2024-05-03', DATE '2024-06-30', 1.0, ['p'], 'ion rusu', 40)
    ) AS t(id, grp, start_day, end_day, amount, tags, name, rooms)"""
ROWS = f"SELECT * REPLACE (amount::DOUBLE AS amount) FROM ({ROWS})"
SCHEMA = {
    "t": {
        "id": "INTEGER",
        "grp": "VARCHAR",
        "start_day": "DATE",
        "end_day": "DATE",
        "amount": "DOUBLE",
        "tags": "VARCHAR[]",
        "name": "VARCHAR",
        "rooms": "INTEGER",
    }
}
MACROS = portable.parse_macros(
    [
        """CREATE OR REPLACE TEMP MACRO shout(s) AS upper(s) || '!';
           -- a comment between two macros
           CREATE OR REPLACE TEMP MACRO twice(x) AS shout(x) || shout(x)""",
        """CREATE OR REPLACE TEMP MACRO in_group(g) AS TABLE
               SELECT id FROM t WHERE grp = g""",
    ]
)


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from invert.spark import session

    class Settings:  # the part of a workspace the session reads
        path = tmp_path_factory.mktemp("spark")

        @staticmethod
        def setting(_section: str, key: str, default=None):
            return {"threads": 1, "spark_memory": "1g"}.get(key, default)

    spark = session.start(Settings)  # type: ignore[arg-type]
    con = duckdb.connect()
    table = con.sql(ROWS).fetch_arrow_table()
    path = Settings.path / "t.parquet"
    con.sql(ROWS).write_parquet(str(path))
    spark.read.parquet(str(path)).createOrReplaceTempView("t")
    yield spark, table
    spark.stop()
    os.environ.pop("SPARK_LOCAL_IP", None)


def both(spark_and_table, sql: str, parameters: dict | None = None) -> tuple[list, list]:
    spark, table = spark_and_table
    con = duckdb.connect()
    con.register("t", table)
    for macro in ("shout(s) AS upper(s) || '!'", "twice(x) AS shout(x) || shout(x)"):
        con.execute(f"CREATE MACRO {macro}")
    con.execute("CREATE MACRO in_group(g) AS TABLE SELECT id FROM t WHERE grp = g")
    parameters = {k: v for k, v in (parameters or {}).items() if f"${k}" in sql}
    expected = con.execute(sql, parameters).fetchall()
    translated = portable.to_spark(sql, parameters, MACROS, SCHEMA)
    got = [tuple(r) for r in spark.sql(translated).collect()]
    return expected, got


def same(expected: list, got: list) -> None:
    assert len(expected) == len(got)
    for e_row, g_row in zip(expected, got, strict=True):
        for e, g in zip(e_row, g_row, strict=True):
            if isinstance(e, float) and g is not None:
                assert math.isclose(e, float(g), rel_tol=1e-12), (e_row, g_row)
            elif isinstance(e, dt.date) and isinstance(g, dt.datetime):
                assert e == g.date()
            else:
                assert e == g, (e_row, g_row)


@pytest.mark.parametrize(
    "sql",
    [
        # days between two dates are a number in DuckDB, an interval in Spark
        "SELECT id, end_day - start_day AS days FROM t ORDER BY id",
        # month boundaries crossed, not whole months
        "SELECT id, date_diff('month', start_day, end_day) FROM t ORDER BY id",
        # lists count from 1; slices include both ends
        "SELECT id, tags[1], tags[2:3], tags[:1], array_length(tags) FROM t ORDER BY id",
        "SELECT id, [2, 3, 5][rooms // 10] FROM t ORDER BY id",
        # printf: integers, fixed decimals, dates and C's %g
        "SELECT id, printf('%d rooms, %.2f, from %s, %g', rooms, amount, start_day, amount / 2)"
        " FROM t WHERE amount IS NOT NULL ORDER BY id",
        "SELECT id, printf('%d of ' || '%d', id, rooms) FROM t ORDER BY id",
        # thousands separators: the place still takes a number
        "SELECT id, printf('%,.0f%s for %d', amount * 1000, ' EUR', rooms) FROM t"
        " WHERE amount IS NOT NULL ORDER BY id",
        # aggregates that keep an order
        "SELECT grp, string_agg(DISTINCT name, ', ' ORDER BY name), count(DISTINCT rooms),"
        " list(id ORDER BY amount DESC), list(DISTINCT rooms ORDER BY rooms)"
        " FROM t GROUP BY grp ORDER BY grp",
        "SELECT grp, arg_max(name, (rooms, name)), arg_min(id, amount, 2) FROM t"
        " GROUP BY grp ORDER BY grp",
        # window aggregates Spark does not take as written
        "SELECT id, count(DISTINCT rooms) OVER (PARTITION BY grp),"
        " count(*) FILTER (WHERE amount > 2) OVER (PARTITION BY grp) FROM t ORDER BY id",
        "SELECT id, count(DISTINCT grp) OVER (ORDER BY start_day RANGE BETWEEN"
        " INTERVAL ($days - 1) DAY PRECEDING AND CURRENT ROW) FROM t ORDER BY id",
        # regular expressions: options and groups in a replacement
        "SELECT id, regexp_matches(name, '^ana', 'i'),"
        " regexp_replace(name, '^(\\w+) (\\w+)$', '\\2, \\1') FROM t ORDER BY id",
        "SELECT id, list_filter(tags, x -> x > 'p'), list_transform(tags, x -> upper(x))"
        " FROM t ORDER BY id",
        "SELECT grp, quantile_cont(amount, 0.5) FROM t GROUP BY grp ORDER BY grp",
        # decimals divide as doubles
        "SELECT id, rooms / (24 * 30.44) / 2 FROM t ORDER BY id",
        # a table name as its whole row
        "WITH r AS (SELECT id, grp, rooms FROM t) SELECT grp, arg_max(r, (rooms, id)).id"
        " FROM r GROUP BY grp ORDER BY grp",
        # macros, scalar and table, expanded from their definitions
        "SELECT id, twice(name) FROM t WHERE id IN (SELECT id FROM in_group('a')) ORDER BY id",
        "SELECT id, jaro_winkler_similarity(lower(name), 'ana pop') FROM t"
        " WHERE name IS NOT NULL ORDER BY id",
    ],
)
def test_same_rows_on_both_engines(spark, sql):
    same(*both(spark, sql, {"days": 14}))


def test_parameters_become_literals(spark):
    expected, got = both(
        spark,
        "SELECT id FROM t WHERE list_contains($groups, grp) AND rooms >= $min ORDER BY id",
        {"groups": ["b"], "min": 35},
    )
    assert expected == got == [(4,), (5,)]


def test_queries_spark_cannot_run_are_named():
    recursive = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3)"
    assert driver_reason(recursive + " SELECT * FROM r") == "recursive query"
    similar = "SELECT list_filter(l, x -> jaro_winkler_similarity(x, 'a') > 0.9) FROM t"
    assert driver_reason(similar) == "string similarity inside a list function"
    assert driver_reason("SELECT jaro_winkler_similarity(a, b) FROM t") is None
