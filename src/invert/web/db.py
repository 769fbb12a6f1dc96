"""One DuckDB database per app, shared by the request threads.

A DuckDB file admits one process that writes, and a process cannot hold it read-only and
read-write at once; the app writes (audit rows, case files, outcomes), so it keeps one
read-write connection open for its lifetime and gives every request a cursor of it (a
connection of its own to the same database, safe to use in its thread). While the server runs,
other commands on the same workspace must wait for it to stop.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import duckdb

from invert.workspace import Workspace, has_table
from invert.workspace.resolved import install as install_resolved_views


class Database:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._stack = ExitStack()
        self._root = self._stack.enter_context(ws.connect())

    @contextmanager
    def cursor(self, resolved: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one request; ``resolved`` shows the tables with resolved entity ids,
        as the stored scores use them (see ``invert.workspace.resolved``)."""
        con = self._root.cursor()
        try:
            if resolved:
                install_resolved_views(con, self.ws.model)
            yield con
        finally:
            con.close()

    def close(self) -> None:
        self._stack.close()


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Base tables and this connection's views, by name."""
    return {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The first column of the first row of a query that always returns one (counts, max)."""
    row = con.execute(sql, params or []).fetchone()
    assert row is not None, sql
    return row[0]


def analysed(con: duckdb.DuckDBPyConnection) -> bool:
    return has_table(con, "score")
