"""One DuckDB database per app, shared by the request threads.

A DuckDB file admits one process that writes, and a process cannot hold it read-only and
read-write at once; the app writes (audit rows, case files, outcomes), so it keeps one
read-write connection open for its lifetime and gives every request a cursor of it (a
connection of its own to the same database, safe to use in its thread). While the server runs,
other commands on the same workspace must wait for it to stop, which is also why the lookup
tables of ``invert.web.index`` can be built once, when the server starts.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import duckdb

from invert.web.index import WebIndex
from invert.workspace import Workspace, has_table


# DuckDB's Python client looks for pandas whenever a query has parameters; where pandas is not
# installed each look searches the whole import path again (about 1 ms a query, and a page
# makes dozens). A finder placed first answers "not installed" at once, as the search would.
class _NotInstalled(importlib.abc.MetaPathFinder):
    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname == self.name:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


if importlib.util.find_spec("pandas") is None and not any(
    isinstance(f, _NotInstalled) for f in sys.meta_path
):
    sys.meta_path.insert(0, _NotInstalled("pandas"))


class Database:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._stack = ExitStack()
        self._root = self._stack.enter_context(ws.connect())
        self.index = WebIndex(self._root, ws.model)
        # Each request's queries are small: with one thread each, concurrent requests use the
        # cores instead of every query splitting itself across them (set after the index,
        # whose build is one large query at a time).
        threads = os.environ.get("INVERT_WEB_THREADS", "1")
        self._root.execute(f"SET threads = {int(threads)}")

    @contextmanager
    def cursor(self, resolved: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one request; ``resolved`` shows the tables with resolved entity ids,
        as the stored scores use them (see ``invert.workspace.resolved``)."""
        con = self._root.cursor()
        try:
            if resolved:
                self.index.views(con)
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


def scalar(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | dict[str, Any] | None = None
) -> Any:
    """The first column of the first row of a query that always returns one (counts, max)."""
    row = con.execute(sql, params or []).fetchone()
    assert row is not None, sql
    return row[0]


def analysed(con: duckdb.DuckDBPyConnection) -> bool:
    return has_table(con, "score")
