"""Ingest one file into a workspace, atomically.

Everything from deleting the previous version of the source to writing its new rows, its
quarantine and its ``sources`` record happens in one DuckDB transaction: an ingest that fails or
is killed part-way leaves the workspace exactly as it was.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from invert.errors import InvalidData, InvertError
from invert.ingest import compile as sql
from invert.ingest.formats import NATIVE, detect_native
from invert.ingest.mapping import Mapping, load_mapping
from invert.ingest.readers import REJECTS, Staged, file_format, stage, stage_arrow
from invert.workspace import Workspace

Progress = Callable[[str], None]


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
) -> IngestResult:
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
    progress("hashing")
    sha, size = file_sha256(path)
    source_id = source_slug(name or path.name)
    result = IngestResult(source_id, path.name, sha, fmt_name, mapping.name, "loaded")
    with ws.connect() as con:
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
            parsed = NATIVE[native].parse(path)
        stored = _keep_copy(ws, path, sha)
        try:
            con.execute("BEGIN TRANSACTION")
            if parsed is not None:
                staged = stage_arrow(con, parsed.table, path, mapping, parsed.rejects)
            else:
                progress("reading")
                staged = stage(con, path, mapping, fmt_name)
            _load(con, ws, mapping, staged, source_id, result, progress)
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
            if stored is not None and before is None:
                stored.unlink(missing_ok=True)
            raise
        finally:
            _drop_temp(con)
    if before is not None:
        result.status, result.previous = "replaced", before[0]
    result.seconds = time.time() - started
    return result


def _load(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    mapping: Mapping,
    staged: Staged,
    source_id: str,
    result: IngestResult,
    progress: Progress,
) -> None:
    plan = sql.plan(mapping, ws.model)
    sql.create_values(con, plan)
    sql.normalise_distinct(con, plan, progress)
    progress("validating")
    try:
        sql.create_typed(con, plan)
    except duckdb.Error as exc:
        raise InvertError(f"mapping '{mapping.name}' could not be applied: {exc}") from exc
    progress("writing")
    # Row order is kept in source_row; letting DuckDB write in any order is faster.
    con.execute("SET preserve_insertion_order = false")
    for etype in ws.model:
        con.execute(f'DELETE FROM "{etype.table}" WHERE source_id = ?', [source_id])
    con.execute("DELETE FROM quarantine WHERE source_id = ?", [source_id])
    con.execute("DELETE FROM value_flags WHERE source_id = ?", [source_id])
    con.execute(
        f"INSERT INTO quarantine SELECT ?, source_row, field, reason, to_json(raw) FROM {REJECTS}",
        [source_id],
    )
    con.execute(
        "INSERT INTO quarantine SELECT ?, t.source_row, t.problem_field, t.problems, "
        f"{staged.raw_sql} "
        f"FROM {sql.TYPED} t JOIN staged_raw USING (source_row) WHERE t.problems <> ''",
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
    result.quarantined = con.execute(
        "SELECT count(*) FROM quarantine WHERE source_id = ?", [source_id]
    ).fetchone()[0]
    if result.read != result.loaded + result.quarantined:
        raise InvalidData(
            f"internal count mismatch for {source_id}: read {result.read} ≠ loaded "
            f"{result.loaded} + quarantined {result.quarantined}; nothing was written"
        )


def _count(con: duckdb.DuckDBPyConnection, statement: str) -> int:
    row = con.execute(statement).fetchone()
    return int(row[0]) if row else 0


def _keep_copy(ws: Workspace, path: Path, sha: str) -> Path | None:
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


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for name in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_catalog = 'temp' AND table_name LIKE 'staged%'"
    ).fetchall():
        kind = "VIEW" if name[1] == "VIEW" else "TABLE"
        con.execute(f'DROP {kind} IF EXISTS temp."{name[0]}"')
