"""Case files inside the workspace: a title and a status, the entities under investigation,
notes, and inspection outcomes that go back to scoring as labels.

The tables are made on first use, like the user tables: a workspace never served on the web
needs none of them. An outcome is written to the model's own ``outcome`` table, the one
``invert.scoring.learn`` reads, with ``source_id`` naming the case file it came from, so the
next ``invert analyze`` learns from it and every label can be traced to who recorded it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import duckdb

from invert.errors import InvertError
from invert.web.db import scalar

STATUSES = ("open", "inspection planned", "under investigation", "referred", "closed")
RESULTS = ("confirmed", "not_found", "inconclusive")
TABLES = {
    "case_file": """id INTEGER PRIMARY KEY, title VARCHAR NOT NULL, status VARCHAR NOT NULL,
        created_by VARCHAR, created_at TIMESTAMP""",
    "case_entity": """case_id INTEGER, entity_id VARCHAR, added_by VARCHAR, added_at TIMESTAMP,
        PRIMARY KEY (case_id, entity_id)""",
    "case_note": """id INTEGER PRIMARY KEY, case_id INTEGER, body VARCHAR, author VARCHAR,
        created_at TIMESTAMP""",
}
_lock = threading.Lock()  # new ids are max + 1: one writer at a time within the app


@dataclass(frozen=True)
class CaseFile:
    id: int
    title: str
    status: str
    created_by: str
    created_at: datetime


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    with _lock:
        for table, columns in TABLES.items():
            con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")


def _next_id(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return scalar(con, f"SELECT coalesce(max(id), 0) + 1 FROM {table}")


def create(con: duckdb.DuckDBPyConnection, title: str, user: str) -> int:
    title = title.strip()
    if not title:
        raise InvertError("a case file needs a title; give it one and create it again")
    ensure_tables(con)
    with _lock:
        case_id = _next_id(con, "case_file")
        con.execute(
            "INSERT INTO case_file VALUES (?, ?, 'open', ?, ?)", [case_id, title, user, _now()]
        )
    return case_id


def all_files(con: duckdb.DuckDBPyConnection) -> list[CaseFile]:
    ensure_tables(con)
    rows = con.execute("SELECT * FROM case_file ORDER BY id DESC").fetchall()
    return [CaseFile(*r) for r in rows]


def get(con: duckdb.DuckDBPyConnection, case_id: int) -> CaseFile | None:
    ensure_tables(con)
    row = con.execute("SELECT * FROM case_file WHERE id = ?", [case_id]).fetchone()
    return CaseFile(*row) if row else None


def set_status(con: duckdb.DuckDBPyConnection, case_id: int, status: str) -> None:
    if status not in STATUSES:
        raise InvertError(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
    con.execute("UPDATE case_file SET status = ? WHERE id = ?", [status, case_id])


def add_entity(con: duckdb.DuckDBPyConnection, case_id: int, entity_id: str, user: str) -> None:
    con.execute(
        "INSERT INTO case_entity VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [case_id, entity_id, user, _now()],
    )


def entities(con: duckdb.DuckDBPyConnection, case_id: int) -> list[dict[str, Any]]:
    cur = con.execute(
        "SELECT entity_id, added_by, added_at FROM case_entity WHERE case_id = ? ORDER BY added_at",
        [case_id],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def files_of(con: duckdb.DuckDBPyConnection, entity_id: str) -> list[CaseFile]:
    ensure_tables(con)
    rows = con.execute(
        "SELECT f.* FROM case_file f JOIN case_entity e ON e.case_id = f.id "
        "WHERE e.entity_id = ? ORDER BY f.id",
        [entity_id],
    ).fetchall()
    return [CaseFile(*r) for r in rows]


def add_note(con: duckdb.DuckDBPyConnection, case_id: int, body: str, user: str) -> None:
    if not body.strip():
        raise InvertError("the note is empty; write something and add it again")
    with _lock:
        con.execute(
            "INSERT INTO case_note VALUES (?, ?, ?, ?, ?)",
            [_next_id(con, "case_note"), case_id, body.strip(), user, _now()],
        )


def notes(con: duckdb.DuckDBPyConnection, case_id: int) -> list[dict[str, Any]]:
    cur = con.execute(
        "SELECT body, author, created_at FROM case_note WHERE case_id = ? ORDER BY id", [case_id]
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def source_of(case_id: int) -> str:
    """The ``source_id`` of outcomes recorded in a case file."""
    return f"case-file:{case_id}"


def record_outcome(
    con: duckdb.DuckDBPyConnection,
    case_id: int,
    entity_id: str,
    result: str,
    day: date | None,
    user: str,
    notes_text: str = "",
) -> str:
    """Write one inspection outcome for an entity of the case file; returns its id."""
    if result not in RESULTS:
        raise InvertError(f"unknown result {result!r}; choose one of {', '.join(RESULTS)}")
    members = {e["entity_id"] for e in entities(con, case_id)}
    if entity_id not in members:
        raise InvertError("add the entity to this case file before recording an outcome for it")
    source = source_of(case_id)
    db = scalar(con, "SELECT current_database()")
    with _lock:
        row = scalar(
            con, f'SELECT count(*) + 1 FROM "{db}".main.outcome WHERE source_id = ?', [source]
        )
        outcome_id = f"outcome-{source}-{row}"
        con.execute(
            f"""INSERT INTO "{db}".main.outcome
                (id, subject, result, date, authority, caseReference, notes, source_id,
                 source_row)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                outcome_id,
                entity_id,
                result,
                day,
                user,
                str(case_id),
                notes_text or None,
                source,
                row,
            ],
        )
    return outcome_id


def outcomes(con: duckdb.DuckDBPyConnection, case_id: int) -> list[dict[str, Any]]:
    db = scalar(con, "SELECT current_database()")
    cur = con.execute(
        f"""SELECT subject AS entity_id, result, date, authority, notes
            FROM "{db}".main.outcome WHERE source_id = ? ORDER BY source_row""",
        [source_of(case_id)],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
