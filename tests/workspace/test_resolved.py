"""Resolved views read stored copies when those are current and join the mapping otherwise;
both give the same rows, and new data never hides behind an old copy."""

from __future__ import annotations

import duckdb
import pytest

from invert.workspace import resolved
from tests.helpers import Case


@pytest.fixture
def case(tmp_path) -> Case:
    case = Case(tmp_path / "case")
    case.add_tables(
        {
            "person": [
                {"id": "P1", "name": "Ion Popescu"},
                {"id": "P2", "name": "Ion Popesku"},
                {"id": "P3", "name": "Ana Dima"},
            ],
            "company": [{"id": "C1", "name": "Agro BV"}, {"id": "C2", "name": "Agro B.V."}],
            "employment": [
                {"id": "E1", "employee": "P2", "employer": "C2"},
                {"id": "E2", "employee": "P3", "employer": "C1"},
            ],
        }
    )
    case.resolve("person", P1="P1", P2="P1", P3="P3")
    case.resolve("company", C1="C1", C2="C1")
    return case


def _view_source(con: duckdb.DuckDBPyConnection, table: str) -> str:
    row = con.execute(
        "SELECT sql FROM duckdb_views() WHERE temporary AND view_name = ?", [table]
    ).fetchone()
    assert row is not None
    return row[0]


def _employment(case: Case, read_only: bool) -> list[tuple]:
    with case.ws.connect(read_only=read_only, resolved=True, follow_analysis=False) as con:
        return con.execute("SELECT id, employee, employer FROM employment ORDER BY id").fetchall()


def test_a_writer_stores_copies_that_readers_then_use(case):
    with case.ws.connect(read_only=True, resolved=True, follow_analysis=False) as con:
        assert resolved.Views.plan(con, case.ws.model).copies == set()
        assert '"resolved"' not in _view_source(con, "employment")
        joined = con.execute("SELECT * FROM employment ORDER BY id").fetchall()
        people = con.execute("SELECT id, name FROM person ORDER BY name").fetchall()

    with case.ws.connect(resolved=True, follow_analysis=False) as con:
        plan = resolved.Views.plan(con, case.ws.model)
        assert plan.copies == set(plan.rewrites) and "employment" in plan.copies
        # no two account records were merged: payments are read as stored, never copied
        assert "transaction" not in plan.rewrites
        assert _view_source(con, "transaction").replace('"', "").endswith("main.transaction;")

    with case.ws.connect(read_only=True, resolved=True, follow_analysis=False) as con:
        assert "resolved.employment" in _view_source(con, "employment").replace('"', "")
        assert con.execute("SELECT * FROM employment ORDER BY id").fetchall() == joined
        assert con.execute("SELECT id, name FROM person ORDER BY name").fetchall() == people
    assert _employment(case, read_only=True) == [("E1", "P1", "C1"), ("E2", "P3", "C1")]


def test_new_rows_are_never_hidden_by_an_old_copy(case):
    with case.ws.connect(resolved=True, follow_analysis=False):
        pass  # copies written
    case.add("employment", id="E3", employee="P2", employer="C1")

    with case.ws.connect(read_only=True, resolved=True, follow_analysis=False) as con:
        assert "employment" not in resolved.Views.plan(con, case.ws.model).copies
        assert "person" in resolved.Views.plan(con, case.ws.model).copies
    assert _employment(case, read_only=True)[-1] == ("E3", "P1", "C1")

    assert _employment(case, read_only=False)[-1] == ("E3", "P1", "C1")
    with case.ws.connect(read_only=True) as con:
        written = con.execute("SELECT count(*) FROM resolved.employment").fetchone()
        assert written == (3,)


def test_a_new_resolution_makes_every_copy_stale(case):
    with case.ws.connect(resolved=True, follow_analysis=False):
        pass
    con = duckdb.connect(str(case.ws.db_path))
    try:
        con.execute("DELETE FROM entity WHERE kind = 'person'")
    finally:
        con.close()
    case.resolve("person", P1="P1", P2="P2", P3="P3")

    with case.ws.connect(read_only=True, resolved=True, follow_analysis=False) as con:
        assert resolved.Views.plan(con, case.ws.model).copies == set()
    assert _employment(case, read_only=True) == [("E1", "P2", "C1"), ("E2", "P3", "C1")]
    assert _employment(case, read_only=False) == [("E1", "P2", "C1"), ("E2", "P3", "C1")]
