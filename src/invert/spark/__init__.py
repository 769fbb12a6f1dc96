"""Apache Spark as a second engine for the heavy stages, for cases that outgrow one machine.

The analysis is written once, in DuckDB SQL; ``portable`` turns each query into Spark SQL,
``session`` starts Spark (local mode by default, or any cluster master), and ``indicators``
runs the indicator catalogue on Spark over Parquet copies of the workspace tables. Choose it in
the workspace's ``invert.toml`` (``[engine] name = "spark"``) or per run
(``invert analyze CASE --engine spark``).
"""
