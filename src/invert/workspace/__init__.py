"""A case workspace: one folder holding a DuckDB database, its configuration and its source files.

Every canonical table follows the model and carries ``source_id`` and ``source_row``; the system
tables say where each fact came from (``sources``), which rows were refused and why
(``quarantine``), which identifiers were kept raw because they did not validate (``value_flags``),
what each pipeline stage did (``runs``) and which records are one entity (``entity``).
"""

from __future__ import annotations

import json
import os
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from invert import __version__
from invert.errors import WorkspaceError
from invert.model import Model, default_model
from invert.workspace import encryption
from invert.workspace.resolved import install as install_resolved_views

DB_FILE = "workspace.duckdb"
CONFIG_FILE = "invert.toml"
SOURCES_DIR = "sources"

SYSTEM_TABLES = {
    "sources": """
        source_id VARCHAR PRIMARY KEY, file_name VARCHAR, stored_path VARCHAR, sha256 VARCHAR,
        size_bytes BIGINT, format VARCHAR, mapping VARCHAR, mapping_sha256 VARCHAR,
        version INTEGER, ingested_at TIMESTAMP, rows_read BIGINT, rows_loaded BIGINT,
        rows_quarantined BIGINT""",
    "quarantine": """
        source_id VARCHAR, source_row BIGINT, field VARCHAR, reason VARCHAR, raw JSON""",
    "value_flags": """
        source_id VARCHAR, source_row BIGINT, entity_table VARCHAR, entity_id VARCHAR,
        property VARCHAR, raw VARCHAR, problem VARCHAR""",
    "runs": """
        stage VARCHAR, started_at TIMESTAMP, seconds DOUBLE, invert_version VARCHAR,
        parameters JSON, counts JSON""",
    # The resolved entity of each record (written by `invert resolve`; empty before).
    "entity": "kind VARCHAR, record_id VARCHAR, entity_id VARCHAR",
}

DEFAULT_CONFIG = """\
# INVERT case workspace configuration.
[case]
name = "{name}"
created = "{created}"

[ingest]
# Keep a copy of every ingested file in sources/, so evidence can be checked against it later.
keep_source_files = true

[engine]
# DuckDB resources. Work beyond the memory limit spills to a temporary folder in the workspace;
# an empty limit lets DuckDB take 80% of the machine.
threads = {threads}
memory_limit = "3GB"
"""
ENCRYPTED_CONFIG = """
[security]
# The database is encrypted; its key comes from INVERT_WORKSPACE_KEY or the file named by
# INVERT_WORKSPACE_KEY_FILE, never from this file. Source files are not copied into the
# workspace (a copy would be readable without the key): keep the originals in your evidence
# store; the sources table keeps each one's SHA-256.
encrypted = true
"""


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether a stage has written ``table`` to the workspace (temporary stand-ins and views of
    the same name on this connection do not count)."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = 'main' AND table_type = 'BASE TABLE' AND table_name = ?",
        [table],
    ).fetchone()
    return bool(found and found[0])


@dataclass
class Workspace:
    """An opened case workspace."""

    path: Path
    model: Model = field(default_factory=default_model)
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        return self.path / DB_FILE

    @property
    def sources_dir(self) -> Path:
        return self.path / SOURCES_DIR

    @property
    def config_path(self) -> Path:
        return self.path / CONFIG_FILE

    @property
    def name(self) -> str:
        return str(self.setting("case", "name", self.path.name))

    @property
    def encrypted(self) -> bool:
        return bool(self.setting("security", "encrypted", False))

    @classmethod
    def init(cls, path: Path, name: str | None = None, encrypt: bool = False) -> Workspace:
        """Create a new, empty workspace; refuses to overwrite an existing one. With
        ``encrypt`` the database is encrypted with the key the environment supplies."""
        path = Path(path)
        if (path / DB_FILE).exists():
            raise WorkspaceError(
                f"{path} already holds a workspace; open it or choose another folder"
            )
        if encrypt:
            encryption.require_key("an encrypted workspace")
        path.mkdir(parents=True, exist_ok=True)
        (path / SOURCES_DIR).mkdir(exist_ok=True)
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        config = DEFAULT_CONFIG.format(
            name=(name or path.name).replace('"', "'"),
            created=created,
            threads=os.cpu_count() or 2,
        )
        if encrypt:
            config = config.replace("keep_source_files = true", "keep_source_files = false")
            config += ENCRYPTED_CONFIG
        (path / CONFIG_FILE).write_text(config, encoding="utf-8")
        ws = cls.open(path)
        return ws

    @classmethod
    def open(cls, path: Path) -> Workspace:
        path = Path(path)
        config_path = path / CONFIG_FILE
        if not config_path.exists():
            raise WorkspaceError(
                f"{path} is not an INVERT workspace; create one with: invert init {path}"
            )
        try:
            config = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise WorkspaceError(f"{config_path}: not valid TOML ({exc})") from exc
        ws = cls(path=path, config=config)
        with ws.connect() as con:
            ws.ensure_schema(con)
        return ws

    def setting(self, section: str, key: str, default: Any = None) -> Any:
        return self.config.get(section, {}).get(key, default)

    @contextmanager
    def connect(
        self, read_only: bool = False, resolved: bool = False, follow_analysis: bool = True
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection with the workspace's settings; ``resolved`` shows the canonical tables
        with resolved entity ids (see ``invert.workspace.resolved``) once resolution has run
        (and, with ``follow_analysis``, if the latest analysis used them). A connection that
        may write first brings the resolved copies of the tables up to date."""
        if self.encrypted:
            key = encryption.require_key(f"the encrypted workspace {self.path}")
            con = encryption.connect(self.db_path, key, read_only)
        else:
            try:
                con = duckdb.connect(str(self.db_path), read_only=read_only)
            except duckdb.Error as exc:
                if "encrypted" not in str(exc):
                    raise
                raise WorkspaceError(
                    f"{self.db_path} is encrypted but {self.config_path} does not say so; add "
                    "[security] encrypted = true to it and supply the key "
                    f"({encryption.KEY_VARIABLE} or {encryption.KEY_FILE_VARIABLE})"
                ) from exc
        try:
            con.execute(f"SET threads = {int(self.setting('engine', 'threads', 2))}")
            # The stages print their own progress; DuckDB's bar would flood logs and pipes.
            con.execute("SET enable_progress_bar = false")
            limit = self.setting("engine", "memory_limit", "")
            if limit:
                con.execute(f"SET memory_limit = '{limit}'")
            if not read_only:
                con.execute(f"SET temp_directory = '{self.path / '.tmp'}'")
            if resolved:
                install_resolved_views(con, self.model, follow_analysis, write_copies=not read_only)
            yield con
        finally:
            con.close()

    def ensure_schema(self, con: duckdb.DuckDBPyConnection) -> None:
        """Create missing tables and add columns a newer model introduced; never drops data."""
        for table, columns in SYSTEM_TABLES.items():
            con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        for etype in self.model:
            cols = ", ".join(f'"{name}" {sql}' for name, sql in etype.columns)
            con.execute(f'CREATE TABLE IF NOT EXISTS "{etype.table}" ({cols})')
            existing = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                    [etype.table],
                ).fetchall()
            }
            for name, sql in etype.columns:
                if name not in existing:
                    con.execute(f'ALTER TABLE "{etype.table}" ADD COLUMN "{name}" {sql}')

    def record_run(
        self,
        con: duckdb.DuckDBPyConnection,
        stage: str,
        started: float,
        parameters: dict[str, Any],
        counts: dict[str, Any],
    ) -> None:
        con.execute(
            "INSERT INTO runs VALUES (?, to_timestamp(?), ?, ?, ?, ?)",
            [
                stage,
                started,
                time.time() - started,
                __version__,
                json.dumps(parameters, default=str),
                json.dumps(counts, default=str),
            ],
        )
