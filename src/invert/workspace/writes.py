"""How a stage writes its tables: in whatever row order is fastest, and all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


@contextmanager
def unordered(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Let DuckDB write tables in whatever row order its threads finish in, then restore the
    connection's setting. Rows of a table have no meaning in their order (every query that
    lists rows orders them itself), and keeping the order of a large result costs time and
    memory: the money stage's flow table is written twice as fast without it."""
    row = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    kept = bool(row[0]) if row else True
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute(f"SET preserve_insertion_order = {str(kept).lower()}")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back if it raises, so a write
    is either whole or absent."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
