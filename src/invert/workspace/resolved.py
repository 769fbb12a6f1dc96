"""Resolved tables: the canonical tables as the later stages should see them.

After resolution every reference to a person, company or account (a worker's employer, an
account's holder, a payment's payer) and the ids of the person, company and account rows
themselves carry the resolved entity id instead of the id of one source's record. A stage that
reads the tables (analysis, network, money, leads, targets, the web) sees them through temporary
views with the tables' own names, so every query of the catalogue works on entities without
being rewritten. Rows stay one per source record, as in the tables: a query that compares
records of one entity (two names on one citizen number) still sees them all.

Each view reads one of two things:

- a **copy** of the table with the entity ids already in place, in the workspace's ``resolved``
  schema, written once after resolution (``refresh``). Looking ids up while reading costs a
  join per reference on every scan: the analysis of a large case scans its 20 million
  transactions (three references each) dozens of times, which tripled its time and doubled its
  memory. A copy costs one such pass and some disk.
- the stored table joined to the id mapping on the fly, whenever the copy is not current:
  before the first refresh, on a read-only connection after new data came in, for a table
  written since (an inspection outcome recorded in the web app). Results are the same either
  way; only speed differs.

A copy is current when the table's row count, the ingested sources (id, hash, version) and the
entity mapping are what they were when it was written (``resolved.copy`` keeps that
fingerprint). Only ingestion writes the copied tables' rows in place of others, and it records
every source it writes, so a changed table always changes the fingerprint.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import duckdb

from invert.model import Model
from invert.workspace.writes import transaction

# The tables whose records resolution merges, and the kind of entity each holds.
KINDS = {"person": "person", "company": "company", "bank_account": "account"}
SCHEMA = "resolved"
STATE = f"{SCHEMA}.copy"


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


def references(model: Model, kinds: set[str] | None = None) -> dict[str, list[str]]:
    """Per table, the columns the views rewrite: references that may point to a record of a
    resolved kind, and the id of the tables whose records resolution merges. With ``kinds``
    (see ``merged_kinds``) only the columns that may point to a record of those kinds."""
    kind_of = {e.name: KINDS[e.table] for e in model if e.table in KINDS}
    wanted = set(KINDS.values()) if kinds is None else kinds
    out: dict[str, list[str]] = {}
    for etype in model:
        refs = ["id"] if KINDS.get(etype.table) in wanted else []
        for p in etype.properties.values():
            if p.type.name == "entity" and {kind_of.get(r) for r in p.range} & wanted:
                refs.append(p.name)
        if refs:
            out[etype.table] = refs
    return out


def merged_kinds(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The kinds of record of which resolution merged at least two: references to the
    others need no rewriting (at L no two bank account records are merged, so none of the
    20 million transactions changes)."""
    db = _one(con, "SELECT current_database()")
    return {
        r[0]
        for r in con.execute(
            f'SELECT DISTINCT kind FROM "{db}".main.entity WHERE record_id <> entity_id'
        ).fetchall()
    }


def select_sql(db: str, table: str, refs: list[str], mapping: str, where: str = "") -> str:
    """The rows of ``table`` (those ``where`` keeps, a condition on the stored row ``t``) with
    ``refs`` replaced by the entity ids of ``mapping``."""
    joins = " ".join(f'LEFT JOIN {mapping} "e_{c}" ON "e_{c}".record_id = t."{c}"' for c in refs)
    replaced = ", ".join(f'coalesce("e_{c}".entity_id, t."{c}") AS "{c}"' for c in refs)
    source = f'"{db}".main."{table}"'
    if where:
        source = f"(SELECT * FROM {source} t WHERE {where})"
    return f"SELECT t.* REPLACE ({replaced}) FROM {source} t {joins}"


def fingerprints(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, str]:
    """Per table, what its copy must have been made from to be current."""
    db = _one(con, "SELECT current_database()")
    inputs = _one(
        con,
        f"""SELECT concat_ws(':',
                (SELECT count(*) || '-' || coalesce(bit_xor(hash(source_id, sha256, version)), 0)
                 FROM "{db}".main.sources),
                (SELECT count(*) || '-' || coalesce(bit_xor(hash(kind, record_id, entity_id)), 0)
                 FROM "{db}".main.entity))""",
    )
    if not tables:
        return {}
    counts = dict(
        con.execute(
            " UNION ALL ".join(f'SELECT \'{t}\', count(*) FROM "{db}".main."{t}"' for t in tables)
        ).fetchall()
    )
    return {t: f"{counts[t]}:{inputs}" for t in tables}


@dataclass
class Views:
    """What each view reads: ``rewrites`` are the columns to map per table (a table not
    listed is read as stored), ``copies`` the tables whose stored copy is current."""

    rewrites: dict[str, list[str]]
    copies: set[str] = field(default_factory=set)

    @classmethod
    def plan(cls, con: duckdb.DuckDBPyConnection, model: Model) -> Views:
        rewrites = references(model, merged_kinds(con))
        db = _one(con, "SELECT current_database()")
        has_state = _one(
            con,
            f"""SELECT count(*) FROM duckdb_tables() WHERE database_name = '{db}'
                AND schema_name = '{SCHEMA}' AND table_name = 'copy'""",
        )
        if not has_state:
            return cls(rewrites)
        stored = dict(con.execute(f'SELECT tbl, fingerprint FROM "{db}".{STATE}').fetchall())
        current = fingerprints(con, list(rewrites))
        return cls(rewrites, {t for t, fp in current.items() if stored.get(t) == fp})

    @property
    def stale(self) -> list[str]:
        return [t for t in self.rewrites if t not in self.copies]


def refresh(con: duckdb.DuckDBPyConnection, model: Model) -> dict[str, float]:
    """Write the copies that are missing or out of date; returns the seconds per table
    written. Each copy and its fingerprint are written in one transaction, so an interrupted
    refresh leaves every copy either current or known to be stale."""
    if not applies(con, follow_analysis=False):
        return {}
    views = Views.plan(con, model)
    if not views.stale:
        return {}
    db = _one(con, "SELECT current_database()")
    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{db}".{SCHEMA}')
    con.execute(
        f"""CREATE TABLE IF NOT EXISTS "{db}".{STATE} (tbl VARCHAR PRIMARY KEY,
            fingerprint VARCHAR, written_at TIMESTAMP, seconds DOUBLE)"""
    )
    wanted = fingerprints(con, views.stale)
    con.execute(f"CREATE OR REPLACE TEMP TABLE resolved_mapping AS {mapping_sql(db)}")
    written: dict[str, float] = {}
    try:
        for table in views.stale:
            started = time.time()
            with transaction(con):
                con.execute(
                    f'CREATE OR REPLACE TABLE "{db}".{SCHEMA}."{table}" AS '
                    + select_sql(db, table, views.rewrites[table], "resolved_mapping")
                )
                written[table] = time.time() - started
                con.execute(
                    f'INSERT OR REPLACE INTO "{db}".{STATE} VALUES (?, ?, now(), ?)',
                    [table, wanted[table], written[table]],
                )
    finally:
        con.execute("DROP TABLE IF EXISTS temp.resolved_mapping")
    return written


def create_views(con: duckdb.DuckDBPyConnection, model: Model, mapping: str, views: Views) -> None:
    """The temporary views of every table that may hold references: on its copy when that is
    current, else mapping ids through the table ``mapping``, or as stored when none of its
    references points to a merged record."""
    db = _one(con, "SELECT current_database()")
    for table in references(model):
        if table in views.copies:
            select = f'SELECT * FROM "{db}".{SCHEMA}."{table}"'
        elif table in views.rewrites:
            select = select_sql(db, table, views.rewrites[table], mapping)
        else:
            select = f'SELECT * FROM "{db}".main."{table}"'
        con.execute(f'CREATE OR REPLACE TEMP VIEW "{table}" AS {select}')


def install(
    con: duckdb.DuckDBPyConnection,
    model: Model,
    follow_analysis: bool = True,
    write_copies: bool = False,
) -> bool:
    """Create the views when the workspace has been resolved; returns whether it has.

    With ``follow_analysis`` (readers of the analysis: leads, explanations, targets,
    evaluation) the views are made only if the latest analysis ran on resolved entities, so
    ids always match the stored scores. With ``write_copies`` (a connection that may write)
    stale copies are written first."""
    if not applies(con, follow_analysis):
        return False
    if write_copies:
        refresh(con, model)
    views = Views.plan(con, model)
    if views.stale:
        db = _one(con, "SELECT current_database()")
        con.execute(f"CREATE OR REPLACE TEMP TABLE entity_of AS {mapping_sql(db)}")
    create_views(con, model, "entity_of", views)
    return True
