"""Resolved views: the canonical tables as the later stages should see them.

After resolution every reference to a person, company or account (a worker's employer, an
account's holder, a payment's payer) and the ids of the person, company and account rows
themselves carry the resolved entity id instead of the id of one source's record. The views
are temporary, made on the connection of a stage that reads the tables (analysis, leads,
targets), and have the tables' own names, so every query of the catalogue works on entities
without being rewritten. Rows stay one per source record, as in the tables: a query that
compares records of one entity (two names on one citizen number) still sees them all.

Only records whose entity id differs from their own id are looked up, so on an unresolved or
barely merged workspace the views cost almost nothing. A long-lived reader (the web app) makes
that mapping once (``mapping_sql``) and passes its table to ``create_views`` on each connection.
"""

from __future__ import annotations

from typing import Any

import duckdb

from invert.model import Model

RESOLVED_TABLES = ("person", "company", "bank_account")


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    assert row is not None, sql
    return row[0]


def applies(con: duckdb.DuckDBPyConnection, follow_analysis: bool = True) -> bool:
    """Whether the workspace has been resolved (and, with ``follow_analysis``, whether the
    latest analysis ran on resolved entities, so ids match the stored scores)."""
    db = _one(con, "SELECT current_database()")
    resolved = _one(con, f'SELECT count(*) FROM "{db}".main.entity')
    if not resolved:
        return False
    if follow_analysis:
        last = con.execute(
            f"""SELECT coalesce(parameters->>'resolved', 'true') FROM "{db}".main.runs
                WHERE stage = 'indicators' ORDER BY started_at DESC LIMIT 1"""
        ).fetchone()
        if last and last[0] == "false":
            return False
    return True


def mapping_sql(db: str) -> str:
    """The records whose entity id is not their own: ``(record_id, entity_id)``."""
    return f"""SELECT record_id, entity_id FROM "{db}".main.entity
               WHERE record_id <> entity_id"""


def references(model: Model) -> dict[str, list[str]]:
    """Per table, the columns the views rewrite: entity references, and the id of the tables
    whose records resolution merges."""
    out: dict[str, list[str]] = {}
    for etype in model:
        refs = [p.name for p in etype.properties.values() if p.type.name == "entity"]
        if etype.table in RESOLVED_TABLES:
            refs = ["id", *refs]
        if refs:
            out[etype.table] = refs
    return out


def select_sql(db: str, table: str, refs: list[str], mapping: str, where: str = "") -> str:
    """The rows of ``table`` (those ``where`` keeps, a condition on the stored row ``t``) with
    ``refs`` replaced by the entity ids of ``mapping``."""
    joins = " ".join(f'LEFT JOIN {mapping} "e_{c}" ON "e_{c}".record_id = t."{c}"' for c in refs)
    replaced = ", ".join(f'coalesce("e_{c}".entity_id, t."{c}") AS "{c}"' for c in refs)
    source = f'"{db}".main."{table}"'
    if where:
        source = f"(SELECT * FROM {source} t WHERE {where})"
    return f"SELECT t.* REPLACE ({replaced}) FROM {source} t {joins}"


def create_views(con: duckdb.DuckDBPyConnection, model: Model, mapping: str) -> None:
    """The temporary views of every table, mapping ids through the table ``mapping``."""
    db = _one(con, "SELECT current_database()")
    for table, refs in references(model).items():
        con.execute(
            f'CREATE OR REPLACE TEMP VIEW "{table}" AS {select_sql(db, table, refs, mapping)}'
        )


def install(con: duckdb.DuckDBPyConnection, model: Model, follow_analysis: bool = True) -> bool:
    """Create the views when the workspace has been resolved; returns whether it has.

    With ``follow_analysis`` (readers of the analysis: leads, explanations, targets,
    evaluation) the views are made only if the latest analysis ran on resolved entities, so
    ids always match the stored scores."""
    if not applies(con, follow_analysis):
        return False
    db = _one(con, "SELECT current_database()")
    con.execute(f"CREATE OR REPLACE TEMP TABLE entity_of AS {mapping_sql(db)}")
    create_views(con, model, "entity_of")
    return True
