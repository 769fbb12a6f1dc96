"""The audit log: an append-only, hash-chained record of who viewed, searched, exported or
changed what, and ``verify``, which finds the first row that is not as it was written.

Each row's hash is SHA-256 over a canonical serialisation of (seq, at, user, action, subject,
detail, prev_hash), where prev_hash is the previous row's hash, or ``GENESIS`` for row 1. A
changed field, a deleted or inserted row and reordered rows all break the chain at that row.

A chain cannot show that rows were cut off its end: what remains is still a valid chain. So
every append also writes the head (last seq and hash) to ``audit.head`` beside the database,
atomically, and ``verify`` compares the two. Someone able to rewrite both the database and the
head file can still rewrite history unseen; a copy of the head kept elsewhere (printed in an
evidence pack, say) catches that too.

Appends take the next seq inside one transaction and seq is the primary key, so two connections
can never both commit the same row number. A DuckDB file admits one writer process at a time, so
concurrent appends only happen between threads of one process (the web app's); a lock makes
them take turns, which also keeps the head file in step with the last committed row, and the
thread whose turn it is writes the rows of those waiting too (``record``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from invert.security import SecurityError
from invert.workspace import has_table

GENESIS = "0" * 64
HEAD_FILE = "audit.head"
COLUMNS = """
    seq BIGINT PRIMARY KEY, "at" TIMESTAMP, "user" VARCHAR, action VARCHAR, subject VARCHAR,
    detail JSON, prev_hash VARCHAR, hash VARCHAR"""

_append_lock = threading.Lock()


@dataclass(frozen=True)
class Entry:
    seq: int
    at: datetime
    user: str
    action: str
    subject: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    def computed_hash(self) -> str:
        return chain_hash(
            self.seq, self.at, self.user, self.action, self.subject, self.detail, self.prev_hash
        )


@dataclass(frozen=True)
class AuditCheck:
    """What ``verify`` found: the rows checked, the chain's last row, and the first broken row
    (``broken_seq``) with what is wrong there, or no problem when the log is intact."""

    rows: int
    head_seq: int | None
    head_hash: str | None
    broken_seq: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def chain_hash(
    seq: int,
    at: datetime,
    user: str,
    action: str,
    subject: str | None,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    """SHA-256 of the row as compact JSON with sorted keys, so the same row always gives the same
    bytes whatever order its detail was written in or how DuckDB spaced the stored JSON."""
    payload = json.dumps(
        [seq, at.isoformat(timespec="microseconds"), user, action, subject, detail, prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def head_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """``audit.head`` beside the connection's database file; None for an in-memory database."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]).with_name(HEAD_FILE) if row and row[0] else None


def _write_head(path: Path, seq: int, hash_: str) -> None:
    """Replace the head file in one step: a crash leaves the old head or the new, never half."""
    fd, tmp = tempfile.mkstemp(prefix=".audit.head.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"seq": seq, "hash": hash_}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_head(path: Path) -> tuple[int, str] | None:
    """The (seq, hash) the head file holds, None when there is none."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return int(data["seq"]), str(data["hash"])
    except (ValueError, KeyError, TypeError) as exc:
        raise SecurityError(
            f"{path} is unreadable ({exc}); restore it from a copy of the head, since the log "
            "cannot be checked to its end without it"
        ) from exc


@dataclass
class _Pending:
    """One row waiting to be appended, and what became of it."""

    key: object  # the database it goes to (its head file), or an object of its own
    user: str
    action: str
    subject: str | None
    detail: dict[str, Any]
    entry: Entry | None = None
    error: BaseException | None = None
    done: bool = False


_queue: list[_Pending] = []
_queue_lock = threading.Lock()


def record(
    con: duckdb.DuckDBPyConnection,
    user: str,
    action: str,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
) -> Entry:
    """Append one row to the log and move the head file to it; returns once both are on disk.

    Threads appending at once take turns, and the one whose turn it is appends every row then
    waiting for the same database in one transaction with one head file write (a group
    commit): each row still gets its own seq, time and hash in the chain, in the order asked,
    and every caller returns only when its row is committed and the head moved past it. Under
    load this turns one pair of disk flushes per row into one per group."""
    if not user or not action:
        raise SecurityError("an audit row needs the user and the action; neither may be empty")
    # Values JSON cannot hold (dates, paths) are kept as their text, as they will be read back.
    clean = json.loads(json.dumps(detail or {}, default=str, allow_nan=False))
    path = head_path(con)
    item = _Pending(path if path is not None else object(), user, action, subject, clean)
    with _queue_lock:
        _queue.append(item)
    with _append_lock:
        if not item.done:
            with _queue_lock:
                group = [p for p in _queue if p.key == item.key]
                _queue[:] = [p for p in _queue if p.key != item.key]
            _append(con, path, group)
    if item.error is not None:
        raise item.error
    assert item.entry is not None
    return item.entry


def _append(con: duckdb.DuckDBPyConnection, path: Path | None, group: list[_Pending]) -> None:
    """Write ``group`` in one transaction, then the head; each row learns its entry or the
    error that stopped them all."""
    entries: list[Entry] = []
    try:
        # Inside the lock too: two first appends creating the table at once would conflict.
        con.execute(f"CREATE TABLE IF NOT EXISTS audit_log ({COLUMNS})")
        con.execute("BEGIN TRANSACTION")
        try:
            last = con.execute(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            for p in group:
                at = datetime.now(UTC).replace(tzinfo=None)
                unsealed = Entry(seq, at, p.user, p.action, p.subject, p.detail, prev, "")
                entry = replace(unsealed, hash=unsealed.computed_hash())
                con.execute(
                    "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [seq, at, p.user, p.action, p.subject, json.dumps(p.detail), prev, entry.hash],
                )
                entries.append(entry)
                seq, prev = seq + 1, entry.hash
            con.execute("COMMIT")
        except BaseException:
            # A failed COMMIT has already ended the transaction; the original error is the news.
            with suppress(duckdb.TransactionException):
                con.execute("ROLLBACK")
            raise
        if path is not None:
            _write_head(path, entries[-1].seq, entries[-1].hash)
        for p, entry in zip(group, entries, strict=True):
            p.entry = entry
    except BaseException as exc:
        for p in group:
            p.error = exc
    finally:
        for p in group:
            p.done = True


def _entry(row: tuple) -> Entry:
    seq, at, user, action, subject, detail, prev_hash, hash_ = row
    return Entry(seq, at, user, action, subject, json.loads(detail or "{}"), prev_hash, hash_)


def entries(
    con: duckdb.DuckDBPyConnection, user: str | None = None, last: int | None = None
) -> list[Entry]:
    """Rows in seq order, optionally one user's only (any case) and only the last ``last``."""
    if not has_table(con, "audit_log"):
        return []
    rows = con.execute(
        """SELECT * FROM (
               SELECT seq, "at", "user", action, subject, detail, prev_hash, hash FROM audit_log
               WHERE ? IS NULL OR lower("user") = lower(?)
               ORDER BY seq DESC LIMIT coalesce(?, 9223372036854775807))
           ORDER BY seq""",
        [user, user, last],
    ).fetchall()
    return [_entry(r) for r in rows]


def verify(con: duckdb.DuckDBPyConnection) -> AuditCheck:
    """Walk the chain in seq order, then compare its end with the head file."""
    chain = entries(con)
    expected, prev = 1, GENESIS
    for e in chain:
        problem = None
        if e.seq > expected:
            problem = (
                f"row {expected} is missing (the next row is {e.seq}): rows were deleted"
                if e.seq == expected + 1
                else f"rows {expected} to {e.seq - 1} are missing: rows were deleted"
            )
        elif e.seq < expected:
            problem = f"row {e.seq} appears again after row {expected - 1}: a row was inserted"
        elif e.prev_hash != prev:
            problem = (
                f"row {e.seq} does not follow row {e.seq - 1}: its prev_hash is not that row's "
                "hash, so rows were inserted, deleted or reordered here"
                if e.seq > 1
                else "row 1 does not start from the genesis value: it was forged"
            )
        elif e.computed_hash() != e.hash:
            problem = f"row {e.seq} was changed after it was written: its hash no longer fits"
        if problem:
            return AuditCheck(len(chain), None, None, min(e.seq, expected), problem)
        expected, prev = expected + 1, e.hash
    last = (chain[-1].seq, chain[-1].hash) if chain else None
    return _compare_head(con, len(chain), last)


def _compare_head(
    con: duckdb.DuckDBPyConnection, rows: int, last: tuple[int, str] | None
) -> AuditCheck:
    path = head_path(con)
    head = read_head(path) if path is not None else last
    seq, hash_ = last or (None, None)

    def broken(at: int, problem: str) -> AuditCheck:
        return AuditCheck(rows, seq, hash_, at, problem)

    if head == last:
        return AuditCheck(rows, seq, hash_)
    if head is None:
        return broken(
            rows,
            f"{path} is missing but the log has {rows} rows: the head was deleted, so rows "
            "cut off the end would go unseen; compare with a copy of the head kept elsewhere",
        )
    if last is None:
        return broken(1, f"the log is empty but {HEAD_FILE} says {head[0]} rows were written")
    if head[0] > last[0]:
        return broken(
            last[0] + 1,
            f"rows {last[0] + 1} to {head[0]} are missing from the end of the log "
            f"({HEAD_FILE} says {head[0]} rows were written)",
        )
    if head[0] < last[0]:
        return broken(
            head[0] + 1,
            f"row {head[0] + 1} and after were not written by INVERT ({HEAD_FILE} ends at row "
            f"{head[0]}), or INVERT stopped between writing a row and the head",
        )
    return broken(last[0], f"row {last[0]} is not the row {HEAD_FILE} recorded: it was replaced")
