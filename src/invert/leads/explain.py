"""Explain one entity: its scores, each indicator hit with its value and parameters, and the
source rows (file, SHA-256, row number) behind every hit, so a prosecutor can check each fact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb

from invert.errors import InvertError
from invert.indicators.catalogue import Indicator, RunConfig, load_catalogue
from invert.workspace import Workspace
from invert.workspace.resolved import KINDS as RESOLVED_KINDS

# Tables an entity id can belong to, in the order they are searched.
ENTITY_TABLES = ("company", "person", "bank_account", "ad", "address")


class RowLookup(Protocol):
    """Reads an entity's rows without scanning the tables (the web server's index)."""

    def records(self, con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[str]: ...

    def hits(self, con: duckdb.DuckDBPyConnection, entity_id: str) -> list[tuple] | None: ...

    def files(self, con: duckdb.DuckDBPyConnection, source_ids: set[str]) -> dict[str, tuple]: ...

    def locate(
        self, con: duckdb.DuckDBPyConnection, values: list[str]
    ) -> dict[tuple[str, str], list[int]]: ...

    def select(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        column: str,
        values: list[str],
        columns: str = "*",
        limit: int | None = None,
        resolved: bool = True,
        located: dict[tuple[str, str], list[int]] | None = None,
    ) -> list[dict[str, Any]]: ...

    def rows(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        ids: list[str],
        columns: str = "*",
        located: dict[tuple[str, str], list[int]] | None = None,
    ) -> list[dict[str, Any]]: ...


@dataclass
class EvidenceRow:
    tbl: str
    id: str
    source_id: str | None
    source_row: int | None
    file_name: str | None
    sha256: str | None


@dataclass
class Reason:
    indicator: str
    title: str
    subject: str
    strength: float
    weight: float
    contribution: float
    context: bool
    value: str
    parameters: dict[str, Any]
    sources: list[str]
    evidence: list[EvidenceRow] = field(default_factory=list)
    # How many evidence rows the hit has, before ``evidence`` was cut to the limit asked for.
    evidence_total: int = 0


@dataclass
class Explanation:
    entity_id: str
    table: str | None
    identity: dict[str, Any]
    scores: list[dict[str, Any]]
    reasons: list[Reason]
    # The source records resolution joined into this entity: record id, file, SHA-256, row, name.
    records: list[dict[str, Any]] = field(default_factory=list)


def explain(ws: Workspace, entity_id: str, evidence_limit: int = 50) -> Explanation:
    """Everything the workspace knows about why ``entity_id`` is (or is not) a lead."""
    with ws.connect(read_only=True, resolved=True) as con:
        return explain_on(con, ws.path, entity_id, evidence_limit)


def explain_on(
    con: duckdb.DuckDBPyConnection,
    where: Path,
    entity_id: str,
    evidence_limit: int = 50,
    lookup: RowLookup | None = None,
    config: RunConfig | None = None,
    catalogue: dict[str, Indicator] | None = None,
) -> Explanation:
    """``explain`` on a connection the caller holds (with the resolved views installed), for
    the web app, which keeps its own connection to the workspace and passes its ``lookup``
    to read the entity's rows directly, and the ``config`` of the latest analysis it read (or
    the ``catalogue`` loaded with it, by indicator id)."""
    tables = _tables(con)
    if "indicator_hit" not in tables:
        raise InvertError(f"{where} has no analysis yet; run: invert analyze {where}")
    if catalogue is None:
        catalogue = {i.id: i for i in load_catalogue(config or last_run_config(con))}
    # The web server's index finds the entity's rows in every table with one look-up.
    located = lookup.locate(con, lookup.records(con, [entity_id])) if lookup else None
    table, identity = _identity(con, tables, entity_id, lookup, located)
    if lookup is not None:
        score_rows = sorted(
            tuple(r.values())
            for r in lookup.select(
                con,
                "score",
                "subject_id",
                [entity_id],
                "t.list, t.score, t.probability",
                located=located,
            )
        )
        hits = lookup.hits(con, entity_id) or []
    else:
        score_rows = con.execute(
            "SELECT list, score, probability FROM score WHERE subject_id = ? ORDER BY list",
            [entity_id],
        ).fetchall()
        hits = [
            (*row, None)
            for row in con.execute(
                "SELECT indicator, subject, strength, value, parameters, evidence "
                "FROM indicator_hit WHERE subject_id = ? ORDER BY indicator",
                [entity_id],
            ).fetchall()
        ]
    scores = [{"list": r[0], "score": r[1], "probability": r[2]} for r in score_rows]
    if table is None and not hits:
        raise InvertError(
            f"no entity '{entity_id}' in {where}: look up ids with 'invert leads' "
            "or in the entity tables"
        )
    reasons = [_reason(row, catalogue.get(row[0])) for row in hits]
    _attach_sources(con, tables, reasons, evidence_limit, lookup)
    records = _records(con, tables, table, entity_id, lookup, located)
    reasons.sort(key=lambda r: (r.context, -r.contribution, r.indicator))
    return Explanation(entity_id, table, identity, scores, reasons, records)


def _records(
    con: duckdb.DuckDBPyConnection,
    tables: set[str],
    table: str | None,
    entity_id: str,
    lookup: RowLookup | None = None,
    located: dict[tuple[str, str], list[int]] | None = None,
) -> list[dict[str, Any]]:
    """Every source record of a resolved entity, with where it was read."""
    if "entity" not in tables or table not in RESOLVED_KINDS:
        return []
    db = con.execute("SELECT current_database()").fetchone()[0]
    label = "coalesce(iban, accountNumber)" if table == "bank_account" else "name"
    if lookup is not None:
        found = lookup.select(
            con,
            table,
            "id",
            lookup.records(con, [entity_id]),
            f"t.id AS record_id, t.source_id, t.source_row, {label} AS name",
            resolved=False,
            located=located,
        )
        rows = list(dict.fromkeys(tuple(r.values())[:4] for r in found))
        files = lookup.files(con, {r[1] for r in rows})
        out = [
            {
                "record_id": record_id,
                "file_name": files.get(source_id, (None, None))[0],
                "sha256": files.get(source_id, (None, None))[1],
                "source_row": source_row,
                "name": name,
            }
            for record_id, source_id, source_row, name in rows
        ]
        return sorted(
            out, key=lambda r: (r["file_name"] is None, r["file_name"] or "", r["source_row"])
        )
    cur = con.execute(
        f"""SELECT DISTINCT t.id AS record_id, s.file_name, s.sha256, t.source_row,
                   {label} AS name
            FROM "{db}".main."{table}" t LEFT JOIN sources s USING (source_id)
            WHERE t.id IN (SELECT record_id FROM entity WHERE entity_id = ?) OR t.id = ?
            ORDER BY s.file_name, t.source_row""",
        [entity_id, entity_id],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def last_run_config(con: duckdb.DuckDBPyConnection) -> RunConfig:
    """The run configuration of the latest analysis, so weights match the stored scores."""
    row = con.execute(
        "SELECT parameters->>'config' FROM runs WHERE stage = 'indicators' "
        "ORDER BY started_at DESC LIMIT 1"
    ).fetchone()
    path = Path(row[0]) if row and row[0] else None
    return RunConfig.load(path if path and path.is_file() else None)


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    return {r[0] for r in rows}


def _identity(
    con: duckdb.DuckDBPyConnection,
    tables: set[str],
    entity_id: str,
    lookup: RowLookup | None = None,
    located: dict[tuple[str, str], list[int]] | None = None,
) -> tuple[str | None, dict[str, Any]]:
    for table in ENTITY_TABLES:
        if table not in tables:
            continue
        if lookup is not None:
            found = lookup.rows(con, table, [entity_id], located=located)
            if found:
                return table, {k: v for k, v in found[0].items() if v is not None and k != "id"}
            continue
        cur = con.execute(f'SELECT * FROM "{table}" WHERE id = ? LIMIT 1', [entity_id])
        row = cur.fetchone()
        if row:
            names = [d[0] for d in cur.description]
            return table, {
                k: v for k, v in zip(names, row, strict=True) if v is not None and k != "id"
            }
    return None, {}


def _reason(row: tuple, ind: Indicator | None) -> Reason:
    """A hit as a reason; ``row`` ends with the number of evidence rows when ``evidence`` was
    cut before (None: it holds them all)."""
    indicator, subject, strength, value, parameters, evidence, total = row
    evidence = evidence or []
    weight = ind.weight if ind else 0.0
    return Reason(
        indicator=indicator,
        title=ind.title if ind else indicator,
        subject=subject,
        strength=float(strength),
        weight=weight,
        contribution=round(weight * float(strength), 3),
        context=bool(ind and ind.context),
        value=value,
        parameters=json.loads(parameters) if isinstance(parameters, str) else parameters or {},
        sources=[f"{s.key} ({s.grade})" for s in ind.sources] if ind else [],
        evidence=[EvidenceRow(e["tbl"], e["id"], None, None, None, None) for e in evidence],
        evidence_total=len(evidence) if total is None else total,
    )


def _attach_sources(
    con: duckdb.DuckDBPyConnection,
    tables: set[str],
    reasons: list[Reason],
    limit: int,
    lookup: RowLookup | None = None,
) -> None:
    """Look up the source file and row of every evidence row, one query per table."""
    wanted: dict[str, set[str]] = {}
    for reason in reasons:
        reason.evidence = reason.evidence[:limit]
        for ev in reason.evidence:
            wanted.setdefault(ev.tbl, set()).add(ev.id)
    found: dict[tuple[str, str], tuple] = {}
    located = None
    if lookup is not None:  # every evidence row's table at once
        located = lookup.locate(
            con, lookup.records(con, sorted({i for ids in wanted.values() for i in ids}))
        )
    for tbl, ids in wanted.items():
        if tbl not in tables:
            continue
        if lookup is not None:
            rows = [
                (r["id"], r["source_id"], r["source_row"])
                for r in lookup.rows(
                    con, tbl, sorted(ids), "t.id, t.source_id, t.source_row", located
                )
            ]
            files = lookup.files(con, {r[1] for r in rows})
            for row in rows:
                found.setdefault((tbl, row[0]), (*row[1:], *files.get(row[1], (None, None))))
            continue
        rows = con.execute(
            f"""SELECT t.id, t.source_id, t.source_row, s.file_name, s.sha256
                FROM "{tbl}" t LEFT JOIN sources s USING (source_id)
                WHERE t.id IN (SELECT unnest(?::VARCHAR[]))""",
            [sorted(ids)],
        ).fetchall()
        for row in rows:
            found[(tbl, row[0])] = row[1:]
    for reason in reasons:
        for ev in reason.evidence:
            src = found.get((ev.tbl, ev.id))
            if src:
                ev.source_id, ev.source_row, ev.file_name, ev.sha256 = src
