"""Analysts' decisions on pairs of records, kept apart from the machine's scores.

A judgement says two records are the same entity, different entities, or that the analyst is
unsure; the latest one per pair counts, and it wins over any match score at the next
resolution run. Judgements are never deleted by a re-run: they are the case's memory.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from invert.errors import InvertError

DECISIONS = ("same", "different", "unsure")
COLUMNS = """kind VARCHAR, id_a VARCHAR, id_b VARCHAR, decision VARCHAR, by_user VARCHAR,
    judged_at TIMESTAMP, note VARCHAR"""


def record_kind(con: duckdb.DuckDBPyConnection, record_id: str) -> str:
    """The kind (person, company) of a record id, or an error naming the id."""
    for kind in ("person", "company"):
        if con.execute(f"SELECT 1 FROM {kind} WHERE id = ? LIMIT 1", [record_id]).fetchone():
            return kind
    raise InvertError(
        f"no person or company record has the id {record_id!r}; "
        "copy ids from `invert leads` or `invert resolve explain`"
    )


def judge(
    con: duckdb.DuckDBPyConnection,
    id_a: str,
    id_b: str,
    decision: str,
    by_user: str,
    note: str = "",
) -> str:
    """Store one decision; returns the kind of the two records."""
    if decision not in DECISIONS:
        raise InvertError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    if id_a == id_b:
        raise InvertError("a judgement needs two different records")
    kind, other = record_kind(con, id_a), record_kind(con, id_b)
    if kind != other:
        raise InvertError(f"{id_a} is a {kind} and {id_b} a {other}: only like can be judged")
    con.execute(f"CREATE TABLE IF NOT EXISTS resolve_judgement ({COLUMNS})")
    con.execute(
        "INSERT INTO resolve_judgement VALUES (?, ?, ?, ?, ?, ?, ?)",
        [kind, id_a, id_b, decision, by_user, datetime.now(UTC).replace(tzinfo=None), note],
    )
    return kind
