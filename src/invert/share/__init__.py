"""Pseudonymised packages for joint investigation teams (``invert share``).

A package is a folder (or a .zip of one) of Parquet tables and ``manifest.json`` in which every
identity is replaced by a keyed pseudonym (``pseudonyms``): partners who hold the same key find
the same person, account or phone in each other's packages by equal pseudonyms, without
exchanging names. ``package`` says what each table holds and what is left out, ``selection``
which entities a package covers, ``keys`` where the key comes from. Each package is recorded as
a run of the ``share`` stage, since it takes case data out of the workspace.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from invert.errors import ShareError
from invert.share import keys, manifest, package, pseudonyms
from invert.share.package import Options, Table
from invert.share.selection import Selection, select
from invert.workspace import Workspace

__all__ = ["Options", "Selection", "ShareResult", "share"]


@dataclass
class ShareResult:
    path: Path
    fingerprint: str
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _target(out: Path) -> None:
    """Refuse to overwrite: a package that mixes two runs would mix two selections."""
    if out.suffix == ".zip":
        if out.exists():
            raise ShareError(f"{out} already exists; choose another file or remove it")
        if not out.parent.is_dir():
            raise ShareError(f"the folder {out.parent} does not exist; create it first")
    elif out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ShareError(f"{out} exists and is not an empty folder; choose another")


def _write(
    con: duckdb.DuckDBPyConnection, folder: Path, tables: list[Table], options: Options
) -> dict[Table, tuple[int, list[str]]]:
    """One Parquet file per table; returns each table's rows and columns for the manifest."""
    written: dict[Table, tuple[int, list[str]]] = {}
    for table in tables:
        path = folder / f"{table.name}.parquet"
        quoted = str(path).replace("'", "''")
        con.execute(f"COPY ({table.query(options)}) TO '{quoted}' (FORMAT parquet)")
        cur = con.execute(f"SELECT * FROM read_parquet('{quoted}') LIMIT 0")
        rows = con.execute(f"SELECT count(*) FROM read_parquet('{quoted}')").fetchone()[0]
        written[table] = (int(rows), [d[0] for d in cur.description])
    return written


def share(
    ws: Workspace,
    out: Path,
    key: bytes,
    selection: Selection | None = None,
    company_names: bool = True,
) -> ShareResult:
    """Write the package of ``ws`` to ``out`` (a folder, or a .zip when the name ends so)."""
    started = time.time()
    out = Path(out)
    selection = selection or Selection()
    _target(out)
    fingerprint = keys.fingerprint(key)
    with ws.connect(resolved=True) as con:
        nodes = select(con, selection, ws.path)
        options = Options(company_names=company_names, limited=not selection.everything)
        pseudonyms.install(con, key)
        try:
            chosen = (
                con.execute("SELECT node FROM share_reach WHERE hop = 0 LIMIT 1").fetchone()[0]
                if selection.entity
                else None
            )
            entity = pseudonyms.entity_pseudonym(key, chosen) if chosen else None
            folder = (
                Path(tempfile.mkdtemp(prefix=f".{out.stem}-", dir=out.parent))
                if out.suffix == ".zip"
                else out
            )
            try:
                folder.mkdir(parents=True, exist_ok=True)
                written = _write(con, folder, package.available(con), options)
                info = manifest.build(written, options, selection, entity, fingerprint)
                (folder / "manifest.json").write_text(
                    json.dumps(info, indent=1, ensure_ascii=False), encoding="utf-8"
                )
                if out.suffix == ".zip":
                    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                        for path in sorted(folder.iterdir()):
                            archive.write(path, path.name)
            finally:
                if out.suffix == ".zip":
                    shutil.rmtree(folder, ignore_errors=True)
        finally:
            pseudonyms.forget(con)
        rows = {t.name: n for t, (n, _) in written.items()}
        ws.record_run(
            con,
            "share",
            started,
            {
                "out": str(out),
                "list": selection.lead_list if selection.top is not None else None,
                "top": selection.top,
                "entity": selection.entity,
                "hops": selection.hops,
                "company_names": company_names,
                "key_fingerprint": fingerprint,
            },
            {"nodes": nodes, **rows},
        )
    return ShareResult(out, fingerprint, rows, time.time() - started)
