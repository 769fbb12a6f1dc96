"""Ingest a run of small files of one native format together: a folder of goAML reports.

A file ingested alone pays some forty SQL statements (staging, normalising, validating, one
insert per entity table, its ``sources`` and ``runs`` rows, the commit), each planned for a few
dozen rows: a thousand goAML reports spent minutes on that. A batch parses its files one by one
into one Arrow table whose rows carry their file's ``source_id`` beside ``source_row``, and runs
those stages once for all of them (``invert.ingest.compile`` joins, numbers and groups per file).

Each file stays its own source, exactly as if ingested alone: its own ``sources`` row (SHA-256,
version, rows read, loaded and quarantined) and ``runs`` row, its own entity rows with the same
``source_id`` and ``source_row``, its rejected rows in quarantine naming the file, row and field.
A file whose SHA-256 and mapping are already stored (or stored by an earlier file of the same
batch) is "unchanged"; one whose source id exists with other content is replaced.

**All or nothing per batch.** The rows of every file of a batch are written in one transaction:
if writing fails, none of the batch's files is stored and the workspace keeps what it had. Files
are parsed before anything is written, so a file that cannot be parsed stops the ingest with an
error naming it, after the files before it in the batch have been written (as a file-by-file
ingest would have left them); the files after it are not read.

The ``runs`` row of each file records its share of the batch's time and, under
``parameters.batch_files``, how many files the batch held.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from invert import __version__
from invert.errors import InvalidData, InvertError
from invert.ingest import compile as sql
from invert.ingest.ahead import ReadAhead
from invert.ingest.formats import NATIVE, Parsed, detect_native
from invert.ingest.load import (
    QUARANTINE,
    IngestResult,
    Progress,
    drop_temp,
    file_sha256,
    keep_copy,
    prepare,
    source_slug,
    stage_quarantine,
)
from invert.ingest.mapping import Mapping, load_mapping
from invert.ingest.readers import RAW, REJECTS
from invert.workspace import Workspace

# A file larger than this is ingested alone: its own statements are then worth their cost.
SMALL_FILE = 4 << 20
# At most this many files and bytes in one batch (one transaction, one Arrow table in memory).
MAX_FILES = 2000
MAX_BYTES = 64 << 20


@dataclass
class Group:
    """Consecutive jobs ingested together (``batched``) or one job ingested alone; ``native``
    is the format its files are recognised as (None for a mapped file)."""

    jobs: list[tuple[Path, Path | None]]
    native: str | None = None
    size: int = 0
    small: bool = False

    @property
    def batched(self) -> bool:
        return len(self.jobs) > 1


@dataclass
class _Member:
    path: Path
    result: IngestResult
    size: int
    parsed: Parsed | None = None
    version: int = 1
    replacing: bool = False
    stored: Path | None = None


def groups(
    jobs: Iterable[tuple[Path, Path | None]], fmt: str | None, name: str | None
) -> Iterator[Group]:
    """Split the jobs into batches of small files of one native format and mapping, in order;
    every other job is a group of its own. Two files with one source id (one name in two
    folders) never share a batch: the second replaces the first, as it would one at a time."""
    current: Group | None = None
    ids: set[str] = set()
    for path, mapping in jobs:
        native = native_format(path, fmt)
        size = path.stat().st_size if native else 0
        small = native is not None and name is None and size <= SMALL_FILE
        same = (
            current is not None
            and small
            and current.small
            and current.native == native
            and current.jobs[0][1] == mapping
            and len(current.jobs) < MAX_FILES
            and current.size + size <= MAX_BYTES
            and source_slug(path.name) not in ids
        )
        if same:
            assert current is not None
            current.jobs.append((path, mapping))
            current.size += size
            ids.add(source_slug(path.name))
            continue
        if current is not None:
            yield current
        current, ids = Group([(path, mapping)], native, size, small), {source_slug(path.name)}
    if current is not None:
        yield current


def native_format(path: Path, fmt: str | None) -> str | None:
    """The native format a file is read in (as forced, else recognised by content), or None
    for a file read with a mapping (or missing: ``ingest`` says so)."""
    if fmt in NATIVE:
        return fmt
    if fmt is not None or not path.is_file():
        return None
    return detect_native(path)


def ingest_batch(
    ws: Workspace,
    con: duckdb.DuckDBPyConnection,
    group: Group,
    progress: Callable[[], AbstractContextManager[Progress]] | None = None,
    read: list[ReadAhead | None] | None = None,
    memo: sql.Memo | None = None,
) -> Iterator[IngestResult]:
    """Ingest a group of small native files; yields one result per file, in order. ``read``
    holds the files' hashes and parsed rows where they were read ahead."""
    assert group.native is not None
    mapping_path = group.jobs[0][1]
    mapping = load_mapping(mapping_path) if mapping_path else NATIVE[group.native].mapping()
    started = time.time()
    with progress() if progress else nullcontext(lambda _s: None) as step:
        members, failure = _read(con, ws, group, mapping, step, read or [])
        loaded = [m for m in members if m.parsed is not None]
        if loaded:
            try:
                _store(con, ws, mapping, loaded, started, step, memo)
            except BaseException:
                for m in loaded:
                    if m.stored is not None and not m.replacing:
                        m.stored.unlink(missing_ok=True)
                raise
    yield from (m.result for m in members)
    if failure is not None:
        raise failure


def _read(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    group: Group,
    mapping: Mapping,
    step: Progress,
    read: list[ReadAhead | None],
) -> tuple[list[_Member], Exception | None]:
    """Hash and parse the group's files in order, up to the first that cannot be parsed (the
    error is returned, to be raised once the files before it are stored)."""
    assert group.native is not None
    stored = {
        sha: source_id
        for source_id, sha in con.execute(
            "SELECT source_id, sha256 FROM sources WHERE mapping_sha256 = ? ORDER BY source_id",
            [mapping.sha256],
        ).fetchall()
    }
    versions = dict(con.execute("SELECT source_id, version FROM sources").fetchall())
    members: list[_Member] = []
    for n, (path, _mapping) in enumerate(group.jobs, start=1):
        step(f"{group.native}: reading file {n:,} of {len(group.jobs):,}")
        ahead = read[n - 1] if n <= len(read) else None
        sha, size = (ahead.sha256, ahead.size) if ahead else file_sha256(path)
        source_id = source_slug(path.name)
        result = IngestResult(source_id, path.name, sha, group.native, mapping.name, "loaded")
        member = _Member(path, result, size)
        if sha in stored:
            result.status, result.previous = "unchanged", stored[sha]
            members.append(member)
            continue
        try:
            parsed = ahead.result() if ahead else NATIVE[group.native].parse(path)
            mapping.check_columns(parsed.table.column_names, path.name)
        except InvertError as exc:
            return members, exc
        member.parsed = parsed
        if source_id in versions:
            member.replacing, member.version = True, versions[source_id] + 1
            result.status, result.previous = "replaced", source_id
        result.read = parsed.table.num_rows + len(parsed.rejects)
        stored.setdefault(sha, source_id)
        members.append(member)
    return members, None


def _stage(con: duckdb.DuckDBPyConnection, members: list[_Member], mapping: Mapping) -> str:
    """``staged_raw`` and ``staged_rejects`` of the whole batch, each row with its file's
    ``source_id``; returns the SQL giving a row's original values as JSON."""
    tables = []
    for m in members:
        assert m.parsed is not None
        table = m.parsed.table
        ids = pa.array([m.result.source_id] * table.num_rows, pa.string())
        tables.append(table.append_column("source_id", ids))
    con.register("staged_arrow", pa.concat_tables(tables, promote_options="default"))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {RAW} AS SELECT * FROM staged_arrow")
    con.unregister("staged_arrow")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {REJECTS} "
        "(source_id VARCHAR, source_row BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR)"
    )
    rejects = [[m.result.source_id, *r] for m in members if m.parsed for r in m.parsed.rejects]
    if rejects:
        con.executemany(f"INSERT INTO {REJECTS} VALUES (?, ?, ?, ?, ?)", rejects)
    columns = [c for c in tables[0].column_names if c not in ("source_row", "source_id")]
    pairs = ", ".join(f"{sql.lit(c)}, {sql.ident(c)}" for c in columns)
    return f"json_object({pairs})"


def _store(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    mapping: Mapping,
    members: list[_Member],
    started: float,
    step: Progress,
    memo: sql.Memo | None,
) -> None:
    for m in members:
        m.stored = keep_copy(ws, m.path, m.result.sha256)
    con.execute("SET preserve_insertion_order = true")
    try:
        raw_sql = _stage(con, members, mapping)
        plan = prepare(con, ws, mapping, step, batched=True, memo=memo)
        stage_quarantine(con, plan, raw_sql)
        step(f"writing {len(members):,} files")
        con.execute("BEGIN TRANSACTION")
        try:
            _write(con, ws, plan, members)
            _record(con, ws, mapping, members, started)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        drop_temp(con)


def _per_source(con: duckdb.DuckDBPyConnection, select: str) -> dict[str, int]:
    """Rows per source id of a SELECT whose rows have a ``source_id`` column."""
    return dict(con.execute(f"SELECT source_id, count(*) FROM ({select}) GROUP BY ALL").fetchall())


def _write(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    plan: sql.Plan,
    members: list[_Member],
) -> None:
    """The batch's rows, quarantine and flags; each member's counts, checked as for one file."""
    con.execute("SET preserve_insertion_order = false")
    replaced = [m.result.source_id for m in members if m.replacing]
    if replaced:
        ids = ", ".join(sql.lit(s) for s in replaced)
        for etype in ws.model:
            con.execute(f'DELETE FROM "{etype.table}" WHERE source_id IN ({ids})')
        con.execute(f"DELETE FROM quarantine WHERE source_id IN ({ids})")
        con.execute(f"DELETE FROM value_flags WHERE source_id IN ({ids})")
    quarantined = _per_source(con, f"SELECT source_id FROM {QUARANTINE}")
    con.execute(
        f"INSERT INTO quarantine SELECT source_id, source_row, field, reason, raw FROM {QUARANTINE}"
    )
    flags = sql.flag_selects(plan, None)
    flagged: dict[str, int] = {}
    if flags:
        con.execute(f"CREATE OR REPLACE TEMP TABLE staged_flags AS {' UNION ALL '.join(flags)}")
        flagged = _per_source(con, "SELECT source_id FROM staged_flags")
        con.execute("INSERT INTO value_flags SELECT * FROM staged_flags")
    entities: dict[str, dict[str, int]] = {}
    for etype in ws.model:
        statement = sql.type_select(plan, etype, None)
        if statement is None:
            continue
        cols, select = statement
        con.execute(f"CREATE OR REPLACE TEMP TABLE staged_entities AS {select}")
        entities[etype.name] = _per_source(con, "SELECT source_id FROM staged_entities")
        con.execute(f'INSERT INTO "{etype.table}" ({cols}) SELECT * FROM staged_entities')
    loaded = _per_source(con, f"SELECT source_id FROM {sql.TYPED} WHERE problems = ''")
    for m in members:
        r = m.result
        r.loaded, r.quarantined = loaded.get(r.source_id, 0), quarantined.get(r.source_id, 0)
        r.flagged = flagged.get(r.source_id, 0)
        r.entities = {name: n.get(r.source_id, 0) for name, n in entities.items()}
        if r.read != r.loaded + r.quarantined:
            raise InvalidData(
                f"internal count mismatch for {r.source_id}: read {r.read} ≠ loaded "
                f"{r.loaded} + quarantined {r.quarantined}; nothing of its batch was written"
            )


def _record(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    mapping: Mapping,
    members: list[_Member],
    started: float,
) -> None:
    """One ``sources`` row and one ``runs`` row per member, each written by one statement."""
    share = (time.time() - started) / len(members)
    sources, runs = [], []
    for m in members:
        r = m.result
        r.seconds = share
        sources.append(
            {
                "source_id": r.source_id,
                "file_name": r.file_name,
                "stored_path": str(m.stored) if m.stored else None,
                "sha256": r.sha256,
                "size_bytes": m.size,
                "format": r.format,
                "mapping": mapping.path,
                "mapping_sha256": mapping.sha256,
                "version": m.version,
                "rows_read": r.read,
                "rows_loaded": r.loaded,
                "rows_quarantined": r.quarantined,
            }
        )
        parameters = {
            "file": str(m.path),
            "mapping": mapping.path,
            "source_id": r.source_id,
            "batch_files": len(members),
        }
        counts = {
            "read": r.read,
            "loaded": r.loaded,
            "quarantined": r.quarantined,
            "entities": r.entities,
        }
        runs.append(
            {
                "started": started,
                "seconds": share,
                "parameters": json.dumps(parameters, default=str),
                "counts": json.dumps(counts, default=str),
            }
        )
    con.register("staged_sources_arrow", pa.Table.from_pylist(sources))
    con.execute(
        "INSERT OR REPLACE INTO sources SELECT source_id, file_name, stored_path, sha256, "
        "size_bytes, format, mapping, mapping_sha256, version, now(), rows_read, rows_loaded, "
        "rows_quarantined FROM staged_sources_arrow"
    )
    con.unregister("staged_sources_arrow")
    con.register("staged_runs_arrow", pa.Table.from_pylist(runs))
    con.execute(
        "INSERT INTO runs SELECT 'ingest', to_timestamp(started), seconds, ?, parameters, counts "
        "FROM staged_runs_arrow",
        [__version__],
    )
    con.unregister("staged_runs_arrow")
