"""Ingest one file into a workspace, atomically.

Everything from deleting the previous version of the source to writing its new rows, its
quarantine and its ``sources`` record happens in one DuckDB transaction: an ingest that fails or
is killed part-way leaves the workspace exactly as it was. A run of small files of one native
format (a folder of goAML reports) is ingested as a batch instead: see ``invert.ingest.batch``.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from invert.errors import InvalidData, InvertError
from invert.ingest import compile as sql
from invert.ingest.formats import NATIVE, detect_native
from invert.ingest.mapping import Mapping, load_mapping
from invert.ingest.readers import (
    RAW,
    REJECTS,
    Staged,
    drop_raw,
    file_format,
    stage,
    stage_arrow,
)
from invert.workspace import Workspace

if TYPE_CHECKING:
    from invert.ingest.ahead import ReadAhead

Progress = Callable[[str], None]
QUARANTINE = "staged_quarantine"


@dataclass
class IngestResult:
    source_id: str
    file_name: str
    sha256: str
    format: str
    mapping: str
    status: str  # loaded, replaced, unchanged
    read: int = 0
    loaded: int = 0
    quarantined: int = 0
    flagged: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    previous: str | None = None


def file_sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def source_slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "source"


def ingest(
    ws: Workspace,
    path: Path,
    mapping_path: Path | None = None,
    fmt: str | None = None,
    name: str | None = None,
    progress: Progress = lambda _s: None,
    con: duckdb.DuckDBPyConnection | None = None,
    ahead: ReadAhead | None = None,
    memo: sql.Memo | None = None,
) -> IngestResult:
    """Ingest one file in one transaction. ``con`` is an open connection to the workspace, so
    a folder of files shares one connection (see ``ingest_many``); without it the file gets its
    own, closed (and checkpointed) at the end. ``ahead`` is the file's hash and parsed rows when
    they were read ahead (``invert.ingest.ahead``); ``memo`` the values earlier files of the
    same command normalised."""
    path = Path(path)
    if not path.is_file():
        raise InvertError(f"{path}: no such file")
    # Bank statements and goAML reports are recognised by content; a mapping given with them
    # replaces the bundled one (an FIU with its own transmode codes, say).
    native = fmt if fmt in NATIVE else detect_native(path) if fmt is None else None
    if native is None and mapping_path is None:
        raise InvertError(
            f"{path.name}: not a bank statement or goAML report INVERT reads natively; "
            "give a mapping file with --mapping (see 'Bring your own data' in the README)"
        )
    mapping = load_mapping(mapping_path) if mapping_path else NATIVE[native].mapping()
    fmt_name = native or file_format(path, mapping, fmt)
    started = time.time()
    args = (path, mapping, native, fmt_name, name, progress, started, ahead, memo)
    if con is None:
        with ws.connect() as own:
            result = _ingest(ws, own, *args)
    else:
        result = _ingest(ws, con, *args)
    result.seconds = time.time() - started
    return result


def ingest_many(
    ws: Workspace,
    jobs: Iterable[tuple[Path, Path | None]],
    fmt: str | None = None,
    name: str | None = None,
    progress: Callable[[], AbstractContextManager[Progress]] | None = None,
) -> Iterator[IngestResult]:
    """Ingest (file, mapping) pairs in order through one connection, yielding each result as it
    is stored. Closing a DuckDB connection checkpoints the database, a cost that grows with the
    database: a folder of small files pays it once instead of once per file.

    Each file is its own transaction, except consecutive small files of one native format and
    mapping (a folder of goAML reports), which are parsed one by one and written together in one
    transaction per batch (``invert.ingest.batch``): each is still its own source, with the rows,
    counts and provenance it would get alone.
    """
    from invert.ingest import ahead, batch

    plan = list(batch.groups(jobs, fmt, name))
    if not plan:
        return
    # A helper process normalises half of a long list of values when DuckDB may use two cores.
    helper = int(ws.setting("engine", "threads", 2)) > 1
    with ws.connect() as con, ahead.reader() as pool, sql.Memo(helper=helper) as memo:
        # The next group is hashed and parsed while this one is written.
        pending = ahead.submit(pool, [p for p, _ in plan[0].jobs], plan[0].native)
        for n, group in enumerate(plan):
            read = pending.result()
            if n + 1 < len(plan):
                following = plan[n + 1]
                pending = ahead.submit(pool, [p for p, _ in following.jobs], following.native)
            if group.batched:
                yield from batch.ingest_batch(ws, con, group, progress, read, memo)
                continue
            path, mapping = group.jobs[0]
            with progress() if progress else nullcontext(lambda _s: None) as step:
                result = ingest(ws, path, mapping, fmt, name, step, con, read[0], memo)
            yield result


def _ingest(
    ws: Workspace,
    con: duckdb.DuckDBPyConnection,
    path: Path,
    mapping: Mapping,
    native: str | None,
    fmt_name: str,
    name: str | None,
    progress: Progress,
    started: float,
    ahead: ReadAhead | None,
    memo: sql.Memo | None,
) -> IngestResult:
    progress("hashing")
    sha, size = (ahead.sha256, ahead.size) if ahead else file_sha256(path)
    source_id = source_slug(name or path.name)
    result = IngestResult(source_id, path.name, sha, fmt_name, mapping.name, "loaded")
    same = con.execute(
        "SELECT source_id FROM sources WHERE sha256 = ? AND mapping_sha256 = ?",
        [sha, mapping.sha256],
    ).fetchone()
    if same is not None:
        result.status, result.previous = "unchanged", same[0]
        return result
    before = con.execute(
        "SELECT sha256, version FROM sources WHERE source_id = ?", [source_id]
    ).fetchone()
    parsed = None
    if native:
        progress(f"parsing {native}")
        if ahead is not None and (ahead.parsed is not None or ahead.error is not None):
            parsed = ahead.result()
        else:
            parsed = NATIVE[native].parse(path)
    stored = keep_copy(ws, path, sha)
    # File order is what source_row counts on while staging; the writing step of the previous
    # file on this connection may have turned it off.
    con.execute("SET preserve_insertion_order = true")
    try:
        # Staging, normalising and validating fill temporary tables only, which no other
        # connection sees and which vanish with this one: they need no transaction. Keeping
        # them out of the one that writes spares DuckDB from holding them as uncommitted data.
        if parsed is not None:
            staged = stage_arrow(con, parsed.table, path, mapping, parsed.rejects)
        else:
            progress("reading")
            staged = stage(con, path, mapping, fmt_name)
        plan = prepare(con, ws, mapping, progress, memo=memo)
        stage_quarantine(con, plan, staged.raw_sql)
        progress("writing")
        con.execute("BEGIN TRANSACTION")
        try:
            _write(con, ws, plan, staged, source_id, result, replacing=before is not None)
            con.execute(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?)",
                [
                    source_id,
                    path.name,
                    str(stored) if stored else None,
                    sha,
                    size,
                    fmt_name,
                    mapping.path,
                    mapping.sha256,
                    (before[1] + 1) if before else 1,
                    result.read,
                    result.loaded,
                    result.quarantined,
                ],
            )
            ws.record_run(
                con,
                "ingest",
                started,
                {"file": str(path), "mapping": mapping.path, "source_id": source_id},
                {
                    "read": result.read,
                    "loaded": result.loaded,
                    "quarantined": result.quarantined,
                    "entities": result.entities,
                },
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except BaseException:
        if stored is not None and before is None:
            stored.unlink(missing_ok=True)
        raise
    finally:
        drop_temp(con)
    if before is not None:
        result.status, result.previous = "replaced", before[0]
    return result


def prepare(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    mapping: Mapping,
    progress: Progress,
    batched: bool = False,
    memo: sql.Memo | None = None,
) -> sql.Plan:
    """Text values, normalised values and ``staged_typed`` for the staged file (or batch)."""
    plan = sql.plan(mapping, ws.model, batched)
    sql.create_values(con, plan)
    sql.normalise_distinct(con, plan, progress, memo=memo)
    progress("validating")
    try:
        sql.create_typed(con, plan)
    except duckdb.Error as exc:
        raise InvertError(f"mapping '{mapping.name}' could not be applied: {exc}") from exc
    return plan


def stage_quarantine(con: duckdb.DuckDBPyConnection, plan: sql.Plan, raw_sql: str) -> None:
    """``staged_quarantine``: the records refused while reading and the rows refused while
    validating, each with its original values. The staged file is no longer needed after it and
    is dropped before the write transaction, which then has its memory (a staged 17M-row CSV
    would otherwise be spilled to disk while its rows are written)."""
    keys = plan.row_key
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {QUARANTINE} AS "
        f"SELECT {keys}, field, reason, to_json(raw) AS raw FROM {REJECTS} UNION ALL "
        f"SELECT {', '.join('t.' + k for k in keys.split(', '))}, t.problem_field, t.problems, "
        f"{raw_sql} FROM {sql.TYPED} t JOIN {RAW} USING ({keys}) WHERE t.problems <> ''"
    )
    con.execute(f"DROP VIEW IF EXISTS {sql.VALUES}")
    drop_raw(con)


def _write(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    plan: sql.Plan,
    staged: Staged,
    source_id: str,
    result: IngestResult,
    replacing: bool,
) -> None:
    # Row order is kept in source_row; letting DuckDB write in any order is faster.
    con.execute("SET preserve_insertion_order = false")
    if replacing:
        # A source is written in one transaction with its ``sources`` row, so only a source
        # listed there can have rows to delete: a new one skips a scan of every table.
        for etype in ws.model:
            con.execute(f'DELETE FROM "{etype.table}" WHERE source_id = ?', [source_id])
        con.execute("DELETE FROM quarantine WHERE source_id = ?", [source_id])
        con.execute("DELETE FROM value_flags WHERE source_id = ?", [source_id])
    quarantined = _count(
        con,
        f"INSERT INTO quarantine SELECT ?, source_row, field, reason, raw FROM {QUARANTINE}",
        [source_id],
    )
    for select in sql.flag_selects(plan, source_id):
        result.flagged += _count(con, f"INSERT INTO value_flags {select}")
    for etype in ws.model:
        statement = sql.type_select(plan, etype, source_id)
        if statement is not None:
            cols, select = statement
            result.entities[etype.name] = _count(
                con, f'INSERT INTO "{etype.table}" ({cols}) {select}'
            )
    result.read = staged.records
    result.loaded = con.execute(f"SELECT count(*) FROM {sql.TYPED} WHERE problems = ''").fetchone()[
        0
    ]
    result.quarantined = quarantined
    if result.read != result.loaded + result.quarantined:
        raise InvalidData(
            f"internal count mismatch for {source_id}: read {result.read} ≠ loaded "
            f"{result.loaded} + quarantined {result.quarantined}; nothing was written"
        )


def _count(
    con: duckdb.DuckDBPyConnection, statement: str, parameters: list[object] | None = None
) -> int:
    row = con.execute(statement, parameters).fetchone()
    return int(row[0]) if row else 0


def keep_copy(ws: Workspace, path: Path, sha: str) -> Path | None:
    """Copy the file into the workspace so evidence can later be checked against its hash.
    An encrypted workspace keeps no copy: it would be readable without the key."""
    if ws.encrypted or not ws.setting("ingest", "keep_source_files", True):
        return None
    target = ws.sources_dir / f"{sha[:16]}-{path.name}"
    if not target.exists():
        ws.sources_dir.mkdir(exist_ok=True)
        shutil.copyfile(path, target)
        target.chmod(0o444)
    return target


def drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for name in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_catalog = 'temp' AND table_name LIKE 'staged%'"
    ).fetchall():
        kind = "VIEW" if name[1] == "VIEW" else "TABLE"
        con.execute(f'DROP {kind} IF EXISTS temp."{name[0]}"')
