"""Resolved views: the canonical tables as the later stages should see them.

After resolution every reference to a person, company or account (a worker's employer, an
account's holder, a payment's payer) and the ids of the person, company and account rows
themselves carry the resolved entity id instead of the id of one source's record. The views
are temporary, made on the connection of a stage that reads the tables (analysis, leads,
targets), and have the tables' own names, so every query of the catalogue works on entities
without being rewritten. Rows stay one per source record, as in the tables: a query that
compares records of one entity (two names on one citizen number) still sees them all.

Only records whose entity id differs from their own id are looked up, so on an unresolved or
barely merged workspace the views cost almost nothing.
"""

from __future__ import annotations

import duckdb

from invert.model import Model

RESOLVED_TABLES = ("person", "company", "bank_account")


def install(con: duckdb.DuckDBPyConnection, model: Model, follow_analysis: bool = True) -> bool:
    """Create the views when the workspace has been resolved; returns whether it has.

    With ``follow_analysis`` (readers of the analysis: leads, explanations, targets,
    evaluation) the views are made only if the latest analysis ran on resolved entities, so
    ids always match the stored scores."""
    db = con.execute("SELECT current_database()").fetchone()[0]
    resolved = con.execute(f'SELECT count(*) FROM "{db}".main.entity').fetchone()[0]
    if not resolved:
        return False
    if follow_analysis:
        last = con.execute(
            f"""SELECT coalesce(parameters->>'resolved', 'true') FROM "{db}".main.runs
                WHERE stage = 'indicators' ORDER BY started_at DESC LIMIT 1"""
        ).fetchone()
        if last and last[0] == "false":
            return False
    con.execute(f"""CREATE OR REPLACE TEMP TABLE entity_of AS
        SELECT record_id, entity_id FROM "{db}".main.entity WHERE record_id <> entity_id""")
    for etype in model:
        refs = [p.name for p in etype.properties.values() if p.type.name == "entity"]
        if etype.table in RESOLVED_TABLES:
            refs = ["id", *refs]
        if not refs:
            continue
        joins = " ".join(
            f'LEFT JOIN entity_of "e_{c}" ON "e_{c}".record_id = t."{c}"' for c in refs
        )
        replaced = ", ".join(f'coalesce("e_{c}".entity_id, t."{c}") AS "{c}"' for c in refs)
        con.execute(f"""CREATE OR REPLACE TEMP VIEW "{etype.table}" AS
            SELECT t.* REPLACE ({replaced}) FROM "{db}".main."{etype.table}" t {joins}""")
    return True
